/** A key that cannot be read, found, stored or used; the message says which and why. */
export class KeyError extends Error {
  constructor(
    message: string,
    readonly code: 'key_invalid' | 'key_not_found' | 'vault_unavailable' | 'passphrase_required' = 'key_invalid',
  ) {
    super(message);
    this.name = 'KeyError';
  }
}
