import { fromSeed } from '@nats-io/nkeys';
import { StudioError } from '../../shared/api';

/**
 * Checks the secrets of the NKEY and credentials-file auth modes when they are entered, so a typo is
 * reported at save time rather than as a puzzling authorization error at connect time.
 */

/** The public key of an NKEY user seed, or a `bad_request` error saying what is wrong. */
export function publicKeyOfSeed(seed: string): string {
  const trimmed = seed.trim();
  if (!trimmed.startsWith('SU')) throw new StudioError('bad_request', 'an NKEY user seed starts with "SU"');
  try {
    return fromSeed(new TextEncoder().encode(trimmed)).getPublicKey();
  } catch (error) {
    throw new StudioError('bad_request', `not a valid NKEY seed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const JWT_BLOCK = /-{3,}BEGIN NATS USER JWT-{3,}\s*([A-Za-z0-9_\-.=]+)\s*-{3,}END NATS USER JWT-{3,}/;
const SEED_BLOCK = /-{3,}BEGIN USER NKEY SEED-{3,}\s*(SU[A-Z2-7]+)\s*-{3,}END USER NKEY SEED-{3,}/;

export interface ParsedCredentials {
  jwt: string;
  seed: string;
  publicKey: string;
}

/** Parses the text of a `.creds` file (user JWT + NKEY seed, as `nsc` writes it). */
export function parseCredentials(text: string): ParsedCredentials {
  const jwt = JWT_BLOCK.exec(text)?.[1];
  const seed = SEED_BLOCK.exec(text)?.[1];
  if (!jwt) throw new StudioError('bad_request', 'the credentials file has no "BEGIN NATS USER JWT" block');
  if (!seed) throw new StudioError('bad_request', 'the credentials file has no "BEGIN USER NKEY SEED" block');
  if (jwt.split('.').length !== 3) throw new StudioError('bad_request', 'the user JWT in the credentials file is malformed');
  return { jwt, seed, publicKey: publicKeyOfSeed(seed) };
}
