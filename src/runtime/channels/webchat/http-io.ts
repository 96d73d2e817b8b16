/** JSON in and out for the Direct Line endpoint: bounded bodies, CORS headers, error bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Greentic-Flow, X-Greentic-Locale',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...CORS_HEADERS,
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, CORS_HEADERS);
  res.end();
}

/**
 * The request body parsed as JSON; an empty body is `undefined`. Refuses bodies over `limit` bytes
 * (413) without reading them to the end, and anything that is not JSON (400).
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(buffer);
  }
  if (size === 0) return undefined;
  if (contentType !== '' && contentType !== 'application/json' && !contentType.endsWith('+json')) {
    throw new HttpError(400, 'bad_request', `unsupported content type: ${contentType}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (error) {
    throw new HttpError(400, 'bad_request', `invalid body encoding: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'bad_request', `invalid json payload: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body is larger than ${limit} bytes`);
}

/** The bearer credential of a request, or null. */
export function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}
