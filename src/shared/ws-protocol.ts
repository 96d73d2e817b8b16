import type { SerializedStudioError } from './api/define';

/** The wire format of the web-mode transport of api.ts (JSON text frames over one WebSocket). */

export const API_SOCKET_PATH = '/api';

export type ClientMessage = { type: 'call'; id: number; method: string; params?: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedStudioError }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'error'; error: SerializedStudioError };
