/**
 * The calls a running component makes to host services that live with the runner (HTTP, secrets,
 * state). In a worker they cross to the main thread synchronously (see worker/sync-channel.ts); the
 * services answer with the identity of the invocation the worker is running, never one the guest
 * claims.
 */
export interface HostError {
  code: string;
  message: string;
}

export type SecretsError = 'not-found' | 'denied' | 'invalid-key' | 'internal';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

export interface HttpOptions {
  timeoutMs?: number;
  allowInsecure?: boolean;
  followRedirects?: boolean;
}

/** Every host call: its arguments, its result and its error, by kind. */
export interface HostCallTable {
  'http.send': { args: { request: HttpRequest; options: HttpOptions }; result: HttpResponse; error: HostError };
  'secrets.get': { args: { key: string }; result: Uint8Array | null; error: SecretsError };
  'secrets.put': { args: { key: string; value: Uint8Array }; result: null; error: SecretsError };
  'state.read': { args: { key: string }; result: Uint8Array; error: HostError };
  'state.write': { args: { key: string; value: Uint8Array }; result: null; error: HostError };
  'state.delete': { args: { key: string }; result: null; error: HostError };
}

export type HostCallKind = keyof HostCallTable;

export interface HostCall<K extends HostCallKind = HostCallKind> {
  kind: K;
  args: HostCallTable[K]['args'];
}

export type HostReply<K extends HostCallKind = HostCallKind> =
  | { ok: true; value: HostCallTable[K]['result'] }
  | { ok: false; error: HostCallTable[K]['error'] };

/** How the guest side reaches the services: synchronously, because WIT imports are synchronous. */
export type HostBridge = <K extends HostCallKind>(kind: K, args: HostCallTable[K]['args']) => HostReply<K>;
