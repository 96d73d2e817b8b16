/**
 * The embedded runner's settings kept in the studio's config folder: which session store it uses.
 * A Redis URL may carry a password, so the URL itself is sealed in a secret vault and the JSON file
 * holds only the choice.
 */
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../connections/json-file';
import type { SecretVault } from '../connections/vault';

const SESSIONS_URL_SECRET = 'runner.sessions.url';
const MAX_FILE_BYTES = 64 * 1024;

const settingsFile = z.object({ sessions: z.enum(['memory', 'redis']) });

export class SavedRunnerSettings {
  constructor(
    private readonly file: string,
    private readonly vault: SecretVault,
  ) {}

  /** `memory`, a Redis URL, or null when nothing was saved yet. */
  async sessions(): Promise<string | null> {
    const raw = await readJsonFile(this.file, MAX_FILE_BYTES, 'the runner settings file');
    if (raw === undefined) return null;
    const parsed = settingsFile.safeParse(raw);
    if (!parsed.success) return null;
    if (parsed.data.sessions === 'memory') return 'memory';
    return (await this.vault.get(SESSIONS_URL_SECRET)) ?? null;
  }

  async saveSessions(store: string): Promise<void> {
    if (store === 'memory') {
      await writeJsonFile(this.file, { sessions: 'memory' });
      await this.vault.delete(SESSIONS_URL_SECRET);
      return;
    }
    await this.vault.set(SESSIONS_URL_SECRET, store);
    await writeJsonFile(this.file, { sessions: 'redis' });
  }
}
