import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../src/runtime/events';
import { startStudioServer, type RunningServer } from '../../../src/runtime/http/server';
import type { StudioHandlers } from '../../../src/shared/api';
import type { ServerMessage } from '../../../src/shared/ws-protocol';

const token = 'test-token-0123456789';
const events = new EventBus();
const handlers = {
  getProject: vi.fn(async () => ({ root: '/p', name: 'demo', packId: null, flows: [] })),
  readFlow: vi.fn(async () => {
    throw new Error('disk on fire');
  }),
} as unknown as StudioHandlers;

let server: RunningServer;

beforeAll(async () => {
  const ui = mkdtempSync(path.join(tmpdir(), 'studio-ui-'));
  mkdirSync(path.join(ui, 'assets'));
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
  server = await startStudioServer({ host: '127.0.0.1', port: 0, token, uiDir: ui, handlers, events });
});

afterAll(() => server.close());

function openSocket(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<ServerMessage> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage)));
}

describe('web-mode server', () => {
  it('answers 401 to a request without the token', async () => {
    const res = await fetch(`${server.origin}/`);
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/token/);
    expect((await fetch(`${server.origin}/?token=wrong`)).status).toBe(401);
  });

  it('serves the UI with the token, a strict CSP and a session cookie for its assets', async () => {
    const res = await fetch(server.uiUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    const asset = await fetch(`${server.origin}/assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect((await fetch(`${server.origin}/assets/app.js`)).status).toBe(401);
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(openSocket('')).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${token}`, { origin: 'https://evil.example' })).rejects.toThrow(/401/);
  });

  it('carries calls, errors and events over the WebSocket', async () => {
    const ws = await openSocket(`?token=${token}`);
    try {
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'getProject', params: {} }));
      expect(await nextMessage(ws)).toEqual({ type: 'result', id: 1, ok: true, result: expect.objectContaining({ name: 'demo' }) });

      ws.send(JSON.stringify({ type: 'call', id: 2, method: 'readFlow', params: { path: 'a.ygtc' } }));
      expect(await nextMessage(ws)).toMatchObject({ id: 2, ok: false, error: { code: 'internal', message: 'disk on fire' } });

      ws.send(JSON.stringify({ type: 'call', id: 3, method: 'noSuchMethod', params: {} }));
      expect(await nextMessage(ws)).toMatchObject({ id: 3, ok: false, error: { code: 'bad_request' } });

      ws.send('{not json');
      expect(await nextMessage(ws)).toMatchObject({ type: 'error', error: { code: 'bad_request' } });

      const pushed = nextMessage(ws);
      events.emit('progress', { task: 'pack', done: 3, total: 10 });
      expect(await pushed).toEqual({ type: 'event', event: 'progress', payload: { task: 'pack', done: 3, total: 10 } });
    } finally {
      ws.close();
    }
  });
});
