/** Why a registry operation failed, in words a designer can act on. */
export type RegistryErrorCode =
  | 'invalid_reference'
  | 'unreachable'
  | 'unauthorized'
  | 'not_found'
  | 'digest_mismatch'
  | 'not_a_component'
  | 'too_large'
  | 'protocol';

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
