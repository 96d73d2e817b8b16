import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { blake3 } from '@noble/hashes/blake3.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { KeyError } from './errors';

ed.hashes.sha512 = sha512;

/** An Ed25519 key pair as the studio handles it: the 32-byte seed and the 32-byte public key. */
export interface Ed25519KeyPair {
  seed: Uint8Array;
  publicKey: Uint8Array;
}

export function generateKeyPair(): Ed25519KeyPair {
  const seed = ed.utils.randomSecretKey();
  return { seed, publicKey: ed.getPublicKey(seed) };
}

export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return ed.getPublicKey(seed);
}

/** Ed25519 over `message`, no pre-hash (RFC 8032 PureEdDSA), as ed25519-dalek signs. */
export function signEd25519(message: Uint8Array, seed: Uint8Array): Uint8Array {
  return ed.sign(message, seed);
}

/**
 * Verifies like ed25519-dalek's `verify_strict`: canonical encodings, S < L, small-order keys refused.
 * Never throws; malformed keys or signatures are simply not valid.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** The key's fingerprint as upstream's `key_fingerprint`: BLAKE3 hex of the 32 raw public-key bytes. */
export function fingerprintOf(publicKey: Uint8Array): string {
  return bytesToHex(blake3(publicKey));
}

/** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as `greentic-pack sign --key` reads. */
export function privateKeyToPem(seed: Uint8Array, passphrase?: string): string {
  const key = createPrivateKey({ key: jwk(seed, publicKeyOf(seed)), format: 'jwk' });
  return passphrase === undefined
    ? (key.export({ format: 'pem', type: 'pkcs8' }) as string)
    : (key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string);
}

/** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as `greentic-pack verify --key` reads. */
export function publicKeyToPem(publicKey: Uint8Array): string {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(publicKey) }, format: 'jwk' }).export({
    format: 'pem',
    type: 'spki',
  }) as string;
}

export function parsePrivateKeyPem(pem: string, passphrase?: string): Ed25519KeyPair {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem);
    const reason = encrypted && passphrase === undefined ? 'the key is encrypted and needs a passphrase' : (error as Error).message;
    throw new KeyError(`failed to parse ed25519 private key: ${reason}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`failed to parse ed25519 private key: found a ${key.asymmetricKeyType ?? 'unknown'} key`);
  const { d, x } = key.export({ format: 'jwk' });
  if (!d || !x) throw new KeyError('failed to parse ed25519 private key');
  return { seed: fromBase64url(d), publicKey: fromBase64url(x) };
}

export function parsePublicKeyPem(pem: string): Uint8Array {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeyError(`failed to parse ed25519 public key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`failed to parse ed25519 public key: found a ${key.asymmetricKeyType ?? 'unknown'} key`);
  const { x } = key.export({ format: 'jwk' });
  if (!x) throw new KeyError('failed to parse ed25519 public key');
  return fromBase64url(x);
}

function jwk(seed: Uint8Array, publicKey: Uint8Array) {
  return { kty: 'OKP', crv: 'Ed25519', d: base64url(seed), x: base64url(publicKey) };
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function fromBase64url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
