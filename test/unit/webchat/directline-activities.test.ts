/**
 * Activities as the Bot Framework defines them, as Web Chat relies on them: what a client may post
 * (and the Direct Line error body for what it may not), card actions reaching the flow, and the
 * bot typing while a turn runs.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import type { ChatRuntime } from '../../../src/runtime/chat/chat-runtime';
import { Project } from '../../../src/runtime/project/project';
import { writeWebchatProject } from '../../support/webchat-project';
import { call, startDirectLine, type DirectLineFixture } from './support';

type Activity = Record<string, unknown> & { id: string; type: string; from: { id: string }; text?: string; replyToId?: string };

/** A flow that says what the webchat provider handed it of a card action. */
function actionsProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dl-actions-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(
    path.join(root, 'flows', 'actions.ygtc'),
    `id: actions
type: messaging
nodes:
  answer:
    templating.handlebars:
      text: "text=[{{in.input.text}}] action=[{{in.input.metadata.action}}] value=[{{in.input.metadata.value}}] submit=[{{in.input.metadata.greentic_submit}}] feature=[{{in.input.extensions.channel_data.feature}}] postBack=[{{in.input.extensions.channel_data.postBack}}] client=[{{in.input.extensions.channel_data.clientActivityID}}]"
`,
  );
  return root;
}

/** A chat host whose turns wait for `release()`: a turn that is still running, for as long as a test needs. */
function gatedChat(folder: string) {
  const real = new ChatHost({ projects: { require: () => Project.open(folder) } });
  let open: () => void = () => undefined;
  let gate = Promise.resolve();
  const chat = {
    project: async () => {
      const project = await real.project();
      const runtime = new Proxy(project.runtime, {
        get(target, key) {
          if (key === 'send') return async (...args: Parameters<ChatRuntime['send']>) => gate.then(() => target.send(...args));
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return { ...project, runtime };
    },
  } as unknown as ChatHost;
  return {
    chat,
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => open(),
  };
}

async function open(fixture: DirectLineFixture) {
  const generated = await call(fixture.base, 'POST', '/tokens/generate', { bearer: fixture.directLine.secret, body: { user: { id: 'ada' } } });
  const opened = await call(fixture.base, 'POST', '/conversations', { bearer: generated.json.token as string });
  const conversationId = opened.json.conversationId as string;
  const token = opened.json.token as string;
  const route = `/conversations/${conversationId}/activities`;
  return {
    streamUrl: opened.json.streamUrl as string,
    post: (body: unknown) => call(fixture.base, 'POST', route, { bearer: token, body }),
    get: (watermark: string) => call(fixture.base, 'GET', `${route}?watermark=${watermark}`, { bearer: token }),
    poll: async (watermark = '') => (await call(fixture.base, 'GET', `${route}?watermark=${watermark}`, { bearer: token })).json as { activities: Activity[]; watermark: string },
  };
}

describe('Direct Line activities', () => {
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({ autoStartOnOpen: false }, actionsProject());
  });
  afterAll(async () => fixture.close());

  it('refuses activities without a valid type, oversized text, attachments of unknown shape and fractional watermarks with the Direct Line error body', async () => {
    const { post, get, poll } = await open(fixture);
    const refused = async (body: unknown) => {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('bad_request');
      return answer.json.message as string;
    };
    expect(await refused({ text: 'hi' })).toBe('invalid json payload: the activity has no `type` (for a user message it is "message")');
    expect(await refused({ type: 'mesage', text: 'hi' })).toMatch(/^invalid json payload: unknown activity type "mesage"; expected one of message, /);
    expect(await refused({ type: 7 })).toMatch(/^invalid json payload: unknown activity type 7/);
    expect(await refused({ type: 'message', text: 'x'.repeat(64 * 1024 + 1) })).toBe('text too large: at most 65536 characters');
    expect(await refused({ type: 'message', attachments: {} })).toBe('invalid json payload: `attachments` must be an array');
    expect(await refused({ type: 'message', attachments: ['card'] })).toBe('attachments[0]: invalid json payload: an attachment must be an object');
    expect(await refused({ type: 'message', attachments: [{ contentType: 'image/png' }] })).toBe(
      'attachments[0]: invalid json payload: an attachment needs `content` or `contentUrl`',
    );
    expect(await refused({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 5 }] })).toBe(
      'attachments[0]: invalid json payload: an attachment `contentUrl` must be a string',
    );
    expect(await refused({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: '{}' }] })).toBe(
      'attachments[0]: invalid json payload: a application/vnd.microsoft.card.adaptive attachment carries its card as an object',
    );
    expect(await refused({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } }] })).toBe(
      'attachments[0]: invalid json payload: an adaptive card attachment must have `type: "AdaptiveCard"`',
    );
    expect(await refused({ type: 'message', attachments: [{ contentType: 'text/plain', content: 'x'.repeat(512 * 1024 + 1) }] })).toBe(
      'attachments[0]: attachment too large',
    );
    // Nothing refused reached the conversation: only the join is in it.
    expect((await poll()).activities.map((a) => a.type)).toEqual(['conversationUpdate']);

    const image = { contentType: 'image/png', contentUrl: 'https://example.com/a.png', name: 'a.png' };
    expect((await post({ type: 'message', text: 'look', attachments: [image] })).status).toBe(201);
    for (const watermark of ['1.5', '1e3', '0x1', 'x']) {
      const answer = await get(watermark);
      expect(answer.status).toBe(400);
      expect(answer.json.message).toBe(watermark === 'x' ? 'watermark must be a number' : 'watermark must be a whole number');
    }
    expect((await poll('-1')).activities.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'message']);
  });

  it('delivers imBack, postBack and messageBack card actions to the flow, without the client bookkeeping of channelData', async () => {
    const { post, poll } = await open(fixture);
    const answerTo = async (body: Record<string, unknown>) => {
      const posted = await post({ type: 'message', ...body });
      expect(posted.status).toBe(201);
      const { activities } = await poll();
      const reply = activities.find((a) => a.replyToId === posted.json.id);
      return reply?.text;
    };
    // imBack: the button's value, sent as typed text.
    expect(await answerTo({ text: 'yes', channelData: { clientActivityID: 'c-1' } })).toBe(
      'text=[yes] action=[] value=[] submit=[] feature=[] postBack=[] client=[]',
    );
    // postBack: the same, hidden from the transcript by Web Chat through channelData.postBack.
    expect(await answerTo({ text: 'yes', channelData: { postBack: true, clientActivityID: 'c-2' } })).toBe(
      'text=[yes] action=[] value=[] submit=[] feature=[] postBack=[] client=[]',
    );
    // postBack or messageBack with a plain value.
    expect(await answerTo({ value: 'blue', channelData: { postBack: true, feature: 'colours' } })).toBe(
      'text=[message] action=[] value=[blue] submit=[true] feature=[colours] postBack=[] client=[]',
    );
    // messageBack: text to show, and data for the flow.
    expect(await answerTo({ text: 'About', value: { action: 'about' }, channelData: { messageBack: { displayText: 'About' } } })).toBe(
      'text=[About] action=[about] value=[] submit=[true] feature=[] postBack=[] client=[]',
    );
    // Action.Submit: the data alone.
    expect(await answerTo({ value: { action: 'help' } })).toBe('text=[message] action=[help] value=[] submit=[true] feature=[] postBack=[] client=[]');
  });
});

describe('Direct Line typing indicator', () => {
  let fixture: DirectLineFixture;
  const gated = gatedChat(actionsProject());
  beforeAll(async () => {
    fixture = await startDirectLine({ autoStartOnOpen: false, chat: gated.chat });
  });
  afterAll(async () => fixture.close());

  it('shows the bot typing while a turn runs, on the stream and at the end of polls, and never stores it', async () => {
    const { streamUrl, post, poll } = await open(fixture);
    const socket = new WebSocket(streamUrl);
    const streamed: Activity[] = [];
    socket.on('message', (data) => {
      const text = String(data);
      if (text) streamed.push(...(JSON.parse(text) as { activities: Activity[] }).activities);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    await expect.poll(() => streamed.length).toBe(1);

    gated.hold();
    const posted = post({ type: 'message', text: 'hi' });
    await expect.poll(() => streamed.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'typing']);
    expect(streamed[2]).toMatchObject({ from: { id: 'bot', role: 'bot' }, id: expect.stringMatching(/^typing-/) });
    expect(streamed[2]).not.toHaveProperty('watermark');

    const during = await poll();
    expect(during.activities.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'typing']);
    expect(during.watermark).toBe('2');
    const again = await poll('2');
    expect(again.activities.map((a) => a.type)).toEqual(['typing']);
    expect(again.activities[0]?.id).not.toBe(during.activities[2]?.id);

    gated.release();
    expect((await posted).status).toBe(201);
    await expect.poll(() => streamed.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'typing', 'message']);
    const after = await poll();
    expect(after.activities.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'message']);
    expect(after.watermark).toBe('3');
    socket.close();
  });
});

describe('Direct Line replies with cards and quick replies', () => {
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({}, writeWebchatProject());
  });
  afterAll(async () => fixture.close());

  it('sends a flow envelope\'s suggested actions and hero card on one activity, and takes the actions back', async () => {
    const { post, poll } = await open(fixture);
    await expect.poll(async () => (await poll()).activities.filter((a) => a.type === 'message').map((a) => a.text)).toEqual(["Welcome! What's your name?"]);
    const say = async (body: Record<string, unknown>) => {
      const posted = await post({ type: 'message', ...body });
      expect(posted.status).toBe(201);
      return (await poll()).activities.filter((a) => a.replyToId === posted.json.id);
    };
    const [welcome, menu] = await say({ text: 'Ada' });
    expect(welcome?.text).toBe('Nice to meet you, Ada!');
    expect(menu?.attachments).toEqual([{ contentType: 'application/vnd.microsoft.card.adaptive', content: expect.objectContaining({ type: 'AdaptiveCard' }) }]);

    const [offer, ...rest] = await say({ value: { choice: 'colours' } });
    expect(rest).toEqual([]);
    expect(offer).toMatchObject({
      type: 'message',
      text: 'Which colour?',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Blue', value: 'blue' }, { type: 'imBack', title: 'Red', value: 'red' }] },
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'More colours', buttons: [{ type: 'postBack' }, { type: 'messageBack' }] } }],
    });

    // Web Chat sends an imBack as the user's text, a postBack as hidden text, a messageBack as text with a value.
    expect((await say({ text: 'blue' }))[0]?.text).toBe('You picked blue.');
    await say({ value: { choice: 'colours' } });
    expect((await say({ text: 'green', channelData: { postBack: true } }))[0]?.text).toBe('You picked green.');
    await say({ value: { choice: 'colours' } });
    expect((await say({ text: 'yellow', value: { colour: 'yellow' }, channelData: { messageBack: { displayText: 'Yellow, please' } } }))[0]?.text).toBe(
      'You picked yellow (yellow).',
    );
  });
});
