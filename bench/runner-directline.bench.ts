/**
 * The runner through Direct Line over loopback (client and server in this process): the latency
 * of one conversation alone; the latency with 200 conversations open and chatting at once, each
 * pausing 100-300 ms between messages as people do (goal: p99 under 10 ms); then 1,000
 * conversations sending back to back, checking that every reply arrives exactly once, in the
 * conversation it belongs to.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startDirectLine, type DirectLineFixture } from '../test/unit/webchat/support';
import { percentile, printFigure } from './report';
import { FIVE_NODE_FLOW } from './runner-flow';

interface Client {
  conversationId: string;
  token: string;
  socket: WebSocket;
  /** Bot replies received on this conversation's socket, by the id of the activity they answer. */
  replies: Map<string, string[]>;
  waiters: Map<string, () => void>;
}

async function post(url: string, bearer: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function connect(fixture: DirectLineFixture, user: string): Promise<Client> {
  const { token } = (await post(`${fixture.base}/tokens/generate?tenant=bench`, fixture.directLine.secret, { user: { id: user } })) as { token: string };
  const opened = (await post(`${fixture.base}/conversations`, token)) as { conversationId: string; token: string; streamUrl: string };
  const socket = new WebSocket(opened.streamUrl);
  const client: Client = { conversationId: opened.conversationId, token: opened.token, socket, replies: new Map(), waiters: new Map() };
  socket.on('message', (data) => {
    const text = String(data);
    if (!text) return;
    for (const activity of (JSON.parse(text) as { activities: { from: { id: string }; replyToId?: string; text?: string }[] }).activities) {
      if (activity.from.id !== 'bot' || !activity.replyToId) continue;
      const list = client.replies.get(activity.replyToId) ?? [];
      list.push(activity.text ?? '');
      client.replies.set(activity.replyToId, list);
      if (list.length === 2) client.waiters.get(activity.replyToId)?.();
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return client;
}

/** One turn; resolves with the latency from sending to the last reply arriving on the socket. */
async function turn(fixture: DirectLineFixture, client: Client, text: string): Promise<{ ms: number; id: string }> {
  const started = process.hrtime.bigint();
  let arrived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (arrived = resolve));
  const { id } = (await post(`${fixture.base}/conversations/${client.conversationId}/activities`, client.token, { type: 'message', text })) as { id: string };
  if ((client.replies.get(id)?.length ?? 0) < 2) {
    client.waiters.set(id, arrived);
    await done;
  }
  client.waiters.delete(id);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, id };
}

async function run(conversations: number, turnsEach: number, thinkMs = 0): Promise<{ latencies: number[]; seconds: number; lost: number; duplicated: number; misdelivered: number }> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-dl-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(path.join(root, 'flows', 'bench.ygtc'), FIVE_NODE_FLOW);
  const fixture = await startDirectLine({ autoStartOnOpen: false, maxConversations: conversations + 10 }, root);
  const clients: Client[] = [];
  for (let i = 0; i < conversations; i += 50) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(50, conversations - i) }, (_, j) => connect(fixture, `user-${i + j}`)))));
  }
  const latencies: number[] = [];
  const sent: { client: Client; id: string; text: string }[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let t = 0; t < turnsEach; t += 1) {
        if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs / 2 + Math.random() * thinkMs));
        const text = `c${c}-t${t}`;
        const { ms, id } = await turn(fixture, client, text);
        latencies.push(ms);
        sent.push({ client, id, text });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 200));
  let lost = 0;
  let duplicated = 0;
  let misdelivered = 0;
  for (const { client, id, text } of sent) {
    const replies = client.replies.get(id) ?? [];
    if (replies.length < 2) lost += 1;
    if (replies.length > 2) duplicated += 1;
    if (replies.some((reply) => !reply.endsWith(text) && !reply.endsWith(`(${text})`))) misdelivered += 1;
  }
  const expected = new Set(sent.map((s) => s.id));
  for (const client of clients) for (const id of client.replies.keys()) if (!expected.has(id) || !sent.some((s) => s.id === id && s.client === client)) misdelivered += 1;
  for (const client of clients) client.socket.close();
  await fixture.close();
  return { latencies, seconds, lost, duplicated, misdelivered };
}

await run(20, 20); // warm-up

const alone = await run(1, 500);
printFigure({ name: 'Direct Line, 1 conversation: p50 latency', value: percentile(alone.latencies, 50), unit: 'ms' });
printFigure({ name: 'Direct Line, 1 conversation: p99 latency', value: percentile(alone.latencies, 99), unit: 'ms' });

const steady = await run(200, 10, 200);
printFigure({ name: 'Direct Line, 200 conversations chatting: turns per second', value: steady.latencies.length / steady.seconds, unit: 'turns/s' });
printFigure({ name: 'Direct Line, 200 conversations chatting: p50 latency', value: percentile(steady.latencies, 50), unit: 'ms' });
printFigure({ name: 'Direct Line, 200 conversations chatting: p99 latency', value: percentile(steady.latencies, 99), unit: 'ms', goal: { max: 10 } });

const crowd = await run(1000, 3);
printFigure({ name: 'Direct Line, 1,000 conversations back to back: turns/s', value: crowd.latencies.length / crowd.seconds, unit: 'turns/s' });
printFigure({ name: 'Direct Line, 1,000 conversations: p99 latency', value: percentile(crowd.latencies, 99), unit: 'ms' });
printFigure({ name: 'Direct Line, 1,000 conversations: replies lost', value: crowd.lost, unit: 'turns', goal: { max: 0 } });
printFigure({ name: 'Direct Line, 1,000 conversations: replies duplicated', value: crowd.duplicated, unit: 'turns', goal: { max: 0 } });
printFigure({ name: 'Direct Line, 1,000 conversations: replies misdelivered', value: crowd.misdelivered, unit: 'replies', goal: { max: 0 } });
if (crowd.lost + crowd.duplicated + crowd.misdelivered > 0) process.exitCode = 1;
