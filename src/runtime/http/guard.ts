/**
 * Every request and upgrade the studio's HTTP server takes runs behind these guards: whatever a
 * handler throws, the client gets an answer (the `HttpError`'s status, else a 500 that is logged)
 * and the process goes on serving.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './http-error';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;
/** Where errors that are the server's fault (the 500s) are reported. */
export type ErrorLog = (message: string) => void;

export const logToStderr: ErrorLog = (message) => {
  process.stderr.write(`greentic-studio: ${message}\n`);
};

export function guardRequests(handler: RequestHandler, log: ErrorLog = logToStderr): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    closeWhenBodyUnread(req, res);
    attempt(() => handler(req, res)).catch((error: unknown) => {
      const refusal = refusalOf(error, req, log);
      if (res.headersSent) res.destroy();
      else sendRefusal(res, refusal);
    });
  };
}

export function guardUpgrades(handler: UpgradeHandler, log: ErrorLog = logToStderr): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    attempt(() => handler(req, socket, head)).catch((error: unknown) => refuseUpgrade(socket, refusalOf(error, req, log)));
  };
}

/** Answers an upgrade request with an HTTP error and closes the connection. */
export function refuseUpgrade(socket: Duplex, error: HttpError): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: error.code, message: error.message });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Runs a handler, turning a synchronous throw into a rejection. */
function attempt(run: () => Promise<void> | void): Promise<void> {
  return new Promise<void>((resolve) => resolve(run()));
}

function refusalOf(error: unknown, req: IncomingMessage, log: ErrorLog): HttpError {
  if (error instanceof HttpError) return error;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`internal error answering ${req.method ?? '?'} ${JSON.stringify(String(req.url ?? '').slice(0, 200))}: ${detail}`);
  return new HttpError(500, 'internal', 'internal error');
}

function sendRefusal(res: ServerResponse, error: HttpError): void {
  const body = JSON.stringify({ error: error.code, message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    ...error.headers,
  });
  res.end(body);
}

/**
 * A response sent before its request's body was read (a refusal, a 404) ends the connection: the
 * rest of that body is not read, however long it is (an endless chunked body would never end).
 */
function closeWhenBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (req.complete) return;
    const { socket } = req;
    if (socket.destroyed) return;
    socket.once('finish', () => socket.destroy());
    socket.end();
  });
}
