/**
 * The sample conversation through an independent Direct Line client: Microsoft's
 * `botframework-directlinejs`, unchanged, over the WebSocket stream and over HTTP polling. Node
 * lacks the browser's XMLHttpRequest (and, before Node 22, WebSocket): standard polyfills stand in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDirectLine, type DirectLineFixture } from './support';

interface ClientActivity {
  type: string;
  from: { id: string };
  text?: string;
  attachments?: { contentType: string; content: Record<string, unknown> }[];
}

interface DirectLineClient {
  connectionStatus$: { subscribe(next: (status: number) => void): { unsubscribe(): void } };
  activity$: { subscribe(next: (activity: ClientActivity) => void, error?: (error: unknown) => void): { unsubscribe(): void } };
  postActivity(activity: Record<string, unknown>): { subscribe(next: (id: string) => void, error: (e: unknown) => void): unknown };
  end(): void;
}

const globals = globalThis as Record<string, unknown>;
const saved = { WebSocket: globals.WebSocket, XMLHttpRequest: globals.XMLHttpRequest };
let DirectLine: new (options: Record<string, unknown>) => DirectLineClient;

beforeAll(async () => {
  globals.WebSocket ??= WebSocket;
  const xhr = (await import('xmlhttprequest-ssl')) as { XMLHttpRequest?: unknown; default?: { XMLHttpRequest?: unknown } };
  globals.XMLHttpRequest = xhr.XMLHttpRequest ?? xhr.default?.XMLHttpRequest ?? xhr.default;
  ({ DirectLine } = (await import('botframework-directlinejs')) as unknown as { DirectLine: typeof DirectLine });
});

afterAll(() => {
  globals.WebSocket = saved.WebSocket;
  globals.XMLHttpRequest = saved.XMLHttpRequest;
});

const botMessages = (received: ClientActivity[]) => received.filter((a) => a.from.id === 'bot' && a.type === 'message');

/** Posts one activity and waits until the bot has answered it with `count` messages. */
async function exchange(client: DirectLineClient, received: ClientActivity[], activity: Record<string, unknown>, count: number): Promise<ClientActivity[]> {
  const before = botMessages(received).length;
  await new Promise<void>((resolve, reject) => {
    client.postActivity({ from: { id: 'ada' }, type: 'message', ...activity }).subscribe(() => resolve(), reject);
  });
  for (let i = 0; i < 300; i += 1) {
    const bot = botMessages(received);
    if (bot.length >= before + count) return bot.slice(before);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no reply to ${JSON.stringify(activity)}`);
}

describe.each([
  { mode: 'WebSocket stream', webSocket: true },
  { mode: 'HTTP polling', webSocket: false },
])('botframework-directlinejs over $mode', ({ webSocket }) => {
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({ autoStartOnOpen: false });
  });
  afterAll(async () => fixture.close());

  it('runs the sample conversation: greeting, parked wait, menu card and card submit', async () => {
    const client = new DirectLine({ secret: fixture.directLine.secret, domain: fixture.base, webSocket, pollingInterval: 200 });
    const received: ClientActivity[] = [];
    const subscription = client.activity$.subscribe((activity) => received.push(activity));
    try {
      const [greeting] = await exchange(client, received, { text: 'hi' }, 1);
      expect(greeting?.text).toBe('Hello! You said "hi". What\'s your name?');

      const [welcome, menu] = await exchange(client, received, { text: 'Ada' }, 2);
      expect(welcome?.text).toBe('Nice to meet you, Ada!');
      expect(menu?.attachments?.[0]).toMatchObject({
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', actions: [{ title: 'About' }, { title: 'Help' }, { title: 'Text tools' }] },
      });

      const [about] = await exchange(client, received, { value: { action: 'about' } }, 1);
      expect(JSON.stringify(about?.attachments?.[0]?.content)).toContain('About Greentic Studio');
      expect(received.filter((a) => a.from.id !== 'bot' && a.type === 'message').map((a) => a.text ?? '')).toEqual(['hi', 'Ada', '']);
    } finally {
      subscription.unsubscribe();
      client.end();
    }
  });
});

/** botframework-directlinejs's ConnectionStatus values. */
const ONLINE = 2;
const ENDED = 5;

describe('botframework-directlinejs when its conversation has ended for idleness', () => {
  const clock = { now: 0 };
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({ autoStartOnOpen: false, idleTimeoutMs: 60_000, now: () => clock.now });
  });
  afterAll(async () => fixture.close());

  it('sees the conversation end and refuses to post, rather than polling or retrying forever', async () => {
    const generated = await fetch(`${fixture.base}/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${fixture.directLine.secret}` } });
    const { token } = (await generated.json()) as { token: string };
    const client = new DirectLine({ token, domain: fixture.base, webSocket: false, pollingInterval: 200 });
    const statuses: number[] = [];
    const watching = client.connectionStatus$.subscribe((status) => statuses.push(status));
    const received: ClientActivity[] = [];
    let streamError: unknown;
    const subscription = client.activity$.subscribe(
      (activity) => received.push(activity),
      (error) => (streamError = error),
    );
    try {
      const [greeting] = await exchange(client, received, { text: 'hi' }, 1);
      expect(greeting?.text).toContain('What\'s your name?');
      expect(statuses).toContain(ONLINE);

      clock.now += 60_000;
      expect(await fixture.directLine.sweep()).toBe(1);
      // The client reports the status first and fails its activity stream just after.
      for (let i = 0; i < 200 && !(statuses.includes(ENDED) && streamError !== undefined); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(statuses.at(-1)).toBe(ENDED);
      expect(String(streamError)).toMatch(/conversation ended/);
      const posted = await new Promise<unknown>((resolve) => {
        client.postActivity({ from: { id: 'ada' }, type: 'message', text: 'Ada' }).subscribe(resolve, resolve);
      });
      expect(String(posted)).toMatch(/conversation ended/);
    } finally {
      subscription.unsubscribe();
      watching.unsubscribe();
      client.end();
    }
  });
});
