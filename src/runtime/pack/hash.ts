/**
 * BLAKE3 for packs, through hash-wasm's WebAssembly build (ten times the speed of a JavaScript
 * BLAKE3 here): SBOM entries, fingerprints and the scheme-A digest. Hashers are created
 * asynchronously (the module is compiled once, then instantiated); after that every call is synchronous.
 */
import { createBLAKE3, type IHasher } from 'hash-wasm';

/** A hasher fed chunk by chunk, for bytes that arrive over time (one per stream: streams interleave). */
export interface Blake3Stream {
  update(chunk: Uint8Array): void;
  /** Lowercase hex, as SBOM entries record it. */
  hex(): string;
}

export async function createBlake3Stream(): Promise<Blake3Stream> {
  const hasher = await createBLAKE3();
  return {
    update: (chunk) => void hasher.update(chunk),
    hex: () => hasher.digest('hex'),
  };
}

let shared: Promise<IHasher> | null = null;

/**
 * One hasher serves every in-memory hash: each use runs from `init` to `digest` with no `await`
 * between them, so uses never interleave.
 */
async function sharedHasher(): Promise<IHasher> {
  shared ??= createBLAKE3().catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}

function hashAll(hasher: IHasher, parts: Uint8Array[]): IHasher {
  hasher.init();
  for (const part of parts) hasher.update(part);
  return hasher;
}

/** Lowercase hex BLAKE3 of `parts` one after the other, as SBOM entries and fingerprints record it. */
export async function blake3Hex(...parts: Uint8Array[]): Promise<string> {
  return hashAll(await sharedHasher(), parts).digest('hex');
}

/** The raw 32-byte BLAKE3 of `parts` one after the other. */
export async function blake3Bytes(...parts: Uint8Array[]): Promise<Uint8Array> {
  return hashAll(await sharedHasher(), parts).digest('binary');
}
