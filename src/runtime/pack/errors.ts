/**
 * Every way reading, building, signing or verifying a pack can fail. The code is stable (tests, the
 * CLI's JSON output and the UI branch on it); the message follows upstream's wording where one exists.
 */
export type PackErrorCode =
  | 'corrupt_archive'
  | 'unsafe_path'
  | 'duplicate_entry'
  | 'not_regular_file'
  | 'entry_too_large'
  | 'archive_too_large'
  | 'too_many_entries'
  | 'size_mismatch'
  | 'manifest_missing'
  | 'manifest_invalid'
  | 'sbom_missing'
  | 'sbom_invalid'
  | 'cbor_invalid'
  | 'signature_invalid'
  | 'key_invalid'
  | 'config_invalid'
  | 'flow_invalid'
  | 'component_missing'
  | 'io_error';

export class PackError extends Error {
  constructor(
    readonly code: PackErrorCode,
    message: string,
    /** The archive entry or source file the error is about, when there is one. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'PackError';
  }
}

export function isPackError(value: unknown): value is PackError {
  return value instanceof PackError;
}
