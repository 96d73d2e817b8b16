import path from 'node:path';
import type { RunnerSettings, StudioHandlers } from '../shared/api';
import { ChatRuntimeRunner } from './channels/nats/chat-runner';
import { createNatsHandlers } from './channels/nats/handlers';
import { NatsService } from './channels/nats/service';
import type { TraceOutOptions } from './trace-file/traced-engine';
import { createBundleHandlers } from './bundle/handlers';
import { ChatHost } from './chat/chat-host';
import type { AdmitPolicy } from './chat/chat-runtime';
import { createChatHandlers } from './chat/handlers';
import { createDebugHandlers } from './debug/handlers';
import { servedPackProjectHandlers, type ServedPack } from './chat/pack-project';
import { createStudioComponents, type StudioComponents } from './components/wasm/studio-components';
import { fileNatsProfileStore, studioConfigDir } from './connections/file-store';
import { KeyFileCipher } from './connections/key-file-cipher';
import { EncryptedFileVault, type SecretCipher } from './connections/vault';
import type { NatsProfileStore } from './connections/nats-profiles';
import { EventBus } from './events';
import { createRegistryHandlers } from './pack/registry/handlers';
import type { DesktopShell } from './host/desktop-shell';
import { createHostHandlers } from './host/handlers';
import { nodeShell } from './host/node-shell';
import type { KeyVault } from './keys/key-vault';
import { createStudioPackHandlers } from './pack/service';
import { createPackWorkspaceHandlers } from './pack/workspace/handlers';
import { createProjectHandlers, ProjectSession } from './project/handlers';
import { createRunnerHandlers, RunnerSettingsService, type RunnerSessions } from './runner-settings/runner-settings';
import { SavedRunnerSettings } from './runner-settings/saved-settings';
import type { SessionStore } from './sessions/session-store';
import { SwitchableSessionStore } from './sessions/switchable-session-store';
import { MemoryStateStore } from './sessions/state-store';
import { createTelemetryHandlers, overridesOf } from './telemetry/handlers';
import { TelemetrySettingsStore } from './telemetry/settings-store';
import { TelemetrySwitch } from './telemetry/telemetry-switch';

export interface StudioServiceOptions {
  /** The folder opened when the UI asks for the default project (the sample project, or `serve <folder>`). */
  projectFolder: string | null;
  /** NATS profiles; the desktop app passes a store sealed by the OS key store. Default: files in the config folder. */
  natsProfiles?: NatsProfileStore;
  /** Where signing keys are sealed; the desktop app passes the OS key store. Default: passphrase-encrypted files. */
  keyVault?: (dir: string) => KeyVault;
  /** The back end's own settings folder (keys, trust store, profiles). Default: the user's config folder. */
  configDir?: string;
  /** The folder "New project" copies (the bundled sample project). */
  templateFolder?: string;
  /** Native dialogs and the file manager; the desktop app passes Electron's. Default: web mode's. */
  shell?: DesktopShell;
  /** `serve <flow.ygtc>`: the flow (a path in `projectFolder`) conversations run when none is picked. */
  defaultFlow?: string;
  /** `serve <pack.gtpack>`: the runner serves this pack, read-only, and there is no project folder. */
  servedPack?: ServedPack;
  /**
   * Where the embedded runner keeps conversation sessions, fixed (`serve --sessions`). Without it,
   * the studio's runner settings choose (memory until `applySavedSettings` opens a saved choice).
   */
  sessions?: SessionStore;
  /** Seals the secrets of the runner settings (a Redis password); the desktop app passes the OS key store's. */
  secretCipher?: SecretCipher;
  /** `--trace-out`: the runner also writes upstream's `trace.json` of every turn. */
  traceOut?: TraceOutOptions;
  /** `serve <bundle>`: refuses conversations the bundle's access rules forbid. */
  admit?: AdmitPolicy;
  /**
   * The runner's telemetry (`serve` builds it from its flags and the environment). Without it the
   * studio's telemetry settings, then the `OTEL_*` environment, decide once `startTelemetry` runs.
   */
  telemetry?: TelemetrySwitch;
  /** The environment telemetry reads `OTEL_*` from; default: the process's. */
  env?: Record<string, string | undefined>;
}

/**
 * The back end of the studio: composes every domain's handlers into the one implementation of the
 * contract in src/shared/api.ts. Both transports (Electron IPC and WebSocket) call into this.
 */
export class StudioService {
  readonly events = new EventBus();
  readonly projects: ProjectSession;
  readonly handlers: StudioHandlers;
  readonly nats: NatsService;
  readonly components: StudioComponents;
  /** The embedded runner's chat host, shared by the chat panel, Direct Line and NATS. */
  readonly chat: ChatHost;
  /** The embedded runner's settings (its session store). */
  readonly runner: RunnerSettingsService;
  readonly telemetry: TelemetrySwitch;
  private readonly telemetrySettings: TelemetrySettingsStore;
  private readonly env: Record<string, string | undefined>;

  constructor(options: StudioServiceOptions) {
    const configDir = options.configDir ?? studioConfigDir();
    this.telemetry = options.telemetry ?? new TelemetrySwitch();
    this.telemetrySettings = new TelemetrySettingsStore(configDir);
    this.env = options.env ?? process.env;
    const telemetry = this.telemetry.current;
    this.projects = new ProjectSession(options.projectFolder, { events: this.events, configDir, templateFolder: options.templateFolder ?? null });
    // One flow state for the runner: `state.get` nodes and components' state-store see the same entries.
    const stateStore = new MemoryStateStore();
    this.components = createStudioComponents({
      projectRoot: async () => this.projects.project?.root ?? null,
      state: stateStore,
      outgoingHttp: () => telemetry()?.outgoingHttp ?? null,
    });
    const served = options.servedPack;
    if (served) this.components.host.setLocations(served.components);
    const sessions: RunnerSessions = options.sessions
      ? { kind: 'fixed', store: options.sessions }
      : { kind: 'chosen', store: new SwitchableSessionStore(), saved: savedRunnerSettings(configDir, options.secretCipher), env: RUNNER_ENV };
    this.runner = new RunnerSettingsService(sessions);
    const chat = new ChatHost({
      projects: { require: async () => served?.project ?? this.projectWithComponents() },
      events: this.events,
      stateStore,
      sessions: sessions.store,
      env: RUNNER_ENV,
      componentHosts: [this.components.host],
      ...(options.traceOut ? { traceOut: options.traceOut } : {}),
      ...(options.admit ? { admit: options.admit } : {}),
      telemetry,
      ...(options.defaultFlow && options.projectFolder ? { defaultFlow: { root: path.resolve(options.projectFolder), path: options.defaultFlow } } : {}),
    });
    this.chat = chat;
    const natsProfiles = options.natsProfiles ?? fileNatsProfileStore(configDir);
    this.nats = new NatsService({
      events: this.events,
      profiles: natsProfiles,
      runner: new ChatRuntimeRunner(async () => (await chat.project()).runtime),
      telemetry,
    });
    const projectRoot = async () => (await this.projects.require()).root;
    const pack = createStudioPackHandlers({
      configDir,
      events: this.events,
      projectRoot,
      ...(options.keyVault ? { vault: options.keyVault } : {}),
    });
    this.handlers = {
      ...createProjectHandlers(this.projects),
      ...createChatHandlers({ chat }),
      ...createDebugHandlers(chat, this.events),
      ...createNatsHandlers(this.nats, natsProfiles),
      ...this.components.handlers,
      ...createRegistryHandlers({
        events: this.events,
        projectRoot,
        componentsChanged: async () => {
          this.componentsRoot = null;
          await this.projectWithComponents();
        },
      }),
      ...createHostHandlers(options.shell ?? nodeShell()),
      ...pack,
      ...createPackWorkspaceHandlers({ configDir, projectRoot, inspectPack: pack.inspectPack, trustKey: pack.trustKey }),
      ...createRunnerHandlers(this.runner),
      ...createBundleHandlers({ configDir }),
      ...createTelemetryHandlers({ chat, telemetry: this.telemetry, settings: this.telemetrySettings, env: this.env, projectRoot }),
      ...(served ? servedPackProjectHandlers(served) : {}),
    };
  }

  /** Opens the session store the runner settings saved (the desktop app and `serve --ui` do, before serving). */
  applySavedSettings(): Promise<RunnerSettings> {
    return this.runner.applySaved();
  }

  /** Applies the saved telemetry settings (the desktop app calls this once at start). */
  async startTelemetry(): Promise<void> {
    await this.telemetry.configure(this.env, overridesOf(await this.telemetrySettings.read()));
  }

  private componentsRoot: string | null = null;

  /** The open project, with the WASM host pointed at its components whenever the project changes. */
  private async projectWithComponents() {
    const project = await this.projects.require();
    if (project.root !== this.componentsRoot) {
      await this.components.useProject(project.root);
      this.componentsRoot = project.root;
    }
    return project;
  }
}

/** The environment of the embedded runner's sessions (`greentic:session:local` in Redis). */
const RUNNER_ENV = 'local';

function savedRunnerSettings(configDir: string, cipher: SecretCipher | undefined): SavedRunnerSettings {
  const vault = new EncryptedFileVault(path.join(configDir, 'runner-secrets.json'), cipher ?? new KeyFileCipher(path.join(configDir, 'runner-secrets.key')));
  return new SavedRunnerSettings(path.join(configDir, 'runner-settings.json'), vault);
}
