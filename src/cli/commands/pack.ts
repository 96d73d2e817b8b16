import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { SIGNATURE_STATUS_TEXT, type PackInspection, type PackVerification, type SignatureReport } from '../../shared/api/pack';
import { writeFileAtomic } from '../../runtime/fs/atomic';
import { parsePrivateKeyPem, type Ed25519KeyPair } from '../../runtime/keys/ed25519';
import { buildPack } from '../../runtime/pack/builder/build';
import { PackError } from '../../runtime/pack/errors';
import { describePack } from '../../runtime/pack/inspect';
import { openPack, type OpenedPack } from '../../runtime/pack/open';
import { signPackArchive } from '../../runtime/pack/sign';
import { verifyOpenedPack } from '../../runtime/pack/verify';
import { doctorArchive } from '../../runtime/pack/doctor/archive';
import type { PackDiagnostic } from '../../runtime/pack/doctor/diagnostic';
import { doctorFolder } from '../../runtime/pack/doctor/folder';
import { FileSecretsStore } from '../../runtime/components/wasm/services/secrets';
import { defaultSecretsFile } from '../../runtime/components/wasm/user-dirs';
import { pushPack } from '../../runtime/pack/registry/push';
import { resolvePack, ResolveError } from '../../runtime/pack/registry/resolve';
import { CliExit, EXIT_FAILED, EXIT_USAGE, repeatable, usageError, type CommandModule } from '../command';
import { registryCredentials, registryStep, type RegistryUserOption } from './registry-options';
import { readPemKey, verifyOptionsFrom } from '../verify-keys';

interface SigningOptions {
  key?: string;
  keyId?: string;
}

interface VerifyOptions {
  key?: string[];
  anySigner?: boolean;
  trustStore?: string;
  json?: boolean;
}

export const packCommand: CommandModule = (program: Command) => {
  const pack = program.command('pack').description('build, sign, verify and inspect .gtpack archives');

  pack
    .command('build')
    .description('build a pack project folder (pack.yaml, flows, components, assets) into a canonical .gtpack')
    .argument('<folder>', 'the pack project folder')
    .requiredOption('--out <file>', 'where to write the .gtpack')
    .option('--key <private.pem>', 'sign with this PKCS#8 private key (embedded signature and envelope)')
    .option('--key-id <id>', 'key id of the embedded signature', 'default')
    .action(async (folder: string, options: SigningOptions & { out: string }) => {
      if (!(await fs.stat(folder).catch(() => null))?.isDirectory()) throw usageError(`${folder}: no such folder`);
      const signer = options.key ? { ...(await readPrivateKey(options.key)), keyId: options.keyId ?? 'default' } : undefined;
      const built = await packStep(() => buildPack(folder, signer ? { signer } : {}));
      await writeOutput(options.out, built.bytes);
      for (const warning of built.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`built ${options.out} (${built.manifest.pack_id} ${built.manifest.version}, ${built.entries} entries${signer ? ', signed' : ''})\n`);
    });

  pack
    .command('sign')
    .description('add a signature to a pack (embedded in manifest.cbor, plus the signatures/ envelope)')
    .argument('<pack>', 'the .gtpack to sign in place')
    .requiredOption('--key <private.pem>', 'PKCS#8 private key')
    .option('--key-id <id>', 'key id of the embedded signature', 'default')
    .action(async (file: string, options: SigningOptions & { key: string }) => {
      const pair = await readPrivateKey(options.key);
      const signed = await packStep(() => signPackArchive({ path: file }, { ...pair, keyId: options.keyId ?? 'default' }));
      await writeOutput(file, signed);
      process.stdout.write(`signed ${file}\n`);
    });

  pack
    .command('verify')
    .description('check that every file matches the SBOM and a signature verifies; exit 0 valid, 1 not valid or unsigned')
    .argument('<pack>', 'the .gtpack to verify')
    .option('--key <public.pem>', 'accept signatures by this SPKI public key (repeat for several)', repeatable)
    .option('--any-signer', 'accept a valid signature by any key, including the pack\'s own certificate')
    .option('--trust-store <file>', 'also accept keys of this trust store')
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: VerifyOptions) => {
      const trust = await verifyOptionsFrom(options);
      const opened = await openForReport(file, options.json);
      if (!opened) return;
      const verification = await verifyOpenedPack(opened, trust);
      if (options.json) process.stdout.write(`${JSON.stringify({ status: verification.ok ? 'verified' : 'failed', ...verification })}\n`);
      else printVerification(verification);
      if (!verification.ok) throw new CliExit(EXIT_FAILED);
    });

  pack
    .command('resolve')
    .description('pin every component the flows bind (and pack.yaml\'s component refs) in pack.lock.cbor and pack.lock.json, pulling oci:// components')
    .argument('<folder>', 'the pack project folder')
    .option('--user <name:password>', 'registry credentials (default: GREENTIC_REGISTRY_USERNAME/PASSWORD or GREENTIC_REGISTRY_TOKEN)')
    .action(async (folder: string, options: RegistryUserOption) => {
      if (!(await fs.stat(folder).catch(() => null))?.isDirectory()) throw usageError(`${folder}: no such folder`);
      const credentials = registryCredentials(options);
      const result = await registryStep(async () => {
        try {
          return await resolvePack(folder, {
            credentials,
            onProgress: (p) => {
              if (p.phase === 'manifest') process.stderr.write(`pulling ${p.reference}\n`);
              else if (p.phase === 'cached') process.stderr.write(`cached ${p.reference}\n`);
            },
          });
        } catch (error) {
          if (error instanceof ResolveError) throw new CliExit(EXIT_FAILED, error.message);
          throw error;
        }
      });
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      for (const entry of Object.values(result.lock.components)) process.stdout.write(`locked ${entry.component_id} ${entry.resolved_digest}\n`);
      process.stdout.write(`wrote ${result.lockPath} (${Object.keys(result.lock.components).length} components)\n`);
    });

  pack
    .command('doctor')
    .description('run the pack checks upstream runs before a deploy (empty flows, missing files and components, unlocked components, entry flows, secrets); exit 1 on an error')
    .argument('<pack>', 'a pack project folder or a .gtpack')
    .option('--json', 'print one JSON document')
    .action(async (target: string, options: { json?: boolean }) => {
      const stat = await fs.stat(target).catch(() => null);
      if (!stat) throw usageError(`${target}: no such file or folder`);
      let diagnostics: PackDiagnostic[];
      if (stat.isDirectory()) diagnostics = await doctorFolder(target, { secrets: new FileSecretsStore(defaultSecretsFile()) });
      else {
        const opened = await openForReport(target, options.json);
        if (!opened) return;
        diagnostics = doctorArchive(opened);
      }
      const ok = diagnostics.every((d) => d.severity !== 'error');
      if (options.json) process.stdout.write(`${JSON.stringify({ ok, diagnostics })}\n`);
      else printDoctor(target, diagnostics);
      if (!ok) throw new CliExit(EXIT_FAILED);
    });

  pack
    .command('push')
    .description('publish a .gtpack to an OCI registry as one layer (the registry holds it byte for byte)')
    .argument('<pack>', 'the .gtpack to push')
    .argument('<ref>', 'oci://host[:port]/repository:tag')
    .option('--user <name:password>', 'registry credentials (default: GREENTIC_REGISTRY_USERNAME/PASSWORD or GREENTIC_REGISTRY_TOKEN)')
    .action(async (file: string, ref: string, options: RegistryUserOption) => {
      const bytes = await fs.readFile(file).catch(() => {
        throw usageError(`${file}: no such file`);
      });
      const credentials = registryCredentials(options);
      const pushed = await registryStep(() => pushPack(ref, new Uint8Array(bytes), file.split(/[\\/]/).pop() ?? 'pack.gtpack', { credentials }));
      process.stdout.write(`pushed ${file} to ${pushed.pinned}\n`);
    });

  pack
    .command('inspect')
    .description('show a pack\'s summary, entries, SBOM status and signatures')
    .argument('<pack>', 'the .gtpack to inspect')
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { json?: boolean }) => {
      const opened = await openForReport(file, options.json);
      if (!opened) return;
      const inspection = describePack(opened, await verifyOpenedPack(opened));
      if (options.json) process.stdout.write(`${JSON.stringify(inspection)}\n`);
      else printInspection(inspection);
    });
};

function printDoctor(target: string, diagnostics: PackDiagnostic[]): void {
  if (diagnostics.length === 0) {
    process.stdout.write(`${target}: ok\n`);
    return;
  }
  for (const d of diagnostics) {
    process.stdout.write(`${d.severity} ${d.code}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
  }
}

/** Runs a pack operation; a pack problem is a negative result (1), a missing file a usage error (2). */
async function packStep<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PackError) throw new CliExit(error.code === 'io_error' ? EXIT_USAGE : EXIT_FAILED, error.message);
    throw error;
  }
}

/** Opens a pack for verify/inspect; an unreadable archive is reported (as JSON when asked) and exits 1. */
async function openForReport(file: string, json: boolean | undefined): Promise<OpenedPack | null> {
  if (!(await fs.stat(file).catch(() => null))?.isFile()) throw usageError(`${file}: no such file`);
  try {
    return await openPack({ path: file });
  } catch (error) {
    if (!(error instanceof PackError)) throw error;
    if (json) process.stdout.write(`${JSON.stringify({ status: 'failed', error: { code: error.code, message: error.message, path: error.path ?? null } })}\n`);
    throw new CliExit(error.code === 'io_error' ? EXIT_USAGE : EXIT_FAILED, error.message);
  }
}

function readPrivateKey(file: string): Promise<Ed25519KeyPair> {
  return readPemKey(file, 'private key', (pem) => parsePrivateKeyPem(pem));
}

async function writeOutput(file: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, bytes);
  } catch (error) {
    throw usageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

function describeSignature(signature: SignatureReport): string {
  const who = signature.key_id ? ` key_id=${signature.key_id}` : '';
  const fingerprint = signature.fingerprint ? ` fingerprint=${signature.fingerprint}` : '';
  const why = signature.message ? ` (${signature.message})` : '';
  return `  - ${signature.scheme}: ${SIGNATURE_STATUS_TEXT[signature.status]} [${signature.status}]${who}${fingerprint}${why}`;
}

function printVerification(verification: PackVerification): void {
  process.stdout.write(`${verification.ok ? 'verified' : 'NOT verified'}\n`);
  process.stdout.write(`Signatures: ${verification.signatures.length}\n`);
  for (const signature of verification.signatures) process.stdout.write(`${describeSignature(signature)}\n`);
  for (const problem of verification.problems) process.stdout.write(`problem: ${problem}\n`);
}

function printInspection(inspection: PackInspection): void {
  const lines = [
    `Pack: ${inspection.pack_id} (${inspection.version})`,
    `Layout: ${inspection.layout} (${inspection.model})`,
    `Kind: ${inspection.kind ?? '-'}`,
    `Publisher: ${inspection.publisher ?? '-'}`,
    `Flows: ${inspection.flows.length}`,
    ...inspection.flow_details.map((flow) => `  - ${flow.id} (kind: ${flow.kind})`),
    `Components: ${inspection.components.length}`,
    ...inspection.component_details.map((component) => `  - ${component.id} (${component.version})`),
    `Entries: ${inspection.entries.length}`,
    ...inspection.entries.map((entry) => `  - ${entry.path}  ${entry.size} B  ${entry.media_type ?? '-'}  ${entry.sbom_status}`),
    `SBOM: ${inspection.sbom.ok ? 'ok' : 'MISMATCH'}`,
    ...inspection.sbom.problems.map((problem) => `  - ${problem}`),
    `Signatures: ${inspection.signatures.length}`,
    ...inspection.signatures.map(describeSignature),
    ...(inspection.warnings.length > 0 ? ['Warnings:', ...inspection.warnings.map((warning) => `  - ${warning}`)] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
