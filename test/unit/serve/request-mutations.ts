/**
 * Hostile variations of well-formed HTTP requests, for the server fuzz test. Requests are latin1
 * strings: one character per byte, so invalid UTF-8 and raw control bytes survive as they are.
 */

export type Random = () => number;

const ESCAPES = ['%', '%E0%A4%A', '%ZZ', '%00', '%2F', '%2e%2e', '%C0%AF', '%FF', '%25', '%u0041', '..', '//', '\\', ';', '#', '?', '@', '\xc3\xa9', '\xed\xa0\x80'];
const TARGETS = ['http://[/api', 'http://[::1/v3/directline/conversations', 'http://x:99999/healthz', '*', '//evil/api', 'http://a@b/api?token=', '/%', '/..%2f..%2fetc/passwd', `/${'a'.repeat(9000)}`, 'ws://127.0.0.1/api', '/v3/directline/conversations/%E0%A4%A/stream', ''];
const HEADER_LINES = [
  'Content-Length: -1',
  'Content-Length: abc',
  'Content-Length: 99999999999999999999',
  'Content-Length: 10',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked',
  'Authorization: Bearer',
  'Authorization: Basic Zm9vOmJhcg==',
  'Authorization: Bearer a b',
  'Authorization: Bearer \xff\xfe',
  'Origin: null',
  'Origin: http://[',
  'Cookie: greentic_studio_token',
  'Cookie: ;;=;=x;greentic_studio_token=%E0%A4%A',
  'Content-Type: text/plain',
  'Content-Type: application/json; charset=latin1',
  'X-Greentic-Flow: \x01flow',
  `X-Greentic-Flow: ${'f'.repeat(300)}`,
  'X-Greentic-Locale: ../../etc',
  'Sec-WebSocket-Key: short',
  'Sec-WebSocket-Version: 99',
  'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99',
  'Upgrade: h2c',
  'Connection: close',
  'Expect: 100-continue',
  'Bad Header: x',
  'X-\x00: y',
  `X-Long: ${'v'.repeat(20_000)}`,
  'Host:',
];
const BODIES = [
  '{',
  'null',
  '[]',
  '"text"',
  '{"type":"message","text":{"a":1}}',
  '{"type":"message","from":{"id":"user"},"text":"\xff\xfe"}',
  '{"type":"message","from":{"id":"user"},"value":{"__proto__":{"polluted":true}}}',
  '{"type":"event","name":"x","from":{"id":7}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"type":"message","text":"${'x'.repeat(200_000)}"}`,
  '{"user":{"id":"a:users:b"}}',
  '0\r\n\r\n',
  'zz\r\nbad chunk\r\n',
];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function splitHead(request: string): { start: string; headers: string[]; body: string } {
  const end = request.indexOf('\r\n\r\n');
  const head = end === -1 ? request : request.slice(0, end);
  const [start = '', ...headers] = head.split('\r\n');
  return { start, headers, body: end === -1 ? '' : request.slice(end + 4) };
}

function joinHead(start: string, headers: string[], body: string): string {
  return `${[start, ...headers].join('\r\n')}\r\n\r\n${body}`;
}

function withTarget(request: string, rewrite: (target: string) => string): string {
  const { start, headers, body } = splitHead(request);
  const [method = 'GET', target = '/', version = 'HTTP/1.1'] = start.split(' ');
  return joinHead(`${method} ${rewrite(target)} ${version}`, headers, body);
}

const mutations: Array<(request: string, random: Random) => string> = [
  // An escape, dot segment or odd byte somewhere in the target.
  (request, random) =>
    withTarget(request, (target) => {
      const at = Math.floor(random() * (target.length + 1));
      return `${target.slice(0, at)}${pick(random, ESCAPES)}${target.slice(at)}`;
    }),
  // Another target altogether.
  (request, random) => withTarget(request, () => pick(random, TARGETS)),
  // A header line added, repeated or taken away.
  (request, random) => {
    const { start, headers, body } = splitHead(request);
    const roll = random();
    if (roll < 0.5) headers.splice(Math.floor(random() * (headers.length + 1)), 0, pick(random, HEADER_LINES));
    else if (roll < 0.75 && headers.length > 0) headers.splice(Math.floor(random() * headers.length), 1);
    else if (headers.length > 0) headers.push(pick(random, headers));
    return joinHead(start, headers, body);
  },
  // Another body, with a Content-Length that may or may not match it.
  (request, random) => {
    const { start, headers, body } = splitHead(request);
    const next = pick(random, BODIES);
    const kept = headers.filter((line) => !/^content-length:/i.test(line));
    const length = random() < 0.8 ? next.length : Math.max(0, next.length + Math.floor(random() * 20) - 10);
    return joinHead(start, [...kept, `Content-Length: ${length}`], random() < 0.1 ? body : next);
  },
  // A few bytes flipped anywhere.
  (request, random) => {
    const bytes = Buffer.from(request, 'latin1');
    for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips -= 1) {
      const at = Math.floor(random() * bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    }
    return bytes.toString('latin1');
  },
  // Cut short.
  (request, random) => request.slice(0, Math.floor(random() * request.length)),
  // The method replaced.
  (request, random) => request.replace(/^\S+/, pick(random, ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'CONNECT', 'TRACE', 'get', 'G\x00T', ''])),
];

/** `request` with one to three random mutations applied. */
export function mutateRequest(request: string, random: Random): string {
  let mutated = request;
  for (let count = 1 + Math.floor(random() * 3); count > 0; count -= 1) mutated = pick(random, mutations)(mutated, random);
  return mutated;
}
