/**
 * Cross-origin access to the Direct Line endpoint. A page embedding Bot Framework Web Chat is served
 * from its own origin, so every request its Direct Line client makes is a CORS request with a
 * preflight (it sends `Authorization`, `x-ms-bot-agent` and `X-Requested-With`), and its stream is a
 * WebSocket the browser opens with an `Origin` header, which CORS does not cover: the endpoint checks
 * that origin itself.
 *
 * The policy applies to the Direct Line routes only; the studio UI and its API never answer a
 * foreign origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every header the Direct Line clients send: `botframework-directlinejs` adds `Authorization` and
 * `x-ms-bot-agent`, its RxJS ajax adds `X-Requested-With`, Web Chat's token fetches and the
 * Greentic SPA add `Accept`, `Content-Type` and the `X-Greentic-*` hints.
 */
export const DIRECTLINE_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'X-Requested-With',
  'x-ms-bot-agent',
  'X-Greentic-Flow',
  'X-Greentic-Locale',
] as const;

/** Read by `botframework-directlinejs` on a 429 to wait before it retries. */
export const DIRECTLINE_EXPOSED_HEADERS = ['Retry-After'] as const;

export const DIRECTLINE_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/** How long a browser may keep a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export type OriginCheck = { ok: true } | { ok: false; message: string };

export class CorsPolicy {
  private readonly origins: ReadonlySet<string> | null;

  /** `origins`: the exact origins allowed; none (or `*` among them) allows any origin. */
  constructor(origins: readonly string[] = []) {
    const normalised = origins.map(normaliseOrigin);
    this.origins = normalised.length === 0 || normalised.includes('*') ? null : new Set(normalised);
  }

  /** True when any origin may call the endpoint. */
  get allowsAnyOrigin(): boolean {
    return this.origins === null;
  }

  /** Whether a request (or a WebSocket upgrade) from this request's origin is allowed; requests without an `Origin` are. */
  check(req: IncomingMessage): OriginCheck {
    const origin = req.headers.origin;
    if (origin === undefined || this.origins === null || this.origins.has(origin.toLowerCase())) return { ok: true };
    return { ok: false, message: `origin ${origin} is not allowed to use this Direct Line endpoint (serve --cors-origin)` };
  }

  /** Sets the CORS headers of an answer to an allowed request; every JSON answer carries them. */
  apply(req: IncomingMessage, res: ServerResponse): void {
    if (this.origins === null) res.setHeader('Access-Control-Allow-Origin', '*');
    else {
      res.setHeader('Vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && this.origins.has(origin.toLowerCase())) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Expose-Headers', DIRECTLINE_EXPOSED_HEADERS.join(', '));
  }

  /** Answers a preflight of an allowed origin: the methods and headers Direct Line clients use. */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    this.apply(req, res);
    res.writeHead(204, {
      'Access-Control-Allow-Methods': DIRECTLINE_METHODS.join(', '),
      'Access-Control-Allow-Headers': DIRECTLINE_REQUEST_HEADERS.join(', '),
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    });
    res.end();
  }
}

/**
 * An origin as a browser sends it (`scheme://host[:port]`, lower case, no path), or `*`; throws with
 * a message naming the problem for anything else, so a typo in `--cors-origin` fails at start.
 */
export function normaliseOrigin(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`'${value}' is not an origin: expected scheme://host[:port], such as http://localhost:3000, or *`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new Error(`'${value}' is not an origin: expected http(s)://host[:port] without a path, such as http://localhost:3000, or *`);
  }
  return url.origin.toLowerCase();
}
