import { homedir } from 'node:os';
import path from 'node:path';
import { KeyFileCipher } from './key-file-cipher';
import { NatsProfileStore } from './nats-profiles';
import { EncryptedFileVault, type SecretCipher } from './vault';

/** Where the CLI and web mode keep settings: `$GREENTIC_STUDIO_CONFIG_DIR`, else the XDG config folder. */
export function studioConfigDir(): string {
  const explicit = process.env.GREENTIC_STUDIO_CONFIG_DIR;
  if (explicit) return path.resolve(explicit);
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'greentic-studio');
}

/**
 * NATS profiles stored in `configDir`, secrets sealed by `cipher`: the desktop app passes one backed
 * by the OS key store; the default is a key file beside the secrets, readable by the owner only.
 */
export function fileNatsProfileStore(configDir: string, cipher?: SecretCipher): NatsProfileStore {
  const vault = new EncryptedFileVault(path.join(configDir, 'secrets.json'), cipher ?? new KeyFileCipher(path.join(configDir, 'secrets.key')));
  return new NatsProfileStore(path.join(configDir, 'nats-profiles.json'), vault);
}
