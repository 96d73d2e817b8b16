/**
 * CORS of `serve`: the Direct Line routes answer pages of other origins (any by default, the listed
 * ones with `--cors-origin`) with the headers and methods real Direct Line clients use; the studio UI
 * and its API never answer a foreign origin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { call, sampleProject } from '../webchat/support';
import { startServe, type Ready } from './serve-support';

/** What Web Chat's Direct Line client asks for before its first POST /conversations. */
async function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,x-ms-bot-agent,x-requested-with',
    },
  });
}

function listed(header: string | null): string[] {
  return (header ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
}

/** The status of a WebSocket upgrade to `url` sent with `origin`. */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { origin });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', () => undefined);
  });
}

async function openConversation(ready: Ready, origin?: string) {
  const headers: Record<string, string> = origin ? { Origin: origin } : {};
  const generated = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret, headers });
  const opened = await call(ready.directline, 'POST', '/conversations', { bearer: generated.json.token as string, headers });
  return opened.json as { conversationId: string; token: string; streamUrl: string };
}

describe('serve: CORS of the Direct Line endpoint', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'serve-cors-'));
    vi.stubEnv('GREENTIC_STUDIO_CONFIG_DIR', path.join(dir, 'config'));
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a page of any origin in by default, with every header, method and exposed header Direct Line clients use', async () => {
    const serve = startServe([sampleProject, '--ui']);
    const ready = await serve.ready();
    const page = 'http://127.0.0.1:1';
    const answer = await preflight(`${ready.directline}/conversations`, page);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(listed(answer.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'accept', 'x-ms-bot-agent', 'x-requested-with', 'x-greentic-flow', 'x-greentic-locale']),
    );
    expect(listed(answer.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'options']));

    const generated = await fetch(`${ready.directline}/tokens/generate`, { method: 'POST', headers: { Origin: page, Authorization: `Bearer ${ready.secret}` } });
    expect(generated.status).toBe(200);
    expect(generated.headers.get('access-control-allow-origin')).toBe('*');
    expect(listed(generated.headers.get('access-control-expose-headers'))).toContain('retry-after');
    // Error answers carry them too, or the page could not read why it was refused.
    const refused = await fetch(`${ready.directline}/conversations`, { method: 'POST', headers: { Origin: page } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');

    const { streamUrl } = await openConversation(ready, page);
    expect(await upgradeStatus(streamUrl, page)).toBe(101);
    expect(await serve.stop()).toBe(0);
  });

  it('never answers a foreign origin on the studio UI or its API', async () => {
    const serve = startServe([sampleProject, '--ui']);
    const ready = await serve.ready();
    const foreign = 'http://evil.example';
    const ui = await fetch(ready.url, { headers: { Origin: foreign } });
    expect(ui.status).toBe(200);
    expect(ui.headers.get('access-control-allow-origin')).toBeNull();
    const uiPreflight = await preflight(ready.url, foreign);
    expect(uiPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(uiPreflight.status).not.toBe(204);
    const api = new URL(ready.url);
    api.protocol = 'ws:';
    api.pathname = '/api';
    expect(await upgradeStatus(api.toString(), foreign)).toBe(401);
    expect(await serve.stop()).toBe(0);
  });

  it('with --cors-origin, answers the listed origins only, on requests, preflights and streams', async () => {
    const serve = startServe([sampleProject, '--cors-origin', 'http://localhost:3000', '--cors-origin', 'HTTPS://Chat.Example.com/']);
    const ready = await serve.ready();
    for (const allowed of ['http://localhost:3000', 'https://chat.example.com']) {
      const answer = await preflight(`${ready.directline}/conversations`, allowed);
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(answer.headers.get('vary')).toContain('Origin');
    }
    const other = 'http://localhost:3001';
    const refused = await preflight(`${ready.directline}/conversations`, other);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const refusedPost = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret, headers: { Origin: other } });
    expect(refusedPost).toEqual({
      status: 403,
      json: { error: 'forbidden', message: 'origin http://localhost:3001 is not allowed to use this Direct Line endpoint (serve --cors-origin)' },
    });

    // A client that sends no Origin (a server, a CLI) is no page: CORS is not its concern.
    const { streamUrl } = await openConversation(ready);
    expect(await upgradeStatus(streamUrl, other)).toBe(403);
    expect(await upgradeStatus(streamUrl, 'http://localhost:3000')).toBe(101);
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a --cors-origin that is not an origin with a clear message and exit code 2', async () => {
    for (const value of ['localhost:3000', 'http://localhost:3000/chat', 'ftp://files.example']) {
      const serve = startServe([sampleProject, '--cors-origin', value]);
      expect(await serve.exit).toBe(2);
      expect(serve.stderr()).toContain(`--cors-origin: '${value}' is not an origin`);
    }
  });
});
