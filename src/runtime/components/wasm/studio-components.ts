import type { Handlers } from '../../../shared/api/define';
import type { componentMethods } from '../../../shared/api/components';
import { createComponentHandlers } from './handlers';
import { projectComponents } from './sources';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from './services/http-client';
import { FileSecretsStore, type SecretsStore } from './services/secrets';
import { MemoryStateStore, type ComponentStateStore } from './services/state';
import { defaultSecretsFile } from './user-dirs';
import { WasmComponentHost, type WasmHostOptions } from './wasm-host';

export interface StudioComponentsOptions {
  projectRoot(): Promise<string | null>;
  /** Default: the file-backed dev store in the user's config folder. */
  secrets?: SecretsStore;
  /** Default: in memory; the engine's session store should back it. */
  state?: ComponentStateStore;
  http?: Partial<HttpPolicy>;
  onLogs?: WasmHostOptions['onLogs'];
}

export interface StudioComponents {
  /** Register with the engine's component registry: it runs WASM steps. */
  host: WasmComponentHost;
  secrets: SecretsStore;
  handlers: Handlers<typeof componentMethods>;
  /** Points the host at a project folder's components (call when the chat opens a project). */
  useProject(root: string | null): Promise<void>;
}

/** The WASM side of the studio, composed once by StudioService. */
export function createStudioComponents(options: StudioComponentsOptions): StudioComponents {
  const secrets = options.secrets ?? new FileSecretsStore(defaultSecretsFile());
  const host = new WasmComponentHost({
    http: { ...DEFAULT_HTTP_POLICY, ...options.http },
    secrets,
    state: options.state ?? new MemoryStateStore(),
    ...(options.onLogs ? { onLogs: options.onLogs } : {}),
  });
  return {
    host,
    secrets,
    handlers: createComponentHandlers({ host, secrets, projectRoot: options.projectRoot }),
    useProject: async (root) => host.setLocations(root ? await projectComponents(root) : []),
  };
}
