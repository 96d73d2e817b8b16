/**
 * Run as its own Node process by the reproducibility test: builds `<folder>` signed with the PKCS#8
 * key in `<key.pem>` and writes the pack to `<out>`, under whatever TZ and SOURCE_DATE_EPOCH it was given.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parsePrivateKeyPem } from '../../src/runtime/keys/ed25519';
import { buildPack } from '../../src/runtime/pack/builder/build';

const [folder, keyFile, out] = process.argv.slice(2);
if (!folder || !keyFile || !out) throw new Error('usage: build-signed-pack <folder> <key.pem> <out>');
const signer = parsePrivateKeyPem(readFileSync(keyFile, 'utf8'));
writeFileSync(out, (await buildPack(folder, { signer })).bytes);
