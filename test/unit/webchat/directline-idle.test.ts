/**
 * Direct Line conversations end after a time without use, over real HTTP and WebSocket, with a clock
 * the tests move (nothing waits for real time to pass).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DirectLineOptions } from '../../../src/runtime/channels/webchat';
import { call, startDirectLine, type DirectLineFixture } from './support';

const IDLE_MS = 60_000;

let fixture: DirectLineFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** A Direct Line server for the sample project whose idle clock is `clock.now`. */
async function serve(options: Partial<DirectLineOptions> = {}) {
  const clock = { now: 1_000_000 };
  fixture = await startDirectLine({ idleTimeoutMs: IDLE_MS, now: () => clock.now, ...options });
  const served = fixture;
  const runtime = async () => (await served.chat.project()).runtime;
  const open = async (user = 'alice') => {
    const generated = await call(served.base, 'POST', '/tokens/generate', { bearer: served.directLine.secret, body: { user: { id: user } } });
    const opened = await call(served.base, 'POST', '/conversations', { bearer: generated.json.token as string });
    return { status: opened.status, json: opened.json, id: opened.json.conversationId as string, token: opened.json.token as string };
  };
  return { clock, fixture: served, runtime, open };
}

async function activities(base: string, id: string, token: string) {
  return call(base, 'GET', `/conversations/${id}/activities`, { bearer: token });
}

/** Polls until the conversation's opening turn (the sample's greeting, which parks the flow) is in the log. */
async function greeted(base: string, id: string, token: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { json } = await activities(base, id, token);
    if ((json.activities as unknown[]).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the opening turn never answered');
}

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', () => undefined);
  });
}

describe('Direct Line conversations that go idle', () => {
  it('end after the idle timeout with their runner conversation and session, and then answer 404 saying so', async () => {
    const { clock, fixture: dl, runtime, open } = await serve();
    const { id, token, json } = await open();
    await greeted(dl.base, id, token);
    expect((await runtime()).has(id)).toBe(true);
    // The greeting reaches the log a moment before the turn's session is stored.
    await expect.poll(async () => (await dl.chat.sessions.list()).length).toBe(1);

    // Any request restarts the idle time.
    clock.now += IDLE_MS - 1;
    expect(await dl.directLine.sweep()).toBe(0);
    expect((await activities(dl.base, id, token)).status).toBe(200);
    clock.now += IDLE_MS - 1;
    expect(await dl.directLine.sweep()).toBe(0);

    clock.now += 1;
    expect(await dl.directLine.sweep()).toBe(1);
    expect(dl.directLine.conversationCount).toBe(0);
    expect((await runtime()).has(id)).toBe(false);
    expect(await dl.chat.sessions.list()).toEqual([]);

    const gone = { status: 404, json: { error: 'not_found', message: 'conversation not found: it ended after 1 min without activity' } };
    expect(await activities(dl.base, id, token)).toEqual(gone);
    expect(await call(dl.base, 'POST', `/conversations/${id}/activities`, { bearer: token, body: { type: 'message', text: 'still there?' } })).toEqual(gone);
    expect(await call(dl.base, 'GET', `/conversations/${id}`, { bearer: token })).toEqual(gone);
    expect(await call(dl.base, 'POST', '/tokens/refresh', { bearer: token })).toEqual(gone);
    expect(await activities(dl.base, id, dl.directLine.secret)).toEqual({ status: 404, json: { error: 'not_found', message: 'conversation not found' } });
    expect(await upgradeStatus(json.streamUrl as string)).toBe(404);
  });

  it('stay open while a stream is connected, and count the idle time from when it closes', async () => {
    const { clock, fixture: dl, open } = await serve();
    const { id, token, json } = await open();
    await greeted(dl.base, id, token);
    const socket = new WebSocket(json.streamUrl as string);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));

    clock.now += 10 * IDLE_MS;
    expect(await dl.directLine.sweep()).toBe(0);
    await call(dl.base, 'POST', `/conversations/${id}/activities`, { bearer: token, body: { type: 'message', text: 'Ada' } });
    for (let i = 0; i < 200 && !frames.some((frame) => frame.includes('Nice to meet you, Ada')); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(frames.join('')).toContain('Nice to meet you, Ada');

    clock.now += 10 * IDLE_MS;
    socket.close();
    // The server sees the close a moment after the client.
    for (let i = 0; i < 200 && dl.directLine.streamCount > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dl.directLine.streamCount).toBe(0);
    clock.now += IDLE_MS - 1;
    expect(await dl.directLine.sweep()).toBe(0);

    clock.now += 1;
    expect(await dl.directLine.sweep()).toBe(1);
    expect((await activities(dl.base, id, token)).status).toBe(404);
  });

  it('free their slot: a server full of conversations accepts new ones once idle ones have ended', async () => {
    const { clock, fixture: dl, open } = await serve({ maxConversations: 2, autoStartOnOpen: false });
    const first = await open('a');
    const second = await open('b');
    clock.now += IDLE_MS / 2;
    expect(await activities(dl.base, second.id, second.token)).toMatchObject({ status: 200 });
    expect(await open('c')).toMatchObject({ status: 503, json: { error: 'state_contended', message: 'too many open conversations (2)' } });

    clock.now += IDLE_MS / 2;
    expect(await dl.directLine.sweep()).toBe(1);
    expect((await activities(dl.base, first.id, first.token)).status).toBe(404);
    expect((await activities(dl.base, second.id, second.token)).status).toBe(200);
    const third = await open('c');
    expect(third.status).toBe(201);
    expect(await open('d')).toMatchObject({ status: 503 });
  });

  it('never exceed the limit when many clients open conversations at the same moment', async () => {
    const { open } = await serve({ maxConversations: 3, autoStartOnOpen: false });
    const statuses = (await Promise.all(Array.from({ length: 12 }, (_, i) => open(`user-${i}`)))).map((opened) => opened.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 503)).toHaveLength(9);
  });

  it('leave nothing behind: after many short conversations no conversation, runner conversation or session is left', async () => {
    const { clock, fixture: dl, runtime, open } = await serve({ maxConversations: 50 });
    for (let round = 0; round < 3; round += 1) {
      const opened = await Promise.all(Array.from({ length: 50 }, (_, i) => open(`user-${round}-${i}`)));
      expect(opened.filter((c) => c.status !== 201).map((c) => c.json)).toEqual([]);
      await Promise.all(opened.map((c) => greeted(dl.base, c.id, c.token)));
      await Promise.all(
        opened.map((c) => call(dl.base, 'POST', `/conversations/${c.id}/activities`, { bearer: c.token, body: { type: 'message', text: 'Ada' } })),
      );
      expect(dl.directLine.conversationCount).toBe(50);
      expect((await runtime()).list()).toHaveLength(50);

      clock.now += IDLE_MS;
      expect(await dl.directLine.sweep()).toBe(50);
      expect(dl.directLine.conversationCount).toBe(0);
      expect((await runtime()).list()).toEqual([]);
      expect(await dl.chat.sessions.list()).toEqual([]);
    }
  });

  it('keep at most their byte budget of activities', async () => {
    const { fixture: dl, open } = await serve({ autoStartOnOpen: false, log: { maxBytes: 16 * 1024 } });
    const { id, token } = await open();
    for (let i = 0; i < 20; i += 1) {
      const posted = await call(dl.base, 'POST', `/conversations/${id}/activities`, { bearer: token, body: { type: 'event', name: 'ping', value: { pad: 'x'.repeat(2000) } } });
      expect(posted.status).toBe(201);
    }
    const response = await fetch(`${dl.base}/conversations/${id}/activities`, { headers: { Authorization: `Bearer ${token}` } });
    const body = await response.text();
    expect(Buffer.byteLength(body)).toBeLessThan(16 * 1024 + 100);
    const kept = (JSON.parse(body) as { activities: { watermark: string }[]; watermark: string }).activities;
    // The conversationUpdate of the join is the first activity, so the 20 events end at watermark 21.
    expect(kept.at(-1)?.watermark).toBe('21');
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.length).toBeLessThan(9);
  });
});
