/**
 * The component host: the one interface every node implementation sits behind. Built-in components
 * (implemented natively in `./builtin`) and WASM components (transpiled with jco, in `./wasm`) both
 * implement `ComponentHost`; the engine never knows which kind it is talking to.
 */
import type { JsonValue } from '../../shared/flow/compiled';

/** The caller identity and execution scope the runtime builds for every call (runtime.md §10.1). */
export interface TenantCtx {
  env: string;
  tenant: string;
  team?: string;
  /** The verified user, when the channel verified one. */
  user?: string;
  sessionId?: string;
  flowId: string;
  nodeId: string;
  providerId?: string;
  /** Identifies one turn; the same across every node of that turn. */
  traceId: string;
  correlationId?: string;
  idempotencyKey?: string;
  /** Locale of the conversation (`en` when unknown). */
  i18nId: string;
  /** 1 for the first attempt of a turn, incremented by turn retries. */
  attempt: number;
  /** Absolute deadline in unix milliseconds, when the call is time-bounded. */
  deadlineMs?: number;
}

/** One call of one operation of one component. */
export interface ComponentInvocation {
  /** The component reference as the flow names it (`templating`, `ai.greentic.x`, `oci://...`). */
  componentId: string;
  operation: string;
  /** The node's rendered input (after templating and payload splitting). */
  input: JsonValue;
  /** Node configuration (`config` of the payload), or null. */
  config: JsonValue;
  ctx: TenantCtx;
  /**
   * The flow input of the current turn (the envelope of runtime.md §1.1). Conversational built-ins
   * (`qa.process`) read the user's answer here; WASM components receive it only through `input`.
   */
  turnInput: JsonValue;
  /**
   * What this node stored in `ComponentOutcome.memory` the last time it ran in this session, so a
   * component that parks (asks a question, waits for a submit) can continue where it stopped.
   */
  memory: JsonValue | undefined;
  /** Aborted when the turn is cancelled or the component's wall-time limit is reached. */
  signal: AbortSignal;
}

/** A component failure, as WIT `node-error` carries it (components.md §2). */
export interface NodeError {
  code: string;
  message: string;
  retryable: boolean;
  backoffMs?: number;
  details?: JsonValue;
}

/**
 * A line a component emitted during a call, for the trace: what it wrote to stdout or stderr, a
 * telemetry log call with its fields, or a note from the host (a request it refused, and why).
 */
export interface ComponentLogEntry {
  source: 'stdout' | 'stderr' | 'telemetry' | 'host';
  text: string;
  fields?: Array<[string, string]>;
}

export type ComponentOutcome = (
  | {
      ok: true;
      output: JsonValue;
      /**
       * Set by a component that needs the user's next message before it can finish: the engine
       * parks the flow at this very node and runs it again on the next turn (card parking,
       * runtime.md §7.4). `output` is delivered to the user meanwhile.
       */
      awaitUser?: { reason: string };
      /** Kept per session and node, handed back as `ComponentInvocation.memory` next time. */
      memory?: JsonValue;
    }
  | { ok: false; error: NodeError }
) & {
  /** What the component printed or logged during the call, in order; the engine puts it in the trace. */
  logs?: ComponentLogEntry[];
};

export interface OperationInfo {
  name: string;
  inputSchema?: JsonValue;
  outputSchema?: JsonValue;
}

export interface ComponentDescription {
  id: string;
  version?: string;
  operations: OperationInfo[];
  configSchema?: JsonValue;
  /** `dev_flows` of the manifest: development-time flows, some asking questions about a step. */
  devFlows?: JsonValue;
}

/** Something that can run a component: a single component, or a registry that dispatches by id. */
export interface ComponentHost {
  /** True when this host can run `componentId` (with `operation`) locally. */
  supports(componentId: string, operation: string): boolean;
  /** Never throws for component-level failures: they come back as `{ ok: false, error }`. */
  invoke(invocation: ComponentInvocation): Promise<ComponentOutcome>;
  /** What the component offers, when it can tell; used by the inspector. */
  describe?(componentId: string): Promise<ComponentDescription | null>;
}

/** What a call of one operation outside any flow and session needs (the CLI's `component invoke`, a component's setup). */
export interface StandaloneCall {
  componentId: string;
  operation: string;
  input: JsonValue;
  config: JsonValue;
  tenant: string;
  /** Stands in for the flow id: who makes the call. */
  caller: string;
  /** The call's own trace (and session) id. */
  traceId: string;
  signal: AbortSignal;
}

/** The invocation of a standalone call: no memory, and its input is the turn's input too. */
export function standaloneInvocation(call: StandaloneCall): ComponentInvocation {
  const { componentId, operation, input, config, tenant, caller, traceId, signal } = call;
  return {
    componentId,
    operation,
    input,
    config,
    ctx: { env: 'local', tenant, flowId: caller, nodeId: operation, traceId, sessionId: traceId, i18nId: 'en', attempt: 1 },
    turnInput: input,
    memory: undefined,
    signal,
  };
}

export function nodeError(code: string, message: string, retryable = false, details?: JsonValue): ComponentOutcome {
  return { ok: false, error: { code, message, retryable, ...(details === undefined ? {} : { details }) } };
}

export function success(output: JsonValue): ComponentOutcome {
  return { ok: true, output };
}
