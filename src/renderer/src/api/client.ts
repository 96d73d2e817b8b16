import { STUDIO_METHODS, StudioError, type StudioClient, type StudioEventName, type StudioEvents } from '../../../shared/api';
import type { CallOutcome } from '../../../shared/api/define';
import type { StudioBridge } from '../../../shared/bridge';
import { API_SOCKET_PATH, type ClientMessage, type ServerMessage } from '../../../shared/ws-protocol';

declare global {
  interface Window {
    greenticStudio?: StudioBridge;
  }
}

type Listener = (payload: unknown) => void;

function unwrap(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.result;
  throw new StudioError(outcome.error.code, outcome.error.message, outcome.error.details);
}

/** Builds the typed client from a raw `call` function and a raw `subscribe` function. */
function clientFrom(
  call: (method: string, params: unknown) => Promise<CallOutcome>,
  subscribe: (event: StudioEventName, listener: Listener) => () => void,
): StudioClient {
  const methods = Object.fromEntries(
    STUDIO_METHODS.map((method) => [method, async (params: unknown) => unwrap(await call(method, params ?? {}))]),
  );
  return {
    ...methods,
    on: <E extends StudioEventName>(event: E, listener: (payload: StudioEvents[E]) => void) =>
      subscribe(event, listener as Listener),
  } as StudioClient;
}

function ipcClient(bridge: StudioBridge): StudioClient {
  return clientFrom(
    (method, params) => bridge.calls[method as keyof StudioBridge['calls']](params),
    (event, listener) => bridge.subscribe(event, listener),
  );
}

/** Web mode: the same contract over one WebSocket, reconnecting after a dropped connection. */
function webSocketClient(): StudioClient {
  const listeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, (outcome: CallOutcome) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const token = new URLSearchParams(window.location.search).get('token');
  const url = new URL(API_SOCKET_PATH, window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token);

  function connect(): Promise<WebSocket> {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new StudioError('unavailable', 'cannot reach the studio back end'));
      ws.onclose = () => {
        socket = null;
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error: { code: 'unavailable', message: 'connection to the studio back end was lost' } });
        }
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as ServerMessage;
        if (data.type === 'result') {
          pending.get(data.id)?.(data.ok ? { ok: true, result: data.result } : { ok: false, error: data.error });
          pending.delete(data.id);
        } else if (data.type === 'event') {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
        }
      };
    });
    return socket;
  }

  return clientFrom(
    async (method, params) => {
      const ws = await connect();
      const id = nextId++;
      const message: ClientMessage = { type: 'call', id, method, params };
      return new Promise<CallOutcome>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify(message));
      });
    },
    (event, listener) => {
      void connect().catch(() => undefined);
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  );
}

/** The one client the UI uses; it does not know whether it talks IPC (desktop) or WebSocket (web mode). */
export function createStudioClient(): StudioClient {
  return window.greenticStudio ? ipcClient(window.greenticStudio) : webSocketClient();
}
