/** Why a component could not be loaded or run; each code names one thing the user can fix. */
export type WasmErrorCode =
  | 'not_found'
  | 'too_large'
  | 'not_a_component'
  | 'unsupported_world'
  | 'missing_imports'
  | 'memory_too_small'
  | 'invalid_manifest'
  | 'invalid_source'
  | 'transpile_failed'
  | 'io_error';

/** A typed failure of loading a WASM component; the message says what was wrong with what. */
export class WasmComponentError extends Error {
  constructor(
    readonly code: WasmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WasmComponentError';
  }
}
