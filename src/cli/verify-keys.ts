/** The signer flags of `pack verify` and `bundle check`: `--key` (repeatable), `--trust-store`, `--any-signer`. */
import { promises as fs } from 'node:fs';
import { parsePublicKeyPem } from '../runtime/keys/ed25519';
import { KeyError } from '../runtime/keys/errors';
import { TrustStore } from '../runtime/keys/trust-store';
import type { VerifyOptions } from '../runtime/pack/verify';
import { usageError } from './command';

export interface SignerFlags {
  key?: string[];
  anySigner?: boolean;
  trustStore?: string;
}

export async function verifyOptionsFrom(flags: SignerFlags): Promise<VerifyOptions> {
  const givenKeys = await Promise.all((flags.key ?? []).map((file) => readPemKey(file, 'public key', parsePublicKeyPem)));
  const trustedKeys = flags.trustStore ? await new TrustStore(flags.trustStore).publicKeys().catch(keyUsage) : [];
  return { givenKeys, trustedKeys, anySigner: flags.anySigner === true };
}

/** A PEM key file; a file that cannot be read or parsed is a usage error naming it. */
export async function readPemKey<T>(file: string, what: string, parse: (pem: string) => T): Promise<T> {
  const pem = await fs.readFile(file, 'utf8').catch((error: Error) => {
    throw usageError(`cannot read the ${what} ${file}: ${error.message}`);
  });
  try {
    return parse(pem);
  } catch (error) {
    return keyUsage(error);
  }
}

export function keyUsage(error: unknown): never {
  if (error instanceof KeyError) throw usageError(error.message);
  throw error;
}
