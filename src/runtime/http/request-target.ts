import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/** The base that origin-form targets (`/path?query`) resolve against; only the path and query are read. */
const LOCAL_BASE = 'http://localhost';

/**
 * The request target as a URL, in origin form (`/a?b`) or absolute form (`http://host/a?b`);
 * a 400 for anything `URL` cannot parse, such as `http://[/api`.
 */
export function requestTarget(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  try {
    return new URL(target, LOCAL_BASE);
  } catch {
    throw new HttpError(400, 'bad_request', `invalid request target: ${printable(target)}`);
  }
}

/** One percent-encoded path segment decoded; a 400 for a malformed escape such as `%E0%A4%A`. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad_request', `malformed percent-encoding in the path: ${printable(segment)}`);
  }
}

const MAX_ECHO = 200;

/** What a client sent, safe to echo in an error message: bounded and without control characters. */
function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
}
