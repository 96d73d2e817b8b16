/**
 * The studio's chat back end for the open project: one `ChatRuntime` per project folder, rebuilt
 * when another project is opened, with replies and trace events pushed on the event bus. The
 * contract handlers and the Direct Line channel share one `ChatHost`.
 */
import { StudioError } from '../../shared/api';
import type { DebugSettings } from '../../shared/api/debug';
import { BreakpointStore } from '../debug/breakpoint-store';
import { DEFAULT_PAUSED_TURN_TIMEOUT_MS, FlowDebugger, type BreakpointLookup } from '../debug/debugger';
import { BuiltinHost } from '../components/builtin';
import { CompositeHost } from '../components/composite';
import type { ComponentHost } from '../components/host';
import { FlowEngine, type EngineOptions } from '../engine/engine';
import { TracedEngine, type TraceOutOptions } from '../trace-file/traced-engine';
import type { EventBus } from '../events';
import { MemorySessionStore } from '../sessions/memory-session-store';
import type { SessionStore } from '../sessions/session-store';
import { MemoryStateStore, type StateStore } from '../sessions/state-store';
import type { Telemetry } from '../telemetry/telemetry';
import { ChatRuntime, type AdmitPolicy } from './chat-runtime';
import { FlowLibrary, type FlowSource } from './flow-library';
import { PinStore } from './pins';
import { ProjectFiles, type ChatFiles } from './project-files';

/** A project as the chat needs it (the project service's `Project` has this shape). */
export interface ChatProject extends FlowSource {
  readonly root: string;
  /** Where card assets, pins and transcripts live; default: the files under `root`. */
  readonly files?: ChatFiles;
}

export interface ChatHostOptions {
  projects: { require(): Promise<ChatProject> };
  events?: EventBus;
  sessions?: SessionStore;
  stateStore?: StateStore;
  /** Extra component hosts (WASM components) tried after the built-ins. */
  componentHosts?: ComponentHost[];
  engine?: Omit<EngineOptions, 'host' | 'stateStore' | 'pins'>;
  env?: string;
  /** The flow conversations run when none is picked (`serve <flow.ygtc>`), for the project at `root`. */
  defaultFlow?: { root: string; path: string };
  /** Where the debugger finds breakpoints; default: the flows' sidecars (the CLI keeps its own). */
  breakpoints?: BreakpointLookup;
  /** How long a debugged turn may stay paused (default 10 minutes). */
  pausedTurnTimeoutMs?: number;
  /** Also write upstream's `trace.json` of every turn (`--trace-out`). */
  traceOut?: TraceOutOptions;
  /** Refuses conversations a bundle's access rules forbid. */
  admit?: AdmitPolicy;
  /** The runner's telemetry, asked at every turn. */
  telemetry?: () => Telemetry | null;
}

export interface ProjectChat {
  runtime: ChatRuntime;
  flows: FlowLibrary;
  pins: PinStore;
  files: ChatFiles;
  breakpoints: BreakpointStore;
  debugger: FlowDebugger;
}

export class ChatHost {
  private current: { root: string; chat: ProjectChat } | null = null;
  readonly sessions: SessionStore;
  readonly stateStore: StateStore;
  /** The debugger's settings, kept when another project is opened. */
  readonly debugSettings: DebugSettings;

  constructor(private readonly options: ChatHostOptions) {
    this.sessions = options.sessions ?? new MemorySessionStore();
    this.stateStore = options.stateStore ?? new MemoryStateStore();
    this.debugSettings = { pausedTurnTimeoutMs: options.pausedTurnTimeoutMs ?? DEFAULT_PAUSED_TURN_TIMEOUT_MS };
  }

  /** The chat of the open project (opening the default project on first use). */
  async project(): Promise<ProjectChat> {
    const project = await this.options.projects.require();
    if (this.current?.root === project.root) return this.current.chat;
    const chat = this.build(project);
    this.current = { root: project.root, chat };
    return chat;
  }

  private build(project: ChatProject): ProjectChat {
    const files = project.files ?? new ProjectFiles(project.root);
    const host = new CompositeHost([new BuiltinHost({ assets: files }), ...(this.options.componentHosts ?? [])]);
    const engineOptions = { ...turnWallTimeFromEnv(), ...this.options.engine, host, stateStore: this.stateStore };
    const engine = this.options.traceOut ? new TracedEngine(engineOptions, this.options.traceOut) : new FlowEngine(engineOptions);
    const preferred = this.options.defaultFlow?.root === project.root ? this.options.defaultFlow.path : undefined;
    const flows = new FlowLibrary(project, preferred === undefined ? {} : { defaultFlow: preferred });
    const pins = new PinStore(files);
    const events = this.options.events;
    const breakpoints = new BreakpointStore(files);
    const debug = new FlowDebugger({
      breakpoints: this.options.breakpoints ?? breakpoints,
      settings: () => this.debugSettings,
      ...(events ? { onPaused: (paused) => events.emit('debugPaused', paused), onResumed: (resumed) => events.emit('debugResumed', resumed) } : {}),
    });
    const runtime = new ChatRuntime({
      flows,
      engine,
      sessions: this.sessions,
      pins,
      debugger: debug,
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.admit ? { admit: this.options.admit } : {}),
      ...(this.options.telemetry ? { telemetry: this.options.telemetry } : {}),
      ...(events
        ? {
            onReply: (conversationId, message) => events.emit('reply', { conversationId, message }),
            onTrace: (conversationId, event) => events.emit('trace', { conversationId, event }),
          }
        : {}),
    });
    return { runtime, flows, pins, files, breakpoints, debugger: debug };
  }
}

/** Overrides the wall time of every turn (milliseconds) for the studio, `serve`, `chat` and `test`. */
export const TURN_TIMEOUT_ENV = 'GREENTIC_STUDIO_TURN_TIMEOUT_MS';

export function turnWallTimeFromEnv(env: NodeJS.ProcessEnv = process.env): { turnWallTimeMs?: number } {
  const value = env[TURN_TIMEOUT_ENV];
  if (value === undefined || value === '') return {};
  return { turnWallTimeMs: parseTurnTimeout(value, TURN_TIMEOUT_ENV) };
}

/** A turn wall time as a user wrote it (`--turn-timeout`, the environment): a positive number of milliseconds. */
export function parseTurnTimeout(value: string, source: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new StudioError('bad_request', `${source} must be a positive whole number of milliseconds, not "${value}"`);
  }
  return ms;
}
