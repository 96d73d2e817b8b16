import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrivateKeyPem, parsePublicKeyPem } from '../../src/runtime/keys/ed25519';
import { readArchive } from '../../src/runtime/pack/archive/zip-reader';
import { decodeCbor } from '../../src/runtime/pack/cbor/decode';
import { encodeCanonicalCbor } from '../../src/runtime/pack/cbor/encode';
import { describePack } from '../../src/runtime/pack/inspect';
import { decodeManifest, decodePackManifest, encodePackManifest, encodeUnsignedPackManifest } from '../../src/runtime/pack/manifest';
import { openPack } from '../../src/runtime/pack/open';
import { signManifestBytes } from '../../src/runtime/pack/signing/scheme-b';
import { verifyOpenedPack } from '../../src/runtime/pack/verify';
import { conformancePath, hasConformance, loadExpectations } from '../support/conformance';

interface PackExpectation {
  file: string;
  layout: string;
  pack_id: string;
  version: string;
  kind?: string;
  publisher?: string;
  flows: string[];
  components: string[];
  sbom_ok: boolean;
  sbom_problems?: string[];
  embedded_signatures?: number;
  legacy_envelope?: string;
}

const packs = hasConformance ? (loadExpectations().packs as unknown as PackExpectation[]) : [];

describe.skipIf(!hasConformance)('conformance: real .gtpack archives', () => {
  it.each(packs.map((pack) => [pack.file, pack] as const))('%s inspects as expected', async (_file, expected) => {
    const opened = await openPack({ path: conformancePath(expected.file) });
    const inspection = describePack(opened, await verifyOpenedPack(opened));
    expect(inspection.layout).toBe(expected.layout);
    expect(inspection.pack_id).toBe(expected.pack_id);
    expect(inspection.version).toBe(expected.version);
    if (expected.kind) expect(inspection.kind).toBe(expected.kind);
    if (expected.publisher) expect(inspection.publisher).toBe(expected.publisher);
    expect([...inspection.flows].sort()).toEqual([...expected.flows].sort());
    expect(inspection.components).toEqual(expected.components);
    expect(inspection.sbom.ok).toBe(expected.sbom_ok);
    const problems = expected.sbom_problems ?? [];
    expect(inspection.sbom.problems).toHaveLength(problems.length);
    for (const [i, problem] of problems.entries()) expect(inspection.sbom.problems[i]).toContain(problem);
    if (expected.embedded_signatures !== undefined) {
      expect(inspection.signatures.filter((s) => s.scheme === 'embedded')).toHaveLength(expected.embedded_signatures);
    }
    if (expected.legacy_envelope === 'valid') {
      const envelope = inspection.signatures.find((s) => s.scheme === 'envelope');
      // Cryptographically valid; signed by upstream's development certificate, so reported as such.
      expect(envelope?.status).toBe('dev_certificate');
      expect(envelope?.message).toMatch(/development certificate/);
    }
    for (const entry of inspection.entries) expect(entry.blake3).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the two SBOM mismatches of the deflated archive and marks those entries', async () => {
    const opened = await openPack({ path: conformancePath('packs/archives/deflated-quickstart.gtpack') });
    const inspection = describePack(opened, await verifyOpenedPack(opened));
    const mismatched = inspection.entries.filter((entry) => entry.sbom_status === 'hash_mismatch').map((entry) => entry.path);
    expect(mismatched.sort()).toEqual(['manifest.cbor', 'pack.lock.cbor']);
    expect(inspection.entries.every((entry) => entry.method === 'deflate')).toBe(true);
  });

  it('verifies the legacy envelope facts of the spec (digest, key, fingerprint)', async () => {
    const opened = await openPack({ path: conformancePath('packs/archives/legacy-signed-demo.gtpack') });
    const envelope = (await verifyOpenedPack(opened, { anySigner: true })).signatures.find((s) => s.scheme === 'envelope');
    expect(envelope?.fingerprint).toBe('60838b5c59b6cd01be8ec59dfeb90138591af25d5a7f5245e4c3b3b31fd12484');
    expect(envelope?.subject).toBe('CN=greentic-dev-local');
    const sig = JSON.parse(new TextDecoder().decode(opened.contents.retained.get('signatures/pack.sig'))) as { digest: string };
    expect(sig.digest).toBe('a02e5dcac2138e1fd67d5f0813e8b72fd295ebf724512cca66004a13e2628742');
  });
});

describe.skipIf(!hasConformance)('conformance: manifest CBOR is byte-exact', () => {
  const canonical = packs.filter((pack) => pack.layout === 'canonical').map((pack) => pack.file);

  it.each(canonical)('%s: manifest.cbor decodes and re-encodes to identical bytes', async (file) => {
    const contents = await readArchive({ path: conformancePath(file) }, { hashAll: false, retain: (p) => p === 'manifest.cbor' });
    const bytes = contents.retained.get('manifest.cbor') as Uint8Array;
    expect(Buffer.from(encodePackManifest(decodePackManifest(bytes)))).toEqual(Buffer.from(bytes));
  });

  it.each(canonical)('%s: sbom.cbor, pack.lock.cbor and component manifests are canonical CBOR', async (file) => {
    const canonicalFiles = (p: string) => p === 'sbom.cbor' || p === 'pack.lock.cbor' || p.endsWith('.manifest.cbor');
    const contents = await readArchive({ path: conformancePath(file) }, { hashAll: false, retain: canonicalFiles });
    expect(contents.retained.size).toBeGreaterThanOrEqual(2);
    for (const bytes of contents.retained.values()) expect(Buffer.from(encodeCanonicalCbor(decodeCbor(bytes)))).toEqual(Buffer.from(bytes));
  });

  it('reads the legacy manifest behind its 55799 tag', async () => {
    const contents = await readArchive({ path: conformancePath('packs/archives/legacy-signed-demo.gtpack') }, { hashAll: false, retain: (p) => p === 'manifest.cbor' });
    const bytes = contents.retained.get('manifest.cbor') as Uint8Array;
    expect([...bytes.subarray(0, 3)]).toEqual([0xd9, 0xd9, 0xf7]);
    const decoded = decodeManifest(bytes);
    expect(decoded.model).toBe('legacy');
  });
});

describe.skipIf(!hasConformance)('conformance: scheme-B test vector', () => {
  const vector = (name: string) => readFileSync(conformancePath(`vectors/${name}`));

  it('signing the unsigned manifest with the RFC 8032 key gives the signed manifest byte for byte', () => {
    const { seed } = parsePrivateKeyPem(vector('rfc8032-test1.private.pkcs8.pem').toString('utf8'));
    const unsigned = vector('msg-event-app.manifest.unsigned.cbor');
    const signed = signManifestBytes(decodePackManifest(unsigned), seed, 'default');
    expect(Buffer.from(signed)).toEqual(vector('msg-event-app.manifest.signed-rfc8032-test1.cbor'));
  });

  it('the signed manifest without its signatures re-encodes to the unsigned bytes, and Node verifies it', () => {
    const signed = decodePackManifest(vector('msg-event-app.manifest.signed-rfc8032-test1.cbor'));
    const message = encodeUnsignedPackManifest(signed);
    expect(Buffer.from(message)).toEqual(vector('msg-event-app.manifest.unsigned.cbor'));
    const publicPem = vector('rfc8032-test1.public.spki.pem').toString('utf8');
    expect(Buffer.from(parsePublicKeyPem(publicPem)).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = Buffer.from(signed.signatures[0]?.signature ?? '', 'base64');
    expect(nodeVerify(null, message, createPublicKey(publicPem), signature)).toBe(true);
  });
});
