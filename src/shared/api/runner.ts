import { z } from 'zod';
import { method } from './define';

/** Where the embedded runner keeps conversation sessions (a Redis URL is shown without its password). */
export type SessionStoreInfo = { backend: 'memory' } | { backend: 'redis'; url: string; namespace: string };

/** The embedded runner's settings, as the settings form shows them. */
export interface RunnerSettings {
  sessions: {
    store: SessionStoreInfo;
    /** Chosen by `serve --sessions` or the environment: the studio cannot change it. */
    fixed: boolean;
    /** Why the chosen store cannot be used now (turns fail until it can), or null. */
    problem: string | null;
  };
}

export const runnerMethods = {
  getRunnerSettings: method<RunnerSettings>()(z.object({}).strict()),
  /**
   * Where sessions live from now on, remembered across restarts: `memory`, or a Redis URL
   * (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS). A Redis server that cannot be
   * reached is refused with the reason, and the store in use stays as it was.
   */
  setSessionStore: method<RunnerSettings>()(z.object({ store: z.string().trim().min(1).max(2048) }).strict()),
};
