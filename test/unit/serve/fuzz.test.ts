import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../webchat/support';
import { plainRequest, rawExchange, upgradeRequest } from '../../support/raw-http';
import { seededRandom } from '../../support/random';
import { startServe, type ServeRun } from '../../support/serve';
import { mutateRequest } from './request-mutations';

const WARM_UP = 300;
const EXCHANGES = 2500;
const PARALLEL = 8;
/** How far above its warmed-up heap the server may stay once the fuzzed conversations have ended. */
const HEAP_SLACK_BYTES = 6 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** The answers' statuses (null: the server closed without an answer), sending `count` mutated requests. */
async function fuzz(port: number, templates: string[], seed: number, count: number): Promise<Array<number | null>> {
  const random = seededRandom(seed);
  const requests = Array.from({ length: count }, () => mutateRequest(templates[Math.floor(random() * templates.length)] as string, random));
  const statuses: Array<number | null> = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++] as string;
      statuses.push((await rawExchange(port, Buffer.from(request, 'latin1'))).status);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return statuses;
}

describe.each([
  { mode: 'serve', flags: [] as string[], seed: 0x5eed },
  { mode: 'serve --ui', flags: ['--ui'], seed: 0x5eed + 1 },
])('$mode under thousands of mutated requests', ({ flags, seed }) => {
  let folder: string;
  let serve: ServeRun;
  let base: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'gs-fuzz-'));
    cpSync(sampleProject, folder, { recursive: true });
    // Conversations the fuzz opens end soon after it, so that their memory can be seen to come back.
    serve = await startServe(folder, '--directline-idle', '2', ...flags);
    base = serve.ready.directline;
  });
  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
    rmSync(folder, { recursive: true, force: true });
  });

  async function openConversation(): Promise<{ conversationId: string; token: string }> {
    const res = await fetch(`${base}/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${serve.ready.secret}` } });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; token: string };
  }

  async function templates(): Promise<string[]> {
    const { conversationId, token } = await openConversation();
    const uiToken = new URL(serve.ready.url).searchParams.get('token') ?? '';
    const secret = { Authorization: `Bearer ${serve.ready.secret}` };
    const bearer = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const conversation = `/v3/directline/conversations/${conversationId}`;
    return [
      plainRequest('GET', '/healthz'),
      plainRequest('GET', `/?token=${uiToken}`),
      plainRequest('GET', '/assets/index.js', { Cookie: `greentic_studio_token=${uiToken}` }),
      plainRequest('OPTIONS', '/v3/directline/conversations', { Origin: 'http://example.test' }),
      plainRequest('POST', '/v3/directline/tokens/generate?tenant=acme', { ...secret, 'Content-Type': 'application/json' }, '{"user":{"id":"fuzz"}}'),
      plainRequest('POST', '/v3/directline/tokens/refresh', bearer, ''),
      plainRequest('POST', '/v3/directline/conversations', secret),
      plainRequest('GET', conversation, bearer),
      plainRequest('GET', `${conversation}/activities?watermark=0`, bearer),
      plainRequest('POST', `${conversation}/activities`, bearer, '{"type":"message","from":{"id":"user"},"text":"hi"}'),
      upgradeRequest(`${conversation}/stream?watermark=-1&t=${encodeURIComponent(token)}`),
      upgradeRequest(`/api?token=${uiToken}`),
    ];
  }

  it('answers each with a status below 500, logs no internal error, still serves and gives its memory back', async () => {
    await fuzz(serve.ready.port, await templates(), seed ^ 0xffff, WARM_UP);
    const baseline = heapAfterGc();

    const statuses = await fuzz(serve.ready.port, await templates(), seed, EXCHANGES);
    expect(statuses).toHaveLength(EXCHANGES);
    const failures = statuses.filter((status) => status !== null && status >= 500 && status !== 501 && status !== 503);
    expect(failures).toEqual([]);
    // Most mutated requests still reach a handler and get its answer.
    expect(statuses.filter((status) => status !== null && status < 500).length).toBeGreaterThan(EXCHANGES / 2);
    expect(serve.stderr()).not.toMatch(/internal error/);

    const health = await fetch(`http://127.0.0.1:${serve.ready.port}/healthz`);
    expect(health.status).toBe(200);
    const { conversationId, token } = await openConversation();
    const posted = await fetch(`${base}/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'user' }, text: 'hello' }),
    });
    expect(posted.status).toBe(201);
    const log = await fetch(`${base}/conversations/${conversationId}/activities`, { headers: { Authorization: `Bearer ${token}` } });
    const { activities } = (await log.json()) as { activities: Array<{ from: { id: string } }> };
    expect(activities.some((activity) => activity.from.id !== 'user')).toBe(true);
    if (flags.includes('--ui')) {
      const page = await fetch(serve.ready.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    }

    // Conversations the fuzz opened end after the idle time; the heap then comes back near where it was.
    await expect
      .poll(() => heapAfterGc() - baseline, { timeout: 30_000, interval: 500 })
      .toBeLessThan(HEAP_SLACK_BYTES);
  }, 120_000);
});
