/**
 * The embedded runner's settings behind the contract: which session store conversations use, chosen
 * in the studio and remembered across restarts, unless the command line fixed it. Choosing Redis
 * connects first: a server that cannot be reached is refused with the reason, never replaced by
 * memory; a saved one that cannot be reached at start leaves turns failing with that reason.
 */
import { StudioError, type RunnerSettings } from '../../shared/api';
import type { Handlers } from '../../shared/api/define';
import type { runnerMethods } from '../../shared/api/runner';
import { RedisConnectError } from '../sessions/redis-connection';
import { openSessionStore, resolveSessionBackend, SessionConfigError, type SessionBackendConfig } from '../sessions/session-backend';
import type { SessionStore, SessionStoreDescription } from '../sessions/session-store';
import type { SwitchableSessionStore } from '../sessions/switchable-session-store';
import type { SavedRunnerSettings } from './saved-settings';

export type RunnerSessions =
  | { kind: 'fixed'; store: SessionStore }
  | { kind: 'chosen'; store: SwitchableSessionStore; saved: SavedRunnerSettings; env: string };

export class RunnerSettingsService {
  constructor(private readonly sessions: RunnerSessions) {}

  settings(): RunnerSettings {
    const { store } = this.sessions;
    return {
      sessions: {
        store: store.description,
        fixed: this.sessions.kind === 'fixed',
        problem: this.sessions.kind === 'chosen' ? this.sessions.store.problem : null,
      },
    };
  }

  /** Opens the store saved in the settings; one that cannot be had is reported, not replaced. */
  async applySaved(): Promise<RunnerSettings> {
    if (this.sessions.kind === 'fixed') return this.settings();
    const { store, saved } = this.sessions;
    const chosen = await saved.sessions().catch(() => null);
    if (chosen === null || chosen === 'memory') return this.settings();
    let config: SessionBackendConfig;
    try {
      config = this.config(chosen);
    } catch (error) {
      await store.unavailable({ backend: 'memory' }, `the saved session store is not usable: ${messageOf(error)}`);
      return this.settings();
    }
    try {
      await store.use(await openSessionStore(config));
    } catch (error) {
      await store.unavailable(describe(config), `sessions cannot be kept: ${messageOf(error)}; pick another session store in the runner settings`);
    }
    return this.settings();
  }

  async choose(choice: string): Promise<RunnerSettings> {
    if (this.sessions.kind === 'fixed') {
      throw new StudioError('forbidden', 'the session store was set when the studio was started (--sessions or GREENTIC_RUNNER_SESSION_BACKEND) and cannot be changed here');
    }
    const { store, saved } = this.sessions;
    let config: SessionBackendConfig;
    try {
      config = this.config(choice);
    } catch (error) {
      if (error instanceof SessionConfigError) throw new StudioError('bad_request', error.message);
      throw error;
    }
    let opened: SessionStore;
    try {
      opened = await openSessionStore(config);
    } catch (error) {
      if (error instanceof RedisConnectError) throw new StudioError('unavailable', `cannot use the Redis session store: ${error.message}`);
      throw error;
    }
    await store.use(opened);
    await saved.saveSessions(choice);
    return this.settings();
  }

  private config(choice: string): SessionBackendConfig {
    // The namespace follows the runner's environment, as `serve --sessions` does.
    const env = this.sessions.kind === 'chosen' ? this.sessions.env : 'local';
    return resolveSessionBackend({ flag: choice, flagName: 'the session store', environment: {}, env });
  }
}

export function createRunnerHandlers(service: RunnerSettingsService): Handlers<typeof runnerMethods> {
  return {
    getRunnerSettings: async () => service.settings(),
    setSessionStore: ({ store }) => service.choose(store),
  };
}

function describe(config: SessionBackendConfig): SessionStoreDescription {
  return config.backend === 'memory' ? { backend: 'memory' } : { backend: 'redis', url: config.target.display, namespace: config.namespace };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
