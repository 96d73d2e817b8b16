import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StudioHandlers } from '../../shared/api';
import { StudioError } from '../../shared/api';
import type { ClientMessage, ServerMessage } from '../../shared/ws-protocol';
import { dispatch } from '../dispatch';
import type { EventBus } from '../events';

const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Carries the contract over WebSocket: calls in, results and pushed events out. */
export class WebSocketTransport {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  constructor(
    private readonly handlers: StudioHandlers,
    private readonly events: EventBus,
  ) {
    this.wss.on('connection', (socket) => this.attach(socket));
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private attach(socket: WebSocket): void {
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = this.events.subscribe((event, payload) => send({ type: 'event', event, payload }));
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
    socket.on('message', (data) => void this.receive(data, send));
  }

  private async receive(data: RawData, send: (message: ServerMessage) => void): Promise<void> {
    const message = parseClientMessage(data);
    if (message instanceof StudioError) {
      send({ type: 'error', error: message.toJSON() });
      return;
    }
    const outcome = await dispatch(this.handlers, message.method, message.params);
    send(outcome.ok ? { type: 'result', id: message.id, ok: true, result: outcome.result } : { type: 'result', id: message.id, ok: false, error: outcome.error });
  }
}

function parseClientMessage(data: RawData): ClientMessage | StudioError {
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return new StudioError('bad_request', 'message is not JSON');
  }
  const candidate = value as Partial<ClientMessage> | null;
  if (candidate?.type !== 'call' || typeof candidate.id !== 'number' || typeof candidate.method !== 'string') {
    return new StudioError('bad_request', 'expected {"type":"call","id":<number>,"method":<string>,"params":{...}}');
  }
  return candidate as ClientMessage;
}
