import type { ComponentLogEntry } from '../host';
import type { HostBridge, HostCallKind, HostCallTable, HttpOptions, HttpRequest } from './host-calls';

export type { ComponentLogEntry } from '../host';

/** What the greentic imports of one instance need from whoever runs it. */
export interface GuestHost {
  bridge: HostBridge;
  log(entry: ComponentLogEntry): void;
  /** True once the invocation was cancelled (the turn was aborted). */
  shouldCancel(): boolean;
}

/** The interfaces (unversioned, as jco reads them) the runner can serve besides WASI. */
export const GREENTIC_IMPORTS = [
  'greentic:component/control',
  'greentic:http/http-client',
  'greentic:secrets-store/secrets-store',
  'greentic:state/state-store',
  'greentic:telemetry/logger-api',
] as const;

/**
 * An error value handed back to the guest: jco lowers a thrown object's own `payload` as the `err`
 * case of the import's result.
 */
class GuestError extends Error {
  constructor(readonly payload: unknown) {
    super(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }
}

function call<K extends HostCallKind>(host: GuestHost, kind: K, args: HostCallTable[K]['args']): HostCallTable[K]['result'] {
  const reply = host.bridge(kind, args);
  if (!reply.ok) {
    const note = refusalNote(kind, args, reply.error);
    if (note) host.log({ source: 'host', text: note });
    throw new GuestError(reply.error);
  }
  return reply.value;
}

/**
 * A refused host call goes to the trace as well as to the guest: the guest may swallow the error, and
 * the designer still needs to see why a request never left (a host missing from the allow-list).
 */
function refusalNote(kind: HostCallKind, args: HostCallTable[HostCallKind]['args'], error: HostCallTable[HostCallKind]['error']): string | null {
  if (typeof error === 'string') {
    const key = 'key' in args ? JSON.stringify(args.key) : '';
    return error === 'denied' ? `${kind} ${key} refused: the component's manifest does not declare this secret` : null;
  }
  return error.code === 'denied' ? `${kind} refused: ${error.message}` : null;
}

interface WitRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

interface WitRequestOptions {
  timeoutMs?: number;
  allowInsecure?: boolean;
  followRedirects?: boolean;
}

/** The greentic host interfaces of one instance, keyed by unversioned interface name. */
export function createGreenticImports(host: GuestHost): Record<string, object> {
  return {
    'greentic:component/control': {
      shouldCancel: () => host.shouldCancel(),
      yieldNow: () => {},
    },
    'greentic:http/http-client': {
      // 1.0 is send(req, ctx); 1.1 is send(req, opts, ctx). jco passes exactly the WIT parameters,
      // which is how one import object serves both versions.
      send(req: WitRequest, ...rest: unknown[]) {
        const options = rest.length >= 2 ? ((rest[0] as WitRequestOptions | undefined) ?? {}) : {};
        const request: HttpRequest = { method: req.method, url: req.url, headers: req.headers.map(([k, v]) => [k, v]) };
        if (req.body) request.body = req.body;
        const httpOptions: HttpOptions = {};
        if (options.timeoutMs !== undefined) httpOptions.timeoutMs = options.timeoutMs;
        if (options.allowInsecure !== undefined) httpOptions.allowInsecure = options.allowInsecure;
        if (options.followRedirects !== undefined) httpOptions.followRedirects = options.followRedirects;
        const response = call(host, 'http.send', { request, options: httpOptions });
        return { status: response.status, headers: response.headers, body: response.body };
      },
    },
    'greentic:secrets-store/secrets-store': {
      get: (key: string) => call(host, 'secrets.get', { key }) ?? undefined,
      // put has no result in WIT, so a refusal cannot reach the guest; it goes to the trace instead.
      put: (key: string, value: Uint8Array) => {
        const reply = host.bridge('secrets.put', { key, value });
        if (!reply.ok) host.log({ source: 'host', text: `secrets.put ${JSON.stringify(key)} refused: ${reply.error}` });
      },
    },
    'greentic:state/state-store': {
      read: (key: string) => call(host, 'state.read', { key }),
      write: (key: string, bytes: Uint8Array) => {
        call(host, 'state.write', { key, value: bytes });
        return 'ok';
      },
      delete: (key: string) => {
        call(host, 'state.delete', { key });
        return 'ok';
      },
    },
    'greentic:telemetry/logger-api': {
      // The span is the guest's own description of where it is; the trace already knows the node.
      log(_span: unknown, fields: Array<[string, string]>) {
        host.log({ source: 'telemetry', text: fields.map(([k, v]) => `${k}=${v}`).join(' '), fields });
        return 'ok';
      },
    },
  };
}
