import type { z } from 'zod';

/**
 * One method of the contract: a schema for its single params object (validated by every transport
 * before the back end sees it) and the result type it resolves to (a phantom, types only).
 */
export interface MethodSpec<P extends z.ZodType, R> {
  readonly params: P;
  readonly result?: R;
}

export function method<R>() {
  return <P extends z.ZodType>(params: P): MethodSpec<P, R> => ({ params });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMethodSpec = MethodSpec<z.ZodType, any>;

export type MethodTable = Record<string, AnyMethodSpec>;

export type ParamsOf<M> = M extends MethodSpec<infer P, unknown> ? z.input<P> : never;
export type ResultOf<M> = M extends MethodSpec<z.ZodType, infer R> ? R : never;

/** The implementation side of a method table: one async function per method. */
export type Handlers<T extends MethodTable> = {
  [K in keyof T]: (params: z.output<T[K]['params']>) => Promise<ResultOf<T[K]>>;
};

/** The calling side of a method table, as the renderer sees it. */
export type Calls<T extends MethodTable> = {
  [K in keyof T]: (params: ParamsOf<T[K]>) => Promise<ResultOf<T[K]>>;
};

/** Error codes every transport carries unchanged from the back end to the caller. */
export type StudioErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'io_error'
  | 'invalid_flow'
  | 'invalid_pack'
  | 'unavailable'
  | 'forbidden'
  | 'internal';

/** The one error type that crosses the contract: a stable code and a message a user can act on. */
export class StudioError extends Error {
  constructor(
    readonly code: StudioErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StudioError';
  }

  toJSON(): SerializedStudioError {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }

  static from(value: unknown): StudioError {
    if (value instanceof StudioError) return value;
    if (isSerializedError(value)) return new StudioError(value.code, value.message, value.details);
    const message = value instanceof Error ? value.message : String(value);
    return new StudioError('internal', message);
  }
}

export interface SerializedStudioError {
  code: StudioErrorCode;
  message: string;
  details?: unknown;
}

function isSerializedError(value: unknown): value is SerializedStudioError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** How a call ends on the wire, on either transport: its result, or a serialised StudioError. */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: SerializedStudioError };
