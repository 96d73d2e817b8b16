import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import type { StudioHandlers } from '../../shared/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { API_SOCKET_PATH } from '../../shared/ws-protocol';
import type { EventBus } from '../events';
import { guardRequests, guardUpgrades, logToStderr, type ErrorLog } from './guard';
import { HttpError } from './http-error';
import { requestTarget } from './request-target';
import { bearerToken, presentedToken, TOKEN_COOKIE, tokensEqual } from './token';
import { WebSocketTransport } from './ws-transport';

/** Something else served by the same HTTP server (the Direct Line endpoint, for one). */
export interface HttpMount {
  /** Resolves true when the mount answered the request. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Returns true when the mount took the upgrade. */
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close?(): Promise<void> | void;
}

export interface StudioServerOptions {
  host: string;
  port: number;
  token: string;
  /** Folder of the built renderer; null serves no UI (API mounts only). */
  uiDir: string | null;
  handlers: StudioHandlers;
  events: EventBus;
  mounts?: HttpMount[];
  /** Serves `/metrics` (Prometheus text) behind the access token, when given. */
  metrics?: () => Promise<string>;
  /** Where errors that are the server's fault are reported (default stderr). */
  log?: ErrorLog;
}

export interface RunningServer {
  port: number;
  origin: string;
  /** The address a browser opens: the UI with its access token. */
  uiUrl: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The local HTTP server of web mode: the built UI and the WebSocket transport of the contract behind
 * one random token, plus mounts such as Direct Line that carry their own authentication.
 */
export async function startStudioServer(options: StudioServerOptions): Promise<RunningServer> {
  const mounts = options.mounts ?? [];
  const transport = new WebSocketTransport(options.handlers, options.events);
  const serveUi = options.uiDir ? sirv(options.uiDir, { etag: true, single: false, dotfiles: false }) : null;
  let origin = '';

  const log = options.log ?? logToStderr;
  const server: Server = createServer(guardRequests(handleRequest, log));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestTarget(req);
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    for (const mount of mounts) {
      if (await mount.handleRequest(req, res)) return;
    }
    if (url.pathname === '/metrics' && options.metrics) {
      if (!tokensEqual(options.token, presentedToken(req, url) ?? bearerToken(req))) return sendText(res, 401, 'missing or wrong access token');
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
      const text = await options.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    if (!serveUi) return sendText(res, 404, 'not found');
    if (!tokensEqual(options.token, presentedToken(req, url))) return sendText(res, 401, 'missing or wrong access token');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (url.searchParams.has('token')) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('cache-control', 'no-store');
    }
    serveUi(req, res, () => sendText(res, 404, 'not found'));
  }

  server.on(
    'upgrade',
    guardUpgrades((req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = requestTarget(req);
      for (const mount of mounts) {
        if (mount.handleUpgrade?.(req, socket, head)) return;
      }
      const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
      if (url.pathname !== API_SOCKET_PATH || !sameOrigin || !tokensEqual(options.token, presentedToken(req, url))) {
        throw new HttpError(401, 'unauthorized', 'missing or wrong access token');
      }
      transport.upgrade(req, socket, head);
    }, log),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  origin = `http://${hostForUrl}:${port}`;

  return {
    port,
    origin,
    uiUrl: `${origin}/?token=${encodeURIComponent(options.token)}`,
    async close() {
      transport.close();
      await Promise.all(mounts.map((mount) => mount.close?.()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
