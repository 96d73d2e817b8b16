/** JSON in and out for the Direct Line endpoint: bounded bodies, error bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../../http/http-error';

export { HttpError };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** Sends JSON text serialised beforehand. */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
}

/**
 * The request body parsed as JSON; an empty body is `undefined`. Refuses bodies over `limit` bytes
 * (413) without reading them to the end, and anything that is not JSON (400). Read with stream
 * events rather than an async iterator: this runs for every posted activity.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  if (contentType !== '' && contentType !== 'application/json' && !contentType.endsWith('+json')) {
    throw new HttpError(400, 'bad_request', `unsupported content type: ${contentType}`);
  }
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch (error) {
    throw new HttpError(400, 'bad_request', `invalid body encoding: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'bad_request', `invalid json payload: ${(error as Error).message}`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The raw body, at most `limit` bytes; beyond that reading stops and the request is refused. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new HttpError(400, 'bad_request', 'the request body ended early'));
    });
  });
}

function tooLarge(limit: number): HttpError {
  // The connection closes after the answer: the rest of the body is never read.
  return new HttpError(413, 'payload_too_large', `request body is larger than ${limit} bytes`, { Connection: 'close' });
}

/** The bearer credential of a request, or null. */
export function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}
