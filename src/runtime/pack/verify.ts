import type { PackVerification, SignatureReport } from '../../shared/api/pack';
import { fingerprintOf } from '../keys/ed25519';
import { isPackError } from './errors';
import type { OpenedPack } from './open';
import { readChainKey, type ChainKey } from './signing/certificate';
import { CHAIN_PEM_PATH, PACK_SIG_PATH, envelopeDigest, parseEnvelope, verifyEnvelope } from './signing/scheme-a';
import { checkEmbeddedSignatures } from './signing/scheme-b';

export interface VerifyOptions {
  /** Keys the caller names (CLI `--key`): signatures by them are valid. */
  givenKeys?: Uint8Array[];
  /** Keys of the trust store: signatures by them are valid too. */
  trustedKeys?: Uint8Array[];
  /** Accept a valid signature by any key (the pack's own certificate included). */
  anySigner?: boolean;
}

/**
 * Verifies both signature schemes and the archive's integrity. A pack passes when every byte matches
 * its SBOM, no signature is invalid, and at least one verifies with an accepted key (or any key with
 * `anySigner`).
 */
export async function verifyOpenedPack(pack: OpenedPack, options: VerifyOptions = {}): Promise<PackVerification> {
  const accepted = new Set([...(options.givenKeys ?? []), ...(options.trustedKeys ?? [])].map(fingerprintOf));
  const problems = [...pack.sbomCheck.problems];
  if (!pack.sbom) problems.push('the pack has no SBOM, so its files are not covered by any signature');

  const chain = await readChain(pack);
  const signatures: SignatureReport[] = [];
  if (pack.decoded.model === 'pack-v1') {
    const candidates = [...(options.givenKeys ?? []), ...(options.trustedKeys ?? [])];
    if (chain.key) candidates.push(chain.key.publicKey);
    for (const check of checkEmbeddedSignatures(pack.decoded.manifest, candidates)) {
      const report: SignatureReport = { scheme: 'embedded', key_id: check.keyId, fingerprint: check.fingerprint, status: 'valid', message: null, subject: null };
      if (check.problem === 'unsupported_algorithm') Object.assign(report, { status: 'unsupported', message: check.message });
      else if (check.problem === 'no_matching_key') Object.assign(report, { status: 'unknown_key', message: 'no trusted or given key to check this signature against' });
      else if (check.problem) Object.assign(report, { status: 'invalid', message: check.message });
      else if (!accepted.has(check.fingerprint ?? '')) Object.assign(report, { status: 'untrusted', message: 'valid signature by a key that is neither given nor trusted' });
      signatures.push(report);
    }
  }
  const envelope = await checkEnvelope(pack, chain, accepted);
  if (envelope) signatures.push(envelope);

  const intact = problems.length === 0;
  const acceptable = (report: SignatureReport) =>
    report.status === 'valid' ||
    (report.status === 'dev_certificate' && accepted.has(report.fingerprint ?? '')) ||
    (options.anySigner === true && (report.status === 'untrusted' || report.status === 'dev_certificate'));
  const signed = signatures.some(acceptable);
  // A signature that fails is evidence of tampering even when another one verifies.
  const broken = signatures.filter((report) => report.status === 'invalid');
  for (const report of broken) problems.push(`the ${report.scheme} signature is invalid: ${report.message ?? 'verification failed'}`);
  if (signatures.length === 0) problems.push('the pack is not signed');
  else if (!signed) problems.push('no signature verifies with an accepted key');
  return { ok: problems.length === 0 && signed, intact, problems, signatures };
}

async function readChain(pack: OpenedPack): Promise<{ key: ChainKey | null; error: string | null }> {
  const pem = pack.contents.retained.get(CHAIN_PEM_PATH);
  if (!pem) return { key: null, error: 'signature files incomplete; missing chain' };
  try {
    return { key: await readChainKey(new TextDecoder().decode(pem)), error: null };
  } catch (error) {
    if (isPackError(error)) return { key: null, error: error.message };
    throw error;
  }
}

async function checkEnvelope(pack: OpenedPack, chain: { key: ChainKey | null; error: string | null }, accepted: Set<string>): Promise<SignatureReport | null> {
  const sigBytes = pack.contents.retained.get(PACK_SIG_PATH);
  if (!sigBytes) return null;
  const report: SignatureReport = { scheme: 'envelope', key_id: null, fingerprint: null, status: 'invalid', message: null, subject: chain.key?.subject ?? null };
  if (!chain.key) return { ...report, message: chain.error };
  report.fingerprint = fingerprintOf(chain.key.publicKey);
  if (!pack.sbom) return { ...report, message: 'the envelope cannot be checked without an SBOM' };
  try {
    const envelope = parseEnvelope(sigBytes);
    report.key_id = envelope.key_fingerprint ?? null;
    verifyEnvelope(envelope, await envelopeDigest(pack.manifestBytes, pack.sbom.bytes, pack.sbom.value.files), chain.key.publicKey);
  } catch (error) {
    if (isPackError(error)) return { ...report, message: error.message };
    throw error;
  }
  if (chain.key.isDevCertificate) return { ...report, status: 'dev_certificate', message: 'signed with the self-signed development certificate' };
  if (!accepted.has(report.fingerprint)) return { ...report, status: 'untrusted', message: 'valid signature by a key that is neither given nor trusted' };
  return { ...report, status: 'valid' };
}
