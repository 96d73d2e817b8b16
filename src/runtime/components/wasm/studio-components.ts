import type { Handlers } from '../../../shared/api/define';
import type { componentMethods } from '../../../shared/api/components';
import type { StateStore } from '../../sessions/state-store';
import { createComponentHandlers } from './handlers';
import { projectHttpAllowList, STUDIO_SETTINGS_FILE } from './project-settings';
import { projectComponents, type ComponentLocation } from './sources';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from './services/http-client';
import { FileSecretsStore, type SecretsStore } from './services/secrets';
import type { OutgoingHttpHook } from './services/host-services';
import { JsonStateLayer } from './services/state';
import { defaultSecretsFile } from './user-dirs';
import { WasmComponentHost } from './wasm-host';

export interface StudioComponentsOptions {
  projectRoot(): Promise<string | null>;
  /** The runner's flow state (what `state.get` nodes read): components' state-store shares it. */
  state: StateStore;
  /** Default: the file-backed dev store in the user's config folder. */
  secrets?: SecretsStore;
  http?: Partial<HttpPolicy>;
  /** Telemetry of components' HTTP requests, when it is on. */
  outgoingHttp?: () => OutgoingHttpHook | null;
}

export interface StudioComponents {
  /** Register with the engine's component registry: it runs WASM steps. */
  host: WasmComponentHost;
  secrets: SecretsStore;
  handlers: Handlers<typeof componentMethods>;
  /** Points the host at a project folder's components (call when the chat opens a project). */
  useProject(root: string | null): Promise<void>;
}

const SETTINGS_HINT = `add it to http.allow in ${STUDIO_SETTINGS_FILE.split('\\').join('/')}`;

/** The WASM side of the studio, composed once by StudioService. */
export function createStudioComponents(options: StudioComponentsOptions): StudioComponents {
  const secrets = options.secrets ?? new FileSecretsStore(defaultSecretsFile());
  const host = new WasmComponentHost({
    http: { ...DEFAULT_HTTP_POLICY, allowHint: SETTINGS_HINT, ...options.http },
    projectHttpAllow: projectHttpAllowList(options.projectRoot),
    ...(options.outgoingHttp ? { outgoingHttp: options.outgoingHttp } : {}),
    secrets,
    state: new JsonStateLayer(options.state),
  });
  return {
    host,
    secrets,
    handlers: createComponentHandlers({ host, secrets, projectRoot: options.projectRoot }),
    useProject: async (root) => host.setLocations(root ? await projectComponents(root) : []),
  };
}

/**
 * The WASM components of one project folder for a runner that lives as long as one command (`chat`,
 * `test`): the user's dev secrets, the project's HTTP allow-list, one worker. Close it when done.
 */
export async function projectComponentHost(root: string, state: StateStore): Promise<WasmComponentHost> {
  return commandComponentHost(await projectComponents(root), root, state);
}

/** The same for components found elsewhere (a pack's), with the HTTP allow-list of `root` if there is one. */
export function commandComponentHost(locations: ComponentLocation[], root: string | null, state: StateStore): WasmComponentHost {
  const host = new WasmComponentHost({
    http: { ...DEFAULT_HTTP_POLICY, allowHint: SETTINGS_HINT },
    projectHttpAllow: projectHttpAllowList(async () => root),
    secrets: new FileSecretsStore(defaultSecretsFile()),
    state: new JsonStateLayer(state),
    poolSize: 1,
  });
  host.setLocations(locations);
  return host;
}
