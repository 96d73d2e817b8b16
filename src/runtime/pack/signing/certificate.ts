import { createHash, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs this polyfill first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { privateKeyToPem, publicKeyToPem } from '../../keys/ed25519';
import { PackError } from '../errors';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** The subject upstream's dev certificates carry; a chain made of one is reported as a dev signature. */
export const DEV_CERTIFICATE_CN = 'greentic-dev-local';

const ED25519 = { name: 'Ed25519' } as const;

/**
 * A self-signed X.509 certificate for the signing key, for `signatures/chain.pem`. The subject names
 * the publisher (never the dev CN); the serial is derived from the key so one key always gets the
 * same identity.
 */
export async function createSigningCertificate(seed: Uint8Array, publicKey: Uint8Array, publisher: string, now: Date): Promise<string> {
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey('pkcs8', pemBody(privateKeyToPem(seed)), ED25519, false, ['sign']);
  const publicCryptoKey = await subtle.importKey('spki', pemBody(publicKeyToPem(publicKey)), ED25519, true, ['verify']);
  const commonName = publisher.trim() === '' || publisher === DEV_CERTIFICATE_CN ? 'Greentic pack publisher' : publisher;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + 10);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01' + createHash('sha256').update(publicKey).digest('hex').slice(0, 30),
    name: [{ CN: [commonName] }],
    notBefore: now,
    notAfter,
    signingAlgorithm: ED25519,
    keys: { privateKey, publicKey: publicCryptoKey } as CryptoKeyPair,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return certificate.toString('pem') + '\n';
}

export interface ChainKey {
  publicKey: Uint8Array;
  subject: string;
  isDevCertificate: boolean;
  certificateCount: number;
}

/**
 * The Ed25519 key of the first certificate of `chain.pem`, with upstream's error texts. The
 * certificate must carry a valid self-signature, so that no byte of it can change unnoticed.
 */
export async function readChainKey(pem: string): Promise<ChainKey> {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) throw new PackError('signature_invalid', 'certificate chain is empty', 'signatures/chain.pem');
  for (const block of blocks) {
    if (block[1] !== 'CERTIFICATE') {
      throw new PackError('signature_invalid', `unexpected PEM label ${block[1] ?? ''}; expected CERTIFICATE`, 'signatures/chain.pem');
    }
  }
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(block0(blocks[0]));
  } catch (error) {
    throw new PackError('signature_invalid', `signatures/chain.pem holds an unreadable certificate: ${(error as Error).message}`, 'signatures/chain.pem');
  }
  const spki = new Uint8Array(certificate.publicKey.rawData);
  const publicKey = ed25519KeyFromSpki(spki);
  const selfSigned = await certificate.verify({ signatureOnly: true }).catch(() => false);
  if (!selfSigned) throw new PackError('signature_invalid', 'the certificate in signatures/chain.pem does not carry a valid self-signature', 'signatures/chain.pem');
  const commonNames = certificate.subjectName.getField('CN');
  return {
    publicKey,
    subject: certificate.subject,
    isDevCertificate: commonNames.includes(DEV_CERTIFICATE_CN),
    certificateCount: blocks.length,
  };
}

/** An Ed25519 SPKI is a fixed 12-byte header (algorithm 1.3.101.112) and the 32-byte key. */
const ED25519_SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519KeyFromSpki(spki: Uint8Array): Uint8Array {
  const header = Buffer.from(spki.subarray(0, ED25519_SPKI_HEADER.length));
  if (!header.equals(ED25519_SPKI_HEADER) || spki.length !== ED25519_SPKI_HEADER.length + 32) {
    const found = Math.max(0, spki.length - ED25519_SPKI_HEADER.length);
    throw new PackError('signature_invalid', `expected 32-byte Ed25519 public key, found ${found} bytes`, 'signatures/chain.pem');
  }
  return spki.slice(ED25519_SPKI_HEADER.length);
}

function block0(match: RegExpMatchArray | undefined): string {
  return match?.[0] ?? '';
}

function pemBody(pem: string): ArrayBuffer {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const bytes = Buffer.from(body, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
