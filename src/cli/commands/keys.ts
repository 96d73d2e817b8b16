import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../runtime/fs/atomic';
import { fingerprintOf, generateKeyPair, privateKeyToPem, publicKeyToPem } from '../../runtime/keys/ed25519';
import { usageError, type CommandModule } from '../command';

interface GenerateOptions {
  private: string;
  public: string;
  force?: boolean;
}

export const keysCommand: CommandModule = (program: Command) => {
  const keys = program.command('keys').description('Ed25519 signing keys for packs');
  keys
    .command('generate')
    .description('generate an Ed25519 key pair: PKCS#8 private PEM and SPKI public PEM (as greentic-pack sign/verify read)')
    .requiredOption('--private <file>', 'where to write the private key (created readable by you only)')
    .requiredOption('--public <file>', 'where to write the public key')
    .option('--force', 'overwrite existing files')
    .action(async (options: GenerateOptions) => {
      if (!options.force) {
        for (const file of [options.private, options.public]) {
          if (await fs.stat(file).catch(() => null)) throw usageError(`${file} already exists (use --force to overwrite)`);
        }
      }
      const pair = generateKeyPair();
      try {
        await writeFileAtomic(options.private, privateKeyToPem(pair.seed), 0o600);
        await writeFileAtomic(options.public, publicKeyToPem(pair.publicKey));
      } catch (error) {
        throw usageError(`cannot write the key files: ${(error as Error).message}`);
      }
      process.stdout.write(`fingerprint ${fingerprintOf(pair.publicKey)}\n`);
    });
};
