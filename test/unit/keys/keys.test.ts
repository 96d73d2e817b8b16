import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafeStorageKeyVault, type SafeStorageLike } from '../../../src/main/key-vault';
import {
  fingerprintOf,
  generateKeyPair,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  privateKeyToPem,
  publicKeyToPem,
  signEd25519,
  verifyEd25519,
} from '../../../src/runtime/keys/ed25519';
import { KeyError } from '../../../src/runtime/keys/errors';
import { KeyRing } from '../../../src/runtime/keys/key-ring';
import { PassphraseFileVault } from '../../../src/runtime/keys/key-vault';
import { TrustStore } from '../../../src/runtime/keys/trust-store';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gtkeys-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Ed25519 keys', () => {
  it('writes PKCS#8 and SPKI PEM that Node reads, and signs what Node verifies', () => {
    const pair = generateKeyPair();
    const privatePem = privateKeyToPem(pair.seed);
    const publicPem = publicKeyToPem(pair.publicKey);
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const message = new TextEncoder().encode('pack bytes');
    expect(nodeVerify(null, message, createPublicKey(publicPem), signEd25519(message, pair.seed))).toBe(true);
    const nodeSignature = nodeSign(null, message, createPrivateKey(privatePem));
    expect(verifyEd25519(nodeSignature, message, pair.publicKey)).toBe(true);
  });

  it('reads keys Node generated and round-trips them', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const pair = parsePrivateKeyPem(pem);
    expect(Buffer.from(pair.publicKey)).toEqual(Buffer.from(parsePublicKeyPem(publicKey.export({ format: 'pem', type: 'spki' }) as string)));
    expect(parsePrivateKeyPem(privateKeyToPem(pair.seed)).seed).toEqual(pair.seed);
  });

  it('fingerprints are the BLAKE3 of the raw public key', () => {
    const publicKey = Buffer.from('eca56873ccdf2d6586d03a81fd60fef8013aa19ca3e8e148cfe1c6a34ff3eaff', 'hex');
    expect(fingerprintOf(publicKey)).toBe('60838b5c59b6cd01be8ec59dfeb90138591af25d5a7f5245e4c3b3b31fd12484');
  });

  it('refuses other key types and garbage with upstream wording', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(() => parsePrivateKeyPem(rsa)).toThrow(/failed to parse ed25519 private key: found a rsa key/);
    expect(() => parsePrivateKeyPem('garbage')).toThrow(KeyError);
    expect(() => parsePublicKeyPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(/failed to parse ed25519 public key/);
  });

  it('reads a passphrase-encrypted key only with its passphrase', () => {
    const pair = generateKeyPair();
    const pem = privateKeyToPem(pair.seed, 'correct horse');
    expect(() => parsePrivateKeyPem(pem)).toThrow(/needs a passphrase/);
    expect(parsePrivateKeyPem(pem, 'correct horse').seed).toEqual(pair.seed);
  });

  it('rejects malformed signatures and small-order keys without throwing', () => {
    const pair = generateKeyPair();
    const message = new Uint8Array([1, 2, 3]);
    expect(verifyEd25519(new Uint8Array(63), message, pair.publicKey)).toBe(false);
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expect(verifyEd25519(new Uint8Array(64), message, identity)).toBe(false);
  });
});

describe('trust store', () => {
  it('adds, lists and removes public keys by fingerprint', async () => {
    const store = new TrustStore(path.join(tempDir(), 'trust.json'));
    const pair = generateKeyPair();
    const added = await store.add(publicKeyToPem(pair.publicKey), 'release key');
    expect(added.fingerprint).toBe(fingerprintOf(pair.publicKey));
    await store.add(publicKeyToPem(pair.publicKey), 'renamed');
    expect((await store.list()).map((key) => key.label)).toEqual(['renamed']);
    expect((await store.publicKeys()).map((key) => Buffer.from(key).toString('hex'))).toEqual([Buffer.from(pair.publicKey).toString('hex')]);
    expect(await store.remove(added.fingerprint)).toBe(true);
    expect(await store.remove(added.fingerprint)).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a private key or garbage in place of a public key', async () => {
    const store = new TrustStore(path.join(tempDir(), 'trust.json'));
    await expect(store.add('not a key', 'x')).rejects.toBeInstanceOf(KeyError);
  });
});

describe('key ring and vaults', () => {
  it('keeps private halves encrypted on disk and returns only public facts', async () => {
    const dir = tempDir();
    const ring = new KeyRing(path.join(dir, 'keys.json'), new PassphraseFileVault(path.join(dir, 'vault')));
    const info = await ring.create('Release', 'a long passphrase');
    expect(Object.keys(info).sort()).toEqual(['created_at', 'fingerprint', 'id', 'label', 'public_key_pem']);
    const stored = await readFile(path.join(dir, 'vault', `${info.id}.pem`), 'utf8');
    expect(stored).toMatch(/BEGIN ENCRYPTED PRIVATE KEY/);
    expect(statSync(path.join(dir, 'vault', `${info.id}.pem`)).mode & 0o777).toBe(0o600);
    await expect(ring.unseal(info.id)).rejects.toMatchObject({ code: 'passphrase_required' });
    const pair = await ring.unseal(info.id, 'a long passphrase');
    expect(fingerprintOf(pair.publicKey)).toBe(info.fingerprint);
    expect(await ring.remove(info.id)).toBe(true);
    await expect(ring.get(info.id)).rejects.toMatchObject({ code: 'key_not_found' });
  });

  it('imports a PEM key once, whatever it is called', async () => {
    const dir = tempDir();
    const ring = new KeyRing(path.join(dir, 'keys.json'), new PassphraseFileVault(path.join(dir, 'vault')));
    const pem = privateKeyToPem(generateKeyPair().seed);
    const first = await ring.importPem(pem, 'one', 'a long passphrase');
    const second = await ring.importPem(pem, 'two', 'a long passphrase');
    expect(second.id).toBe(first.id);
    expect(await ring.list()).toHaveLength(1);
  });

  it('refuses vault ids that could escape the vault folder', async () => {
    const vault = new PassphraseFileVault(tempDir());
    await expect(vault.store('../evil', generateKeyPair().seed, 'a long passphrase')).rejects.toThrow(/invalid key id/);
  });
});

/** A stand-in for Electron's safeStorage: reversible, and marked so a test can see it was used. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'base64').toString(),
  };
}

describe('safeStorage key vault', () => {
  it('seals keys with the OS key store when one is available', async () => {
    const dir = tempDir();
    const vault = new SafeStorageKeyVault(dir, fakeSafeStorage('gnome_libsecret'));
    expect(vault.status()).toEqual({ backend: 'os', passphrase_required: false, reason: null });
    const pair = generateKeyPair();
    await vault.store('k1', pair.seed);
    const onDisk = await readFile(path.join(dir, 'k1.sealed'), 'utf8');
    expect(onDisk).toMatch(/^sealed:/);
    expect(onDisk).not.toMatch(/PRIVATE KEY/);
    expect(await vault.load('k1')).toEqual(pair.seed);
  });

  it('with only the plaintext backend, requires a passphrase and says why', async () => {
    const vault = new SafeStorageKeyVault(tempDir(), fakeSafeStorage('basic_text'));
    expect(vault.status()).toMatchObject({ backend: 'passphrase', passphrase_required: true });
    expect(vault.status().reason).toMatch(/plaintext backend/);
    await expect(vault.store('k1', generateKeyPair().seed)).rejects.toMatchObject({ code: 'passphrase_required' });
    const pair = generateKeyPair();
    await vault.store('k2', pair.seed, 'a long passphrase');
    expect(await vault.load('k2', 'a long passphrase')).toEqual(pair.seed);
  });
});
