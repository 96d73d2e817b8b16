import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../webchat/support';
import { plainRequest, rawExchange, upgradeRequest, type RawAnswer } from '../../support/raw-http';
import { startServe, type ServeRun } from '../../support/serve';

/**
 * Sends a request head and then an endless chunked body, as fast as the server takes it, and
 * resolves with what the server answered once it closes the connection.
 */
function endlessChunkedBody(port: number, head: string): Promise<RawAnswer & { sentBytes: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const payload = 'a'.repeat(64 * 1024);
    const chunk = `${payload.length.toString(16)}\r\n${payload}\r\n`;
    let open = true;
    let sentBytes = 0;
    const pump = () => {
      while (open && socket.write(chunk)) sentBytes += chunk.length;
      if (open) socket.once('drain', pump);
    };
    socket.on('data', (data: Buffer) => chunks.push(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      resolve({ status: status ? Number(status[1]) : null, text, sentBytes });
    });
    socket.write(head);
    pump();
  });
}

describe.each([
  { mode: 'serve', flags: [] as string[] },
  { mode: 'serve --ui', flags: ['--ui'] },
])('hostile requests to $mode', ({ flags }) => {
  let folder: string;
  let serve: ServeRun;
  let port: number;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'gs-hostile-'));
    cpSync(sampleProject, folder, { recursive: true });
    serve = await startServe(folder, ...flags);
    port = serve.ready.port;
  });
  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
    rmSync(folder, { recursive: true, force: true });
  });

  async function expectStillServing(): Promise<void> {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  }

  it('answers 400 to a stream upgrade whose conversation id is a malformed escape, and keeps serving', async () => {
    const answer = await rawExchange(port, upgradeRequest('/v3/directline/conversations/%E0%A4%A/stream?t=x'));
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/malformed percent-encoding/);
    await expectStillServing();
  });

  it('answers 400, not 500, to a REST path with a malformed escape', async () => {
    const bearer = { Authorization: `Bearer ${serve.ready.secret}` };
    for (const headers of [{}, bearer]) {
      const answer = await rawExchange(port, plainRequest('GET', '/v3/directline/conversations/%E0%A4%A/activities', headers));
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/malformed percent-encoding/);
    }
    await expectStillServing();
  });

  it('answers 400 to an absolute-form target that is not a URL, as an upgrade and as a request', async () => {
    for (const request of [upgradeRequest('http://[/api'), plainRequest('GET', 'http://[/api'), plainRequest('GET', 'http://[/v3/directline/conversations')]) {
      const answer = await rawExchange(port, request);
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/invalid request target/);
    }
    await expectStillServing();
  });

  it('closes the connection after a 413 instead of reading an endless body', async () => {
    const head =
      `POST /v3/directline/conversations/any/activities HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${serve.ready.secret}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answer = await endlessChunkedBody(port, head);
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(/Connection: close/i);
    await expectStillServing();
  });

  it('closes the connection after refusing a request whose endless body it never reads', async () => {
    const answer = await endlessChunkedBody(port, 'POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    expect(answer.status).toBe(flags.includes('--ui') ? 401 : 404);
    await expectStillServing();
  });
});
