import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src/shared/ws-protocol';
import { startStudioServer } from '../../../src/runtime/http/server';
import { StudioService } from '../../../src/runtime/studio';
import { sampleProjectCopy } from './support';

const token = 'debug-token-0123456789';

/** A web-mode client: numbered calls, and every message the server sent so far. */
async function client(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const received: ServerMessage[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
  let id = 0;
  const waitFor = async (predicate: (m: ServerMessage) => boolean) => {
    await expect.poll(() => received.some(predicate), { timeout: 30_000, interval: 10 }).toBe(true);
    return received.find(predicate) as ServerMessage;
  };
  return {
    ws,
    waitFor,
    call(method: string, params: unknown): number {
      id += 1;
      ws.send(JSON.stringify({ type: 'call', id, method, params }));
      return id;
    },
    result: (callId: number) => waitFor((m) => m.type === 'result' && m.id === callId) as Promise<Extract<ServerMessage, { type: 'result' }>>,
  };
}

describe('the debugger over the web-mode WebSocket', () => {
  it('pushes the pause, takes an edit and Continue, and answers the held sendMessage', async () => {
    const project = sampleProjectCopy();
    const studio = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'debug-ws-config-')) });
    const server = await startStudioServer({ host: '127.0.0.1', port: 0, token, uiDir: null, handlers: studio.handlers, events: studio.events });
    const api = await client(server.port);
    try {
      await api.result(api.call('openProject', { path: project }));
      const set = await api.result(api.call('setBreakpoints', { flowPath: 'flows/main.ygtc', breakpoints: [{ nodeId: 'say_hello' }] }));
      expect(set.ok).toBe(true);
      await api.waitFor((m) => m.type === 'event' && m.event === 'breakpointsChanged');
      const started = await api.result(api.call('startConversation', { flowPath: 'flows/main.ygtc' }));
      const { conversationId } = (started as { result: { conversationId: string } }).result;
      const send = api.call('sendMessage', { conversationId, text: 'hi' });
      const paused = (await api.waitFor((m) => m.type === 'event' && m.event === 'debugPaused')) as Extract<ServerMessage, { type: 'event' }>;
      expect(paused.payload).toMatchObject({ conversationId, nodeId: 'say_hello', reason: 'breakpoint' });

      const refused = await api.result(api.call('debugEdit', { conversationId }));
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      const edited = await api.result(api.call('debugEdit', { conversationId, input: { messages: [{ type: 'text', text: 'Edited over the socket' }] } }));
      expect(edited).toMatchObject({ ok: true, result: { edited: { input: true, state: false } } });
      await api.result(api.call('debugContinue', { conversationId }));
      await api.waitFor((m) => m.type === 'event' && m.event === 'debugResumed');
      expect(await api.result(send)).toMatchObject({ ok: true, result: { status: 'waiting', replies: [{ type: 'text', text: 'Edited over the socket' }] } });
    } finally {
      api.ws.close();
      await server.close();
    }
  });
});
