import { describe, expect, it } from 'vitest';
import { safeStorageCipher } from '../../../src/main/secret-cipher';

function fakeStorage(backend: string, available = true) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (sealed: Buffer) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString(),
  };
}

describe('NATS secrets sealed by the OS key store', () => {
  it('round-trips a secret through safeStorage and never stores it in clear', async () => {
    const cipher = safeStorageCipher(fakeStorage('gnome_libsecret'))!;
    const sealed = await cipher.encrypt('s3cret-password');
    expect(Buffer.from(sealed).toString()).not.toContain('s3cret');
    expect(await cipher.decrypt(sealed)).toBe('s3cret-password');
  });

  it('refuses the plaintext backend and an unavailable key store', () => {
    expect(safeStorageCipher(fakeStorage('basic_text'))).toBeNull();
    expect(safeStorageCipher(fakeStorage('kwallet5', false))).toBeNull();
  });
});
