import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { call, startDirectLine, type DirectLineFixture } from './support';

type Activity = Record<string, unknown> & { id: string; type: string; watermark: string; from: { id: string } };

/** A project whose flow echoes what the webchat provider put in the envelope. */
function echoProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dl-echo-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(
    path.join(root, 'flows', 'echo.ygtc'),
    `id: echo
type: messaging
nodes:
  echo:
    templating.handlebars:
      text: "text=[{{in.input.text}}] action=[{{in.input.metadata.action}}] submit=[{{in.input.metadata.greentic_submit}}] user=[{{in.input.metadata.user_id}}] verified=[{{in.input.metadata.user_verified}}] tenant=[{{in.tenant}}] join=[{{in.input.metadata.event_type}} {{in.input.metadata.autoStart}} {{in.input.metadata.reason}} {{in.input.metadata.idempotency_key}}]"
`,
  );
  return root;
}

async function activities(base: string, conversationId: string, token: string, watermark = ''): Promise<Activity[]> {
  const { json } = await call(base, 'GET', `/conversations/${conversationId}/activities?watermark=${watermark}`, { bearer: token });
  return json.activities as Activity[];
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = await probe();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

describe('Direct Line 3.0 over real HTTP (channels.md §5 checklist)', () => {
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({}, echoProject());
  });
  afterAll(async () => fixture.close());

  async function openConversation(user = 'alice') {
    const generated = await call(fixture.base, 'POST', '/tokens/generate?tenant=acme', { bearer: fixture.directLine.secret, body: { user: { id: user } } });
    const opened = await call(fixture.base, 'POST', '/conversations', { bearer: generated.json.token as string });
    return { generated, opened, conversationId: opened.json.conversationId as string, token: opened.json.token as string };
  }

  it('issues a token, opens a conversation, and refuses to open a second one with the bound token', async () => {
    const { generated, opened, token } = await openConversation();
    expect(generated.status).toBe(200);
    expect(generated.json).toMatchObject({ token: expect.any(String), expires_in: 86400 });
    expect(opened.status).toBe(201);
    expect(opened.json.conversationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(opened.json.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?watermark=-1&t=/);
    const again = await call(fixture.base, 'POST', '/conversations', { bearer: token });
    expect(again).toEqual({ status: 403, json: { error: 'forbidden', message: 'token already bound to a conversation' } });
  });

  it('tells the client and the flow that the user joined: a conversationUpdate, and a turn the flow answers', async () => {
    const { conversationId, token } = await openConversation();
    const log = await until(() => activities(fixture.base, conversationId, token), (a) => a.some((activity) => activity.type === 'message'));
    expect(log[0]).toMatchObject({ type: 'conversationUpdate', from: { id: 'alice', role: 'user' }, membersAdded: [{ id: 'alice', role: 'user' }] });
    expect(log[1]).toMatchObject({ type: 'message', from: { id: 'bot', role: 'bot' }, replyToId: log[0]?.id, text: expect.stringContaining('text=[]') });
    expect(log[1]?.text).toContain('verified=[false]');
    expect(log[1]?.text).toContain(`join=[channel.user.entered true conversation_started lifecycle.user_entered:webchat:acme:${conversationId}:alice:conversation_started]`);
  });

  it('runs posted text and card submits through the flow with the token subject as user', async () => {
    const { conversationId, token } = await openConversation();
    await until(() => activities(fixture.base, conversationId, token), (a) => a.length > 1);
    const posted = await call(fixture.base, 'POST', `/conversations/${conversationId}/activities`, {
      bearer: token,
      body: { type: 'message', text: 'hi', from: { id: 'alice' }, channelData: { clientActivityID: 'c-1' } },
    });
    expect(posted.status).toBe(201);
    expect(posted.json).toMatchObject({ id: expect.any(String), _greentic: { watermark_bumped: 4, conversation_id: conversationId, tenant: 'acme' } });
    const submit = await call(fixture.base, 'POST', `/conversations/${conversationId}/activities`, {
      bearer: token,
      body: { type: 'message', value: { action: 'about', user_id: 'evil' }, from: { id: 'mallory' } },
    });
    expect(submit.status).toBe(201);
    const log = await activities(fixture.base, conversationId, token, '1');
    const bot = log.filter((a) => a.from.id === 'bot');
    expect(bot.map((a) => a.text)).toEqual([
      expect.stringContaining('text=[]'),
      'text=[hi] action=[] submit=[] user=[alice] verified=[false] tenant=[acme] join=[   ]',
      'text=[message] action=[about] submit=[true] user=[alice] verified=[false] tenant=[acme] join=[   ]',
    ]);
    const user = log.filter((a) => a.from.id !== 'bot');
    expect(user.map((a) => a.from)).toEqual([
      { id: 'alice', role: 'user' },
      { id: 'alice', role: 'user' },
    ]);
    // The echo is the client's own activity: Web Chat finds its message by the clientActivityID it sent.
    expect(user[0]).toMatchObject({ id: posted.json.id, channelData: { clientActivityID: 'c-1' }, text: 'hi' });
    expect(user[1]?.id).toBe(submit.json.id);
    expect(bot[1]?.replyToId).toBe(posted.json.id);
    expect(bot[2]?.replyToId).toBe(submit.json.id);
    expect(JSON.stringify(bot)).not.toContain('clientActivityID');
    for (const activity of log) {
      expect(typeof activity.watermark).toBe('string');
      expect(new Date(activity.timestamp as string).toISOString()).toBe(activity.timestamp);
    }
    const later = await call(fixture.base, 'GET', `/conversations/${conversationId}/activities?watermark=5`, { bearer: token });
    expect(later.json).toEqual({ activities: log.slice(4), watermark: '6' });
  });

  it('refreshes tokens and reconnects with a fresh streamUrl', async () => {
    const { conversationId, token } = await openConversation();
    const refreshed = await call(fixture.base, 'POST', '/tokens/refresh', { bearer: token });
    expect(refreshed).toMatchObject({ status: 200, json: { conversationId, token: expect.any(String), expires_in: 86400 } });
    const reconnect = await call(fixture.base, 'GET', `/conversations/${conversationId}`, { bearer: refreshed.json.token as string });
    expect(reconnect).toMatchObject({ status: 200, json: { conversationId, streamUrl: expect.stringContaining(conversationId) } });
  });

  it('answers bad requests with a status and an error body', async () => {
    const { conversationId, token } = await openConversation();
    const other = await openConversation('bob');
    const route = `/conversations/${conversationId}/activities`;
    expect(await call(fixture.base, 'GET', `${route}?watermark=x`, { bearer: token })).toEqual({
      status: 400,
      json: { error: 'bad_request', message: 'watermark must be a number' },
    });
    expect((await call(fixture.base, 'POST', route, { bearer: token, body: '{"type": "message",' })).json).toMatchObject({
      error: 'bad_request',
      message: expect.stringMatching(/^invalid json payload/),
    });
    expect((await call(fixture.base, 'POST', route, { bearer: token, body: [1, 2] })).status).toBe(400);
    expect((await call(fixture.base, 'POST', route, { bearer: token, body: { type: 'message', text: 5 } })).status).toBe(400);
    expect(
      (await call(fixture.base, 'POST', route, { bearer: token, body: { type: 'message', attachments: [{ contentType: 'application/x-evil', content: 'x' }] } })).json,
    ).toEqual({ error: 'bad_request', message: 'attachments[0]: unsupported attachment content type: application/x-evil' });
    expect((await call(fixture.base, 'POST', route, { bearer: token, body: 'hi', headers: { 'Content-Type': 'text/plain' } })).json.message).toBe(
      'unsupported content type: text/plain',
    );
    expect(await call(fixture.base, 'POST', route, { body: { type: 'message', text: 'hi' } })).toEqual({
      status: 401,
      json: { error: 'unauthorized', message: 'missing Authorization header' },
    });
    expect((await call(fixture.base, 'POST', route, { bearer: 'not-a-token', body: { type: 'message', text: 'hi' } })).status).toBe(401);
    expect((await call(fixture.base, 'POST', route, { bearer: other.token, body: { type: 'message', text: 'hi' } })).status).toBe(403);
    expect(await call(fixture.base, 'GET', '/conversations/nope/activities', { bearer: fixture.directLine.secret })).toEqual({
      status: 404,
      json: { error: 'not_found', message: 'conversation not found' },
    });
    expect((await call(fixture.base, 'GET', '/nowhere', { bearer: token })).status).toBe(404);
    expect((await call(fixture.base, 'DELETE', route, { bearer: token })).status).toBe(405);
    const huge = await call(fixture.base, 'POST', route, { bearer: token, body: { text: 'x'.repeat(2 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toBe('payload_too_large');
    expect((await call(fixture.base, 'POST', '/tokens/generate', { bearer: token })).status).toBe(403);
    expect((await call(fixture.base, 'POST', '/tokens/generate', { bearer: fixture.directLine.secret, body: { user: { id: 'a:users:b' } } })).json.error).toBe(
      'invalid_user_id',
    );
  });

  it('streams activity sets over the WebSocket at streamUrl, replaying from watermark -1', async () => {
    const { opened, conversationId, token } = await openConversation();
    await until(() => activities(fixture.base, conversationId, token), (a) => a.length > 0);
    const socket = new WebSocket(opened.json.streamUrl as string);
    const frames: { activities: Activity[]; watermark: string }[] = [];
    socket.on('message', (data) => {
      const text = String(data);
      if (text) frames.push(JSON.parse(text) as { activities: Activity[]; watermark: string });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    await until(async () => frames.length, (n) => n >= 1);
    await call(fixture.base, 'POST', `/conversations/${conversationId}/activities`, { bearer: token, body: { type: 'message', text: 'ws' } });
    const all = await until(async () => frames.flatMap((f) => f.activities).filter((a) => a.type !== 'typing'), (a) => a.length >= 4);
    expect(all.map((a) => a.text)).toEqual([undefined, expect.stringContaining('text=[]'), 'ws', expect.stringContaining('text=[ws]')]);
    expect(frames.at(-1)?.watermark).toBe('4');
    socket.close();
  });

  it('refuses a stream without a valid token for that conversation', async () => {
    const { conversationId } = await openConversation();
    const other = await openConversation('bob');
    const url = (t: string) => `${fixture.base.replace('http', 'ws')}/conversations/${conversationId}/stream?t=${t}`;
    for (const token of ['garbage', other.token]) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(url(token));
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(token === 'garbage' ? 401 : 403);
    }
  });
});
