import type { ComponentDescription, NodeError } from '../host';
import { classifyFailure, RUNNER_ERROR_CODES, runnerError } from './failures';
import type { ComponentLogEntry } from './guest-imports';
import type { HostBridge } from './host-calls';
import { instantiateComponent, loadComponentCode, type ComponentCode, type LiveInstance } from './instance';
import { describeCbor, describeNode, invokeNode, type InvokeResult } from './node-adapter';
import type { InvokeRequest } from './envelope';
import type { TranspiledComponent } from './transpiled';

/** What a runner needs to know about a component besides its code: its limits and granted environment. */
export interface RunnableComponent {
  transpiled: TranspiledComponent;
  memoryLimitBytes: number;
  /** Environment variables the component declared and the host granted. */
  env: Record<string, string>;
}

/** The services and signals of one call. */
export interface CallHost {
  bridge: HostBridge;
  shouldCancel(): boolean;
}

export interface RunOutcome {
  result: InvokeResult;
  logs: ComponentLogEntry[];
}

const MAX_LOG_ENTRIES = 200;
const MAX_LOG_CHARS = 64 * 1024;
const MAX_INSTANCES = 32;

/**
 * Runs components on the current thread: compiles each once, keeps one instance per component and
 * instance key (the session) so guest state lives as long as the conversation, and discards an
 * instance after a trap. Used inside pool workers, and directly where isolation is not needed.
 */
export class ComponentRunner {
  private readonly code = new Map<string, Promise<ComponentCode>>();
  private readonly instances = new Map<string, Promise<Slot>>();

  /** `onStarted` runs once the instance is loaded, right before the component's code is called. */
  async invoke(component: RunnableComponent, request: InvokeRequest, instanceKey: string, host: CallHost, onStarted?: () => void): Promise<RunOutcome> {
    const logs = new LogCollector();
    const key = `${codeKey(component)}|${instanceKey}`;
    let slot: Slot;
    try {
      slot = await this.slot(key, component);
    } catch (error) {
      return { result: { ok: false, error: unavailable(error) }, logs: logs.entries };
    }
    slot.call = { host, logs };
    onStarted?.();
    try {
      return { result: invokeNode(component.transpiled.abi, slot.instance.root, request), logs: logs.entries };
    } catch (error) {
      // A trapped instance is not reusable; the next call of this session gets a fresh one.
      this.instances.delete(key);
      return { result: { ok: false, error: classifyFailure(error, slot.instance.atMemoryLimit(), component.memoryLimitBytes) }, logs: logs.entries };
    } finally {
      slot.call = null;
    }
  }

  describe(component: RunnableComponent, id: string, host: CallHost): Promise<ComponentDescription | null> {
    return this.onDescribeInstance(component, host, (root) => describeNode(component.transpiled.abi, root, id));
  }

  /** The CBOR the component's `component-descriptor` export describes it with; null when it has none. */
  describeCbor(component: RunnableComponent, host: CallHost): Promise<Uint8Array | null> {
    return this.onDescribeInstance(component, host, describeCbor);
  }

  private async onDescribeInstance<T>(component: RunnableComponent, host: CallHost, call: (root: Record<string, unknown>) => T): Promise<T> {
    const key = `${codeKey(component)}|describe`;
    const slot = await this.slot(key, component);
    slot.call = { host, logs: new LogCollector() };
    try {
      return call(slot.instance.root);
    } catch (error) {
      this.instances.delete(key);
      throw error;
    } finally {
      slot.call = null;
    }
  }

  private slot(key: string, component: RunnableComponent): Promise<Slot> {
    let slot = this.instances.get(key);
    if (slot) {
      // Most recently used last, so the oldest is evicted first.
      this.instances.delete(key);
      this.instances.set(key, slot);
      return slot;
    }
    slot = this.createSlot(component);
    slot.catch(() => this.instances.delete(key));
    this.instances.set(key, slot);
    while (this.instances.size > MAX_INSTANCES) {
      const oldest = this.instances.keys().next().value as string;
      this.instances.delete(oldest);
    }
    return slot;
  }

  private async createSlot(component: RunnableComponent): Promise<Slot> {
    const code = await this.loadCode(component);
    const slot: Slot = { call: null, instance: undefined as unknown as LiveInstance };
    const current = () => {
      if (!slot.call) throw new Error('a component called the host outside of a call');
      return slot.call;
    };
    slot.instance = await instantiateComponent(code, {
      env: component.env,
      bridge: (kind, args) => current().host.bridge(kind, args),
      shouldCancel: () => current().host.shouldCancel(),
      log: (entry) => slot.call?.logs.add(entry),
    });
    return slot;
  }

  private loadCode(component: RunnableComponent): Promise<ComponentCode> {
    const key = codeKey(component);
    let code = this.code.get(key);
    if (!code) {
      code = loadComponentCode(component.transpiled, component.memoryLimitBytes);
      code.catch(() => this.code.delete(key));
      this.code.set(key, code);
    }
    return code;
  }
}

interface Slot {
  instance: LiveInstance;
  call: { host: CallHost; logs: LogCollector } | null;
}

function unavailable(error: unknown): NodeError {
  return runnerError(RUNNER_ERROR_CODES.unavailable, `the component could not be started: ${error instanceof Error ? error.message : String(error)}`);
}

const codeKeys = new WeakMap<RunnableComponent, string>();

/** The key of a component's compiled code, made once per component rather than on every call. */
function codeKey(component: RunnableComponent): string {
  let key = codeKeys.get(component);
  if (key === undefined) {
    key = `${component.transpiled.hash}:${component.memoryLimitBytes}`;
    codeKeys.set(component, key);
  }
  return key;
}

/** Keeps a call's output within bounds: a runaway printer cannot flood the trace. */
class LogCollector {
  readonly entries: ComponentLogEntry[] = [];
  private chars = 0;
  private truncated = false;

  add(entry: ComponentLogEntry): void {
    if (this.truncated) return;
    if (this.entries.length >= MAX_LOG_ENTRIES || this.chars + entry.text.length > MAX_LOG_CHARS) {
      this.truncated = true;
      this.entries.push({ source: 'stderr', text: '[further output of this call was dropped]' });
      return;
    }
    this.chars += entry.text.length;
    this.entries.push(entry);
  }
}
