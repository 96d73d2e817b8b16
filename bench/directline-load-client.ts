/**
 * The load client of `runner-directline.bench.ts`, run in its own process so that the latency it
 * measures is the server's and not the cost of the client sharing the server's event loop. It gets
 * one `LoadRequest` over IPC, plays it against the Direct Line endpoint (or the plain HTTP echo
 * server of the same run) and answers with a `LoadResult`.
 *
 * Requests go through one keep-alive agent with Nagle off, as a long-lived Direct Line client's
 * connection pool would; replies arrive on each conversation's WebSocket stream.
 */
import http from 'node:http';
import WebSocket from 'ws';

export interface LoadRequest {
  /** `directline`: real turns through the endpoint; `echo`: the same pattern of POSTs to a plain echo server. */
  target: 'directline' | 'echo';
  /** Direct Line base (`http://127.0.0.1:PORT/v3/directline`) or the echo server's URL. */
  base: string;
  secret: string;
  conversations: number;
  turnsEach: number;
  /** Mean pause between a conversation's messages (uniform in [think/2, 3·think/2]); 0 sends back to back. */
  thinkMs: number;
}

export interface LoadResult {
  latencies: number[];
  seconds: number;
  lost: number;
  duplicated: number;
  misdelivered: number;
}

/** Replies every turn of the benchmark flow sends: the emitted message and the final reply. */
const REPLIES_PER_TURN = 2;

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, noDelay: true });

function post(url: string, bearer: string, body: unknown): Promise<Record<string, unknown>> {
  const payload = JSON.stringify(body ?? {});
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if ((response.statusCode ?? 0) >= 300) reject(new Error(`${url}: ${response.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

interface Conversation {
  id: string;
  token: string;
  socket: WebSocket | null;
  /** Bot replies received on this conversation's socket, by the id of the activity they answer. */
  replies: Map<string, string[]>;
  waiters: Map<string, () => void>;
}

async function openConversation(request: LoadRequest, user: string): Promise<Conversation> {
  const { token } = (await post(`${request.base}/tokens/generate?tenant=bench`, request.secret, { user: { id: user } })) as { token: string };
  const opened = (await post(`${request.base}/conversations`, token, {})) as { conversationId: string; token: string; streamUrl: string };
  const socket = new WebSocket(opened.streamUrl, { perMessageDeflate: false });
  const conversation: Conversation = { id: opened.conversationId, token: opened.token, socket, replies: new Map(), waiters: new Map() };
  socket.on('message', (data) => {
    const text = String(data);
    if (!text) return;
    for (const activity of (JSON.parse(text) as { activities: { from: { id: string }; replyToId?: string; text?: string }[] }).activities) {
      if (activity.from.id !== 'bot' || !activity.replyToId) continue;
      const list = conversation.replies.get(activity.replyToId) ?? [];
      list.push(activity.text ?? '');
      conversation.replies.set(activity.replyToId, list);
      if (list.length === REPLIES_PER_TURN) conversation.waiters.get(activity.replyToId)?.();
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return conversation;
}

/** One Direct Line turn: from sending the message to the last of its replies arriving on the socket. */
async function directLineTurn(request: LoadRequest, conversation: Conversation, text: string): Promise<string> {
  let arrived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (arrived = resolve));
  const { id } = (await post(`${request.base}/conversations/${conversation.id}/activities`, conversation.token, { type: 'message', text })) as { id: string };
  if ((conversation.replies.get(id)?.length ?? 0) < REPLIES_PER_TURN) {
    conversation.waiters.set(id, arrived);
    await done;
  }
  conversation.waiters.delete(id);
  return id;
}

/** What the benchmark flow (bench/runner-flow.ts) answers to `text`: the emitted message and the reply. */
function expectedReplies(text: string): string[] {
  return [`Hello ${text} (${text})`, `echo ${text}`];
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const conversations: Conversation[] = [];
  for (let i = 0; i < request.conversations; i += 50) {
    const batch = Array.from({ length: Math.min(50, request.conversations - i) }, (_, j) =>
      request.target === 'directline'
        ? openConversation(request, `user-${i + j}`)
        : Promise.resolve<Conversation>({ id: `echo-${i + j}`, token: request.secret, socket: null, replies: new Map(), waiters: new Map() }),
    );
    conversations.push(...(await Promise.all(batch)));
  }

  const latencies: number[] = [];
  const sent: { conversation: Conversation; id: string; text: string }[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    conversations.map(async (conversation, c) => {
      for (let t = 0; t < request.turnsEach; t += 1) {
        if (request.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, request.thinkMs / 2 + Math.random() * request.thinkMs));
        const text = `c${c}-t${t}`;
        const t0 = process.hrtime.bigint();
        if (request.target === 'directline') {
          sent.push({ conversation, id: await directLineTurn(request, conversation, text), text });
        } else {
          const echoed = await post(request.base, request.secret, { type: 'message', text });
          if (echoed.text !== text) throw new Error(`the echo server answered ${JSON.stringify(echoed)} to ${text}`);
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Late duplicates would arrive after the last turn: give them a moment before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));

  let lost = 0;
  let duplicated = 0;
  let misdelivered = 0;
  const expected = new Map<Conversation, Set<string>>(conversations.map((c) => [c, new Set()]));
  for (const { conversation, id, text } of sent) {
    expected.get(conversation)?.add(id);
    const replies = conversation.replies.get(id) ?? [];
    if (replies.length < REPLIES_PER_TURN) lost += 1;
    if (replies.length > REPLIES_PER_TURN) duplicated += 1;
    const own = new Set(expectedReplies(text));
    if (replies.some((reply) => !own.has(reply))) misdelivered += 1;
  }
  for (const conversation of conversations) {
    for (const id of conversation.replies.keys()) if (!expected.get(conversation)?.has(id)) misdelivered += 1;
    conversation.socket?.close();
  }
  return { latencies, seconds, lost, duplicated, misdelivered };
}

process.once('message', (request: LoadRequest) => {
  run(request).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`load client failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});
