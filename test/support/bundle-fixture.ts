/**
 * Deployment bundles built by the tests in a temp folder, as upstream's operator lays them out: app
 * packs built (and signed) from small projects, real upstream archives from the conformance corpus
 * copied in, tenants and teams with `.gmap` rules, and resolved manifests.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, publicKeyToPem } from '../../src/runtime/keys/ed25519';
import { buildPack } from '../../src/runtime/pack/builder/build';

/** A pack whose flow answers with the tenant and team it runs for, so a test can see the scoping. */
export function greeterProject(folder: string, packId: string): string {
  mkdirSync(path.join(folder, 'flows'), { recursive: true });
  writeFileSync(
    path.join(folder, 'pack.yaml'),
    `pack_id: ${packId}\nversion: 1.2.0\nkind: application\npublisher: Tests\ncomponents: []\nflows:\n  - id: hello\n    file: flows/hello.ygtc\n    entrypoints: [default]\nassets: []\n`,
  );
  writeFileSync(
    path.join(folder, 'flows', 'hello.ygtc'),
    `id: hello\ntype: messaging\nstart: compose\nnodes:\n  compose:\n    templating.handlebars:\n      text: "${packId} for {{in.tenant}}/{{in.team}}: {{in.input.text}}"\n    routing:\n      - to: answer\n  answer:\n    emit.response:\n      messages:\n        - type: text\n          text: "{{prev.text}}"\n    routing: out\n`,
  );
  return folder;
}

/** A pack whose flow asks a name, waits for the next message and thanks it: a session that parks. */
export function surveyProject(folder: string, packId: string): string {
  mkdirSync(path.join(folder, 'flows'), { recursive: true });
  writeFileSync(
    path.join(folder, 'pack.yaml'),
    `pack_id: ${packId}\nversion: 0.3.0\nkind: application\npublisher: Tests\ncomponents: []\nflows:\n  - id: ask\n    file: flows/ask.ygtc\n    entrypoints: [default]\nassets: []\n`,
  );
  writeFileSync(
    path.join(folder, 'flows', 'ask.ygtc'),
    `id: ask\ntype: messaging\nstart: prompt\nnodes:\n  prompt:\n    emit.response:\n      messages:\n        - type: text\n          text: "${packId}: your name?"\n    routing:\n      - to: wait\n  wait:\n    session.wait:\n      reason: waiting for a name\n    routing:\n      - to: thanks\n  thanks:\n    emit.response:\n      messages:\n        - type: text\n          text: "${packId} thanks {{state.input.input.text}}"\n    routing: out\n`,
  );
  return folder;
}

export interface BuiltBundle {
  root: string;
  /** The public key (PEM file) the app packs are signed with. */
  publicKey: string;
  file(relative: string): string;
  write(relative: string, text: string): void;
}

/** A bundle with one signed app pack (`acme.greeter`) and one tenant with one team that may use it. */
export async function cleanBundle(): Promise<BuiltBundle> {
  const root = mkdtempSync(path.join(tmpdir(), 'studio-bundle-'));
  const file = (relative: string) => path.join(root, relative);
  const write = (relative: string, text: string) => {
    mkdirSync(path.dirname(file(relative)), { recursive: true });
    writeFileSync(file(relative), text);
  };
  const pair = generateKeyPair();
  const work = mkdtempSync(path.join(tmpdir(), 'studio-bundle-src-'));
  const built = await buildPack(greeterProject(path.join(work, 'greeter'), 'acme.greeter'), { signer: { ...pair, keyId: 'tests' } });
  write('packs/greeter.gtpack', '');
  writeFileSync(file('packs/greeter.gtpack'), built.bytes);
  write('greentic.demo.yaml', 'version: "1"\nproject_root: "./"\nbundle_name: "acme-demo"\n');
  write('tenants/acme/tenant.gmap', '# acme may use the greeter\n_ = forbidden\nacme.greeter = public\n');
  write('tenants/acme/teams/support/team.gmap', 'acme.greeter/hello = public\n');
  write('resolved/acme.support.yaml', 'version: "1"\ntenant: acme\nteam: support\nproject_root: ./\nproviders: {}\npacks:\n  - packs/greeter.gtpack\n');
  const publicKey = path.join(work, 'tests.pub.pem');
  writeFileSync(publicKey, publicKeyToPem(pair.publicKey));
  return { root, publicKey, file, write };
}

/** Builds a project into a signed archive at `relative` in the bundle. */
export async function addBuiltPack(bundle: BuiltBundle, project: (folder: string) => string, relative: string): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'studio-bundle-src-'));
  const built = await buildPack(project(path.join(work, 'project')), { signer: { ...generateKeyPair(), keyId: 'tests' } });
  mkdirSync(path.dirname(bundle.file(relative)), { recursive: true });
  writeFileSync(bundle.file(relative), built.bytes);
}

/** Copies a real upstream archive of the corpus into the bundle. */
export function addArchive(bundle: BuiltBundle, archive: string, relative: string): void {
  mkdirSync(path.dirname(bundle.file(relative)), { recursive: true });
  copyFileSync(archive, bundle.file(relative));
}
