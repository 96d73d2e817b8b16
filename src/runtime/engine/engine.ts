/**
 * The embedded runner: executes one turn of a compiled flow (runtime.md §5), starting fresh or
 * resuming a parked snapshot, and reports every step to an observer as trace events.
 */
import { randomUUID } from 'node:crypto';
import type { BotMessage, NodeRunNext } from '../../shared/api/chat';
import type { TraceEvent, TraceEventType } from '../../shared/api/trace';
import type { CompiledNode, JsonValue } from '../../shared/flow/compiled';
import type { ComponentHost, ComponentOutcome, NodeError, TenantCtx } from '../components/host';
import { ScratchStateStore, type StateStore } from '../sessions/state-store';
import type { FlowCatalog, IndexedFlow } from './catalog';
import { nodePayloadsOf, templateContext } from './context';
import { parseControl, type JumpControl } from './control';
import { FlowError } from './errors';
import { REMOTE_NATIVE_KINDS } from '../../shared/flow/native-ops';
import { nodeKind } from './kinds';
import { runEmit, runGoto, runStateGet, runStateSet, runVarSet, runWait, type NativeEnv, type NativeResult } from './natives';
import { errorCard, finalizeWith, repliesFrom } from './replies';
import { decideRoute, errorRoute, type NoRouteMatch } from './routing';
import { routingContext } from './condition';
import { cloneJson, initialState, type ExecutionState, type FlowSnapshot } from './state';
import type { GateDecision, GateFrame, NodeFailure, NodeStop, StepGate } from './step-gate';
import { RenderBudget, TemplateLimitError } from './template-budget';
import { TemplateError, renderMapping } from './templating';
import { TurnDeadline } from './turn-deadline';

/** The designer's pinned outputs: what a node returns instead of running. */
export interface PinnedOutputs {
  get(flowId: string, nodeId: string): JsonValue | undefined;
}

export interface EngineOptions {
  host: ComponentHost;
  stateStore?: StateStore;
  pins?: PinnedOutputs;
  /** Node executions allowed in one turn (a studio safety net against runaway loops). */
  stepLimit?: number;
  noRouteMatch?: NoRouteMatch;
  /** Whole-turn attempts for transient failures (runtime.md §9); 1 disables retries. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /**
   * Wall time one turn may take, retries included (upstream's desktop runner calls it
   * `max_run_wall_time_ms`): past it the turn fails with `turn_timeout`, a running component is
   * stopped, and components are never given more than what is left.
   */
  turnWallTimeMs?: number;
}

/** Who is talking, and where: becomes the `TenantCtx` of every component call. */
export interface RunScope {
  env: string;
  tenant: string;
  team?: string;
  user?: string;
  sessionId?: string;
  providerId?: string;
  locale?: string;
}

export interface TurnRequest {
  catalog: FlowCatalog;
  flowId: string;
  /** The flow input envelope (runtime.md §1.1). */
  input: JsonValue;
  /** The parked run to resume, if any. */
  snapshot?: FlowSnapshot | null;
  scope: RunScope;
  observer?: (event: TraceEvent) => void;
  /**
   * The kinds of event the observer wants besides `turn_start` and `turn_end`, which it always
   * gets; every kind when absent. Events of other kinds are never built.
   */
  observedEvents?: ReadonlySet<TraceEventType> | undefined;
  signal?: AbortSignal;
  /** Pinned outputs for this turn; overrides `EngineOptions.pins`. */
  pins?: PinnedOutputs;
  /** The debugger's pause point for this turn (studio conversations only). */
  gate?: StepGate;
  /**
   * Start at this node with this state instead of the flow's start or a snapshot (a debugger
   * replay). Inside a called flow, `callers` are the flows waiting at their `flow.call` node,
   * outermost first: the run goes on in each of them once the called flow returns.
   */
  start?: StartPoint & { callers?: StartPoint[] };
  /** The flow state `state.get` / `state.set` use for this turn; overrides `EngineOptions.stateStore`. */
  stateStore?: StateStore;
  /** Asked before every node runs (a bundle's node rules): why the node may not run, or null. */
  admitNode?: ((flowId: string, nodeId: string) => string | null) | undefined;
}

export interface StartPoint {
  flowId: string;
  nodeId: string;
  state: ExecutionState;
  resumedSubmit?: boolean;
}

/** One node run on its own ("Run this node"): its input as given, outside any turn and session. */
export interface NodeRunRequest {
  catalog: FlowCatalog;
  flowId: string;
  nodeId: string;
  /** The node's input, as its templates would have rendered it (what the trace records as the node's input). */
  payload: JsonValue;
  scope: RunScope;
  observer?: (event: TraceEvent) => void;
  signal?: AbortSignal;
}

export type NodeRunOutcome = { turnId: string; durationMs: number } & (
  | { status: 'ok'; output: JsonValue; next: NodeRunNext; replies: BotMessage[] }
  | { status: 'failed'; error: { code: string; message: string } }
);

export type TurnOutcome =
  | { status: 'completed'; turnId: string; output: JsonValue; replies: BotMessage[] }
  | { status: 'waiting'; turnId: string; output: JsonValue; replies: BotMessage[]; snapshot: FlowSnapshot }
  | { status: 'failed'; turnId: string; error: FlowError; replies: BotMessage[] };

export const DEFAULT_STEP_LIMIT = 1000;
export const DEFAULT_TURN_WALL_TIME_MS = 10_000;
/** The longest delay a Node timer keeps (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_MAX_REDIRECTS = 3;

/** The node execution under way: its number in the turn and, once rendered, its input. */
interface NodeRun {
  step: number;
  input: JsonValue;
  component: string;
}

/** A node's result, once the kind-specific code has run. */
type Step =
  | NativeResult
  | { control: 'park'; output: JsonValue; reason: string }
  | { control: 'respond'; output: JsonValue; item: JsonValue }
  | { control: 'failed'; error: NodeError; componentRef: string };

type ResolvedOptions = EngineOptions & { stepLimit: number; noRouteMatch: NoRouteMatch; maxAttempts: number; baseDelayMs: number; turnWallTimeMs: number };


export class FlowEngine {
  /** @internal read by `Turn` */
  readonly config: ResolvedOptions;

  constructor(options: EngineOptions) {
    this.config = {
      ...options,
      stepLimit: options.stepLimit ?? DEFAULT_STEP_LIMIT,
      noRouteMatch: options.noRouteMatch ?? 'park',
      maxAttempts: Math.max(1, options.maxAttempts ?? 1),
      baseDelayMs: Math.max(50, options.baseDelayMs ?? 50),
      turnWallTimeMs: validWallTime(options.turnWallTimeMs ?? DEFAULT_TURN_WALL_TIME_MS),
    };
  }

  async runTurn(request: TurnRequest): Promise<TurnOutcome> {
    const turnId = randomUUID();
    const started = performance.now();
    const deadline = new TurnDeadline(this.config.turnWallTimeMs, request.signal);
    try {
      return await this.attempts(request, turnId, started, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Runs one node of a flow with the input given: no routing, no pinned output, and `state.set`
   * writes kept to this run, so that nothing a conversation relies on changes.
   */
  async runNode(request: NodeRunRequest): Promise<NodeRunOutcome> {
    const turnId = randomUUID();
    const started = performance.now();
    const deadline = new TurnDeadline(this.config.turnWallTimeMs, request.signal);
    const { stateStore } = this.config;
    const turnRequest: TurnRequest = {
      catalog: request.catalog,
      flowId: request.flowId,
      input: null,
      scope: request.scope,
      ...(request.observer ? { observer: request.observer } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      stateStore: new ScratchStateStore(stateStore),
    };
    try {
      const { step, egress } = await new Turn(this, turnRequest, turnId, 1, deadline).single(request.nodeId, request.payload);
      const durationMs = performance.now() - started;
      if (step.control === 'failed') {
        const message = `component ${step.componentRef} failed: ${step.error.code}: ${step.error.message}`;
        return { status: 'failed', turnId, durationMs, error: { code: step.error.code, message } };
      }
      const emitted = step.control === 'respond' ? [...egress, step.item] : egress;
      return { status: 'ok', turnId, durationMs, output: step.output, next: nextOf(step), replies: repliesFrom(finalizeWith(emitted, undefined)) };
    } catch (caught) {
      const error = asFlowError(caught);
      return { status: 'failed', turnId, durationMs: performance.now() - started, error: { code: error.code, message: error.message } };
    } finally {
      deadline.dispose();
    }
  }

  private async attempts(request: TurnRequest, turnId: string, started: number, deadline: TurnDeadline): Promise<TurnOutcome> {
    const emit = request.observer;
    for (let attempt = 1; ; attempt += 1) {
      emit?.({
        type: 'turn_start',
        turnId,
        at: Date.now(),
        flowId: request.snapshot?.next_flow ?? request.snapshot?.flow_id ?? request.flowId,
        ...(request.snapshot ? { resumedAt: request.snapshot.next_node } : {}),
        input: request.input,
        attempt,
      });
      try {
        const outcome = await new Turn(this, request, turnId, attempt, deadline).run();
        emit?.({ type: 'turn_end', turnId, at: Date.now(), status: outcome.status, durationMs: performance.now() - started });
        return outcome;
      } catch (caught) {
        const error = asFlowError(caught);
        if (error.transient && attempt < this.config.maxAttempts && !deadline.aborted) {
          await delay(this.config.baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        emit?.({
          type: 'turn_end',
          turnId,
          at: Date.now(),
          status: 'failed',
          durationMs: performance.now() - started,
          error: { code: error.code, message: error.message, ...(error.nodeId ? { nodeId: error.nodeId } : {}) },
        });
        // The designer stopped the turn: nothing went wrong that the conversation should be told.
        const replies = error.code === 'debug_stopped' ? [] : [errorCard(error.code, error.message)];
        return { status: 'failed', turnId, error, replies };
      }
    }
  }

}

/** One attempt of one turn. */
class Turn {
  private steps = 0;
  private readonly config: ResolvedOptions;
  /** The flows being driven, outermost first (more than one inside `flow.call`). */
  private readonly frames: GateFrame[] = [];
  /** Failures the debugger already paused at, so a caller's `flow_call_failed` does not pause again. */
  private readonly shownFailures = new WeakSet<FlowError>();

  constructor(
    engine: FlowEngine,
    private readonly request: TurnRequest,
    private readonly turnId: string,
    private readonly attempt: number,
    private readonly deadline: TurnDeadline,
  ) {
    this.config = engine.config;
  }

  /** Throws `turn_timeout` once the turn's wall time is spent, `cancelled` when its caller gave up. */
  private checkTime(nodeId: string): void {
    if (this.deadline.expired) {
      throw new FlowError('turn_timeout', `turn_timeout: the turn ran longer than its wall-time limit of ${this.deadline.limitMs} ms (stopped at node ${nodeId})`, nodeId, false);
    }
    if (this.request.signal?.aborted) throw new FlowError('cancelled', 'the turn was cancelled', nodeId);
  }

  async run(): Promise<TurnOutcome> {
    const { request } = this;
    if (request.start) return this.runFrom(request.start);
    const snapshot = request.snapshot;
    if (snapshot) {
      if (snapshot.pack_id !== request.catalog.packId) {
        throw new FlowError('unknown_flow', `snapshot pack ${snapshot.pack_id} does not match requested ${request.catalog.packId}`);
      }
      const flow = this.flow(snapshot.next_flow ?? snapshot.flow_id);
      const state = cloneJson(snapshot.state);
      state.input = request.input;
      if (state.entry === null || state.entry === undefined) state.entry = request.input;
      state.egress = [];
      return this.drive(flow, snapshot.next_node, state, snapshot.flow_id, snapshot.awaiting_submit);
    }
    const flow = this.flow(request.flowId);
    const start = flow.startNode();
    if (!start) throw new FlowError('no_start_node', `flow ${flow.id} has no start node`);
    return this.drive(flow, start, initialState(request.input, varsInit(flow)), flow.id, false);
  }

  /** A replay: from a node of a flow, then on through every caller waiting in `flow.call` for it. */
  private async runFrom(start: NonNullable<TurnRequest['start']>): Promise<TurnOutcome> {
    const callers = start.callers ?? [];
    for (const point of [...callers, start]) {
      if (!this.flow(point.flowId).node(point.nodeId)) throw new FlowError('node_not_found', `node ${point.nodeId} not found in flow ${point.flowId}`, point.nodeId);
    }
    this.frames.push(...callers.map((c) => ({ flowId: c.flowId, nodeId: c.nodeId })));
    const started = performance.now();
    const drive = (point: StartPoint, first?: Step) =>
      this.drive(this.flow(point.flowId), point.nodeId, cloneJson(point.state), point.flowId, point.resumedSubmit === true, first);
    let called = start;
    let run = () => drive(start);
    for (const caller of [...callers].reverse()) {
      const output = await this.calledFlowOutput(called.flowId, caller.nodeId, run);
      this.frames.pop();
      this.trace({ type: 'node_end', flowId: caller.flowId, nodeId: caller.nodeId, output, durationMs: performance.now() - started, pinned: false });
      called = caller;
      run = () => drive(caller, { control: 'continue', output });
    }
    return run();
  }

  private flow(flowId: string): IndexedFlow {
    const flow = this.request.catalog.get(flowId);
    if (!flow) throw new FlowError('unknown_flow', `unknown_flow:${flowId}`);
    return flow;
  }

  /** One node on its own, with its input as given: no routing and no pinned output. */
  async single(nodeId: string, payload: JsonValue): Promise<{ step: Step; egress: JsonValue[] }> {
    const flow = this.flow(this.request.flowId);
    const node = flow.node(nodeId);
    if (!node) throw new FlowError('node_not_found', `flow ${flow.id} has no node ${nodeId}`, nodeId);
    this.checkTime(node.id);
    const state = initialState(null, varsInit(flow));
    const run: NodeRun = { step: 1, input: payload, component: node.component.id };
    const step = await this.perform(flow, node, payload, state, templateContext(state, nodePayloadsOf(state)), run, false);
    return { step, egress: state.egress };
  }

  /** The drive loop. `rootFlowId` is the flow the session started in (snapshots record it). */
  private async drive(
    startFlow: IndexedFlow,
    startNode: string,
    state: ExecutionState,
    rootFlowId: string,
    resumedSubmit: boolean,
    /** What the start node did, when it ran before (a replay going on in the caller of a called flow). */
    first?: Step,
  ): Promise<TurnOutcome> {
    const frame: GateFrame = { flowId: startFlow.id, nodeId: startNode };
    this.frames.push(frame);
    try {
      return await this.driveFrame(frame, startFlow, startNode, state, rootFlowId, resumedSubmit, first);
    } finally {
      this.frames.pop();
    }
  }

  private async driveFrame(
    frame: GateFrame,
    startFlow: IndexedFlow,
    startNode: string,
    state: ExecutionState,
    rootFlowId: string,
    resumedSubmit: boolean,
    first: Step | undefined,
  ): Promise<TurnOutcome> {
    let flow = startFlow;
    let current = startNode;
    let done = first;
    const payloads = nodePayloadsOf(state);
    for (;;) {
      const node = flow.node(current);
      if (!node) throw new FlowError('node_not_found', `node ${current} not found`, current);
      frame.flowId = flow.id;
      frame.nodeId = node.id;
      const started = performance.now();
      const run: NodeRun = { step: 0, input: null, component: node.component.id };
      const step = done ?? (await this.executeWatched(flow, node, state, payloads, resumedSubmit, run));
      done = undefined;

      if (step.control === 'failed') {
        const target = errorRoute(node.routing);
        const message = `component ${step.componentRef} failed: ${step.error.code}: ${step.error.message}`;
        this.trace({ type: 'node_error', flowId: flow.id, nodeId: node.id, code: step.error.code, message, retryable: step.error.retryable, durationMs: performance.now() - started });
        this.request.gate?.afterNode?.(run.step, { error: { code: step.error.code, message } });
        await this.pauseOnError(flow, node, state, run, { code: step.error.code, message }, resumedSubmit);
        if (!target) throw new FlowError('component_error', message, node.id, step.error.retryable || undefined);
        const errors: JsonValue = { errors: [nodeErrorJson(step.error)] };
        this.record(state, payloads, node.id, errors, false);
        this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'error', to: target });
        current = target;
        continue;
      }
      this.record(state, payloads, node.id, step.output, true);

      switch (step.control) {
        case 'continue': {
          const decision = decideRoute(
            node.routing,
            () => routingContext(step.output, state.entry, resumedSubmit ? state.input : state.entry),
            this.config.noRouteMatch,
          );
          if (decision.kind === 'next') {
            this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'next', to: decision.to });
            current = decision.to;
            resumedSubmit = false;
            continue;
          }
          if (decision.kind === 'park') {
            this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'park' });
            return this.park(state, flow, rootFlowId, node.id, node.id, true, 'awaiting card submit', step.output);
          }
          this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'end' });
          return this.complete(state, step.output, step.emitted === true);
        }
        case 'wait': {
          const decision = decideRoute(node.routing, () => routingContext(step.output, state.entry, state.entry), 'end');
          if (decision.kind !== 'next') {
            throw new FlowError('wait_without_route', `session.wait node ${node.id} requires a non-empty route`, node.id);
          }
          this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'next', to: decision.to });
          return this.park(state, flow, rootFlowId, node.id, decision.to, false, step.reason, undefined);
        }
        case 'park':
          this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'park' });
          return this.park(state, flow, rootFlowId, node.id, node.id, true, step.reason, step.output);
        case 'respond':
          state.egress.push(step.item);
          this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'end' });
          return this.complete(state, undefined, false);
        case 'jump': {
          const target = this.applyJump(state, payloads, node, step.jump);
          this.trace({ type: 'route', flowId: flow.id, nodeId: node.id, decision: 'jump', to: target.node, toFlow: target.flow.id });
          flow = target.flow;
          current = target.node;
          resumedSubmit = false;
          continue;
        }
      }
    }
  }

  /** `execute`, with the debugger shown a failure that ends the turn at this node (break on error). */
  private async executeWatched(
    flow: IndexedFlow,
    node: CompiledNode,
    state: ExecutionState,
    payloads: Record<string, JsonValue>,
    resumedSubmit: boolean,
    run: NodeRun,
  ): Promise<Step> {
    if (!this.request.gate) return this.execute(flow, node, state, payloads, resumedSubmit, run);
    try {
      return await this.execute(flow, node, state, payloads, resumedSubmit, run);
    } catch (caught) {
      const error = asFlowError(caught);
      if (error.nodeId === node.id && !UNPAUSABLE_FAILURES.has(error.code) && !this.shownFailures.has(error)) {
        this.shownFailures.add(error);
        this.request.gate.afterNode?.(run.step, { error: { code: error.code, message: error.message } });
        await this.pauseOnError(flow, node, state, run, { code: error.code, message: error.message }, resumedSubmit);
      }
      throw error;
    }
  }

  /** Break on error: the debugger may hold the turn at a failed node; it may only go on or stop. */
  private async pauseOnError(flow: IndexedFlow, node: CompiledNode, state: ExecutionState, run: NodeRun, failure: NodeFailure, resumedSubmit: boolean): Promise<void> {
    const gate = this.request.gate;
    if (!gate?.onNodeError) return;
    const decision = await this.held(gate.onNodeError(this.nodeStop(flow, node, state, run, resumedSubmit), failure));
    if (decision?.action === 'stop') this.stopTurn(flow, node, decision);
  }

  private nodeStop(flow: IndexedFlow, node: CompiledNode, state: ExecutionState, run: NodeRun, resumedSubmit: boolean): NodeStop {
    return {
      turnId: this.turnId,
      step: run.step,
      flowId: flow.id,
      nodeId: node.id,
      component: run.component,
      input: run.input,
      state,
      callStack: this.frames.map((f) => ({ flowId: f.flowId, nodeId: f.nodeId })),
      resumedSubmit,
    };
  }

  /** Waits for a held decision with the turn's wall-time clock stopped. */
  private async held(decision: GateDecision | Promise<GateDecision> | undefined): Promise<GateDecision | undefined> {
    if (!(decision instanceof Promise)) return decision;
    const resume = this.deadline.suspend();
    try {
      return await decision;
    } finally {
      resume();
    }
  }

  private stopTurn(flow: IndexedFlow, node: CompiledNode, decision: Extract<GateDecision, { action: 'stop' }>): never {
    this.trace({ type: 'debug_stop', flowId: flow.id, nodeId: node.id, reason: decision.reason, message: decision.message });
    const error = new FlowError(decision.reason === 'timeout' ? 'debug_timeout' : 'debug_stopped', decision.message, node.id, false);
    this.shownFailures.add(error);
    throw error;
  }

  /** Renders and runs one node; returns what it asks the loop to do next. */
  private async execute(
    flow: IndexedFlow,
    node: CompiledNode,
    state: ExecutionState,
    payloads: Record<string, JsonValue>,
    resumedSubmit: boolean,
    run: NodeRun,
  ): Promise<Step> {
    this.steps += 1;
    run.step = this.steps;
    if (this.steps > this.config.stepLimit) {
      throw new FlowError(
        'step_limit',
        `step limit reached: more than ${this.config.stepLimit} node executions in one turn (flow ${flow.id}, node ${node.id}); the flow probably loops`,
        node.id,
      );
    }
    this.checkTime(node.id);
    const refusal = this.request.admitNode?.(flow.id, node.id);
    if (refusal) throw new FlowError('node_forbidden', refusal, node.id, false);
    const context = templateContext(state, payloads);
    let payload: JsonValue;
    try {
      payload = renderMapping(node.input.mapping, context, RenderBudget.forNode(this.deadline.at));
    } catch (error) {
      if (error instanceof TemplateLimitError) throw new FlowError(error.code, `node ${node.id}: ${error.message}`, node.id, false);
      const message = error instanceof TemplateError ? error.message : `failed to render node input template: ${String(error)}`;
      throw new FlowError('template_error', message, node.id);
    }
    const gate = this.request.gate;
    if (gate) {
      run.input = payload;
      run.component = kindLabel(nodeKind(node, payload), node);
      const decision = await this.held(gate.beforeNode(this.nodeStop(flow, node, state, run, resumedSubmit)));
      if (decision?.action === 'stop') this.stopTurn(flow, node, decision);
      if (decision?.input !== undefined || decision?.state !== undefined) {
        const edited: Array<'input' | 'state'> = [];
        if (decision.input !== undefined) {
          payload = cloneJson(decision.input);
          run.input = payload;
          run.component = kindLabel(nodeKind(node, payload), node);
          edited.push('input');
        }
        if (decision.state !== undefined) {
          applyStateEdit(state, payloads, decision.state);
          edited.push('state');
        }
        this.trace({ type: 'debug_edit', flowId: flow.id, nodeId: node.id, edited });
      }
    }
    return this.perform(flow, node, payload, state, context, run, true);
  }

  /** Runs a node on its rendered payload, as its kind says; a pinned output stands in when `usePins`. */
  private async perform(
    flow: IndexedFlow,
    node: CompiledNode,
    payload: JsonValue,
    state: ExecutionState,
    context: ReturnType<typeof templateContext>,
    run: NodeRun,
    usePins: boolean,
  ): Promise<Step> {
    const kind = nodeKind(node, payload);
    const label = kindLabel(kind, node);
    const gate = this.request.gate;
    const started = performance.now();
    this.trace({ type: 'node_start', flowId: flow.id, nodeId: node.id, component: label, input: payload, step: run.step });

    const pinned = usePins ? (this.request.pins ?? this.config.pins)?.get(flow.id, node.id) : undefined;
    const isPinnable = kind.kind === 'component' || (kind.kind === 'native' && REMOTE_NATIVE_KINDS.has(kind.op));
    let step: Step;
    if (pinned !== undefined && isPinnable) {
      step = this.fromComponentOutput(cloneJson(pinned), node.id);
    } else if (kind.kind === 'invalid') {
      throw new FlowError('invalid_payload', kind.message, node.id);
    } else if (kind.kind === 'emit') {
      step = runEmit(payload, this.nativeEnv(node.id, state, context));
    } else if (kind.kind === 'native') {
      step = await this.runNative(kind.op, payload, node, state, context);
    } else {
      step = await this.invokeComponent(flow, node, state, kind.componentId, kind.operation, kind.input, kind.config);
    }
    if (step.control !== 'failed') {
      gate?.afterNode?.(run.step, { output: step.output });
      this.trace({
        type: 'node_end',
        flowId: flow.id,
        nodeId: node.id,
        output: step.output,
        durationMs: performance.now() - started,
        pinned: pinned !== undefined && isPinnable,
      });
    }
    return step;
  }

  private async runNative(
    op: string,
    payload: JsonValue,
    node: CompiledNode,
    state: ExecutionState,
    context: ReturnType<typeof templateContext>,
  ): Promise<Step> {
    const env = this.nativeEnv(node.id, state, context);
    switch (op) {
      case 'session.wait':
        return runWait(payload);
      case 'state.get':
        return runStateGet(payload, env);
      case 'state.set':
        return runStateSet(payload, env);
      case 'var.set':
        return runVarSet(payload, env);
      case 'flow.goto':
        return runGoto(payload, node.id);
      case 'flow.call':
        return this.runFlowCall(payload, node.id);
      default:
        throw new FlowError(
          'component_unavailable',
          `node \`${node.id}\` uses \`${op}\`, which the studio cannot run locally: pin an output for this node to test the flow`,
          node.id,
        );
    }
  }

  private async runFlowCall(payload: JsonValue, nodeId: string): Promise<Step> {
    if (!isObject(payload)) throw new FlowError('invalid_payload', 'invalid payload for flow.call node', nodeId);
    const flowId = payload.flow_id ?? payload.flow;
    if (typeof flowId !== 'string' || flowId.length === 0) {
      throw new FlowError('invalid_payload', 'flow.call requires a non-empty flow_id', nodeId);
    }
    const flow = this.request.catalog.get(flowId);
    if (!flow) throw new FlowError('flow_call_failed', `flow.call failed for ${flowId}: unknown_flow:${flowId}`, nodeId);
    const start = flow.startNode();
    if (!start) throw new FlowError('flow_call_failed', `flow.call failed for ${flowId}: flow ${flowId} has no start node`, nodeId);
    // Same turn, same step budget, fresh state.
    const output = await this.calledFlowOutput(flowId, nodeId, () => this.drive(flow, start, initialState(payload.input ?? null, varsInit(flow)), flow.id, false));
    return { control: 'continue', output };
  }

  /** The result a `flow.call` node gets from its called flow's run; a failure or a pause there fails the node. */
  private async calledFlowOutput(flowId: string, nodeId: string, run: () => Promise<TurnOutcome>): Promise<JsonValue> {
    let outcome: TurnOutcome;
    try {
      outcome = await run();
    } catch (error) {
      const cause = asFlowError(error);
      if (UNPAUSABLE_FAILURES.has(cause.code)) throw cause;
      const failed = new FlowError('flow_call_failed', `flow.call failed for ${flowId}: ${cause.message}`, nodeId, cause.transient);
      if (this.shownFailures.has(cause)) this.shownFailures.add(failed);
      throw failed;
    }
    if (outcome.status === 'waiting') {
      const reason = outcome.snapshot.reason ?? '';
      throw new FlowError('flow_call_failed', `flow.call cannot pause (flow ${flowId} waiting ${reason})`, nodeId);
    }
    if (outcome.status === 'failed') throw outcome.error;
    return outcome.output;
  }

  private async invokeComponent(
    flow: IndexedFlow,
    node: CompiledNode,
    state: ExecutionState,
    componentId: string,
    operation: string,
    input: JsonValue,
    config: JsonValue,
  ): Promise<Step> {
    const { host } = this.config;
    if (!host.supports(componentId, operation)) {
      throw new FlowError(
        'component_unavailable',
        `node \`${node.id}\` needs component \`${componentId}\` (operation \`${operation}\`), which cannot run in the studio: pin an output for this node or add the component to the project`,
        node.id,
      );
    }
    const called = performance.now();
    this.trace({ type: 'call_start', flowId: flow.id, nodeId: node.id, componentId, operation });
    const outcome = await host
      .invoke({
      componentId,
      operation,
      input: withLocale(input, state),
      config,
      ctx: this.tenantCtx(flow.id, node.id),
      turnInput: state.input,
      memory: state.memory[node.id],
        signal: this.deadline.signal(),
      })
      .catch((error: unknown): ComponentOutcome => ({
        ok: false,
        error: { code: 'host_error', message: error instanceof Error ? error.message : String(error), retryable: false },
      }));
    for (const entry of outcome.logs ?? []) this.trace({ type: 'node_log', flowId: flow.id, nodeId: node.id, ...entry });
    this.trace({
      type: 'call_end',
      flowId: flow.id,
      nodeId: node.id,
      durationMs: performance.now() - called,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { error: { code: outcome.error.code, message: outcome.error.message } }),
    });
    // A component stopped by the turn's deadline did not fail on its own: no error route applies.
    if (!outcome.ok) this.checkTime(node.id);
    if (!outcome.ok) return { control: 'failed', error: outcome.error, componentRef: componentId };
    if (outcome.memory !== undefined) state.memory[node.id] = outcome.memory;
    else delete state.memory[node.id];
    if (outcome.awaitUser) return { control: 'park', output: outcome.output, reason: outcome.awaitUser.reason };
    return this.fromComponentOutput(outcome.output, node.id, componentId);
  }

  /** Error shape and control protocol of a component output (runtime.md §6.4, §6.5). */
  private fromComponentOutput(output: JsonValue, nodeId: string, componentRef = nodeId): Step {
    if (isObject(output) && output.ok === false && isObject(output.error)) {
      const code = typeof output.error.code === 'string' ? output.error.code : 'component_error';
      const message = typeof output.error.message === 'string' ? output.error.message : 'component reported error';
      return { control: 'failed', error: { code, message, retryable: false }, componentRef };
    }
    const control = parseControl(output, nodeId);
    if (!control) return { control: 'continue', output };
    if (control.action === 'jump') return { control: 'jump', output, jump: control };
    const item: JsonValue = {
      ...(control.text !== undefined ? { text: control.text } : {}),
      ...(control.cardCbor ? { card_cbor: control.cardCbor } : {}),
      ...(control.needsUser !== undefined ? { needs_user: control.needsUser } : {}),
    };
    return { control: 'respond', output, item };
  }

  private applyJump(
    state: ExecutionState,
    payloads: Record<string, JsonValue>,
    node: CompiledNode,
    jump: JumpControl,
  ): { flow: IndexedFlow; node: string } {
    const flow = this.request.catalog.get(jump.flow);
    if (!flow) throw new FlowError('jump_failed', `unknown_flow:${jump.flow}`, node.id);
    let target = jump.node;
    if (target !== undefined) {
      if (!flow.node(target)) throw new FlowError('jump_failed', `unknown_node:${target}`, node.id);
    } else {
      target = flow.startNode() ?? undefined;
      if (!target) throw new FlowError('jump_failed', `jump_failed: flow ${jump.flow} has no start node`, node.id);
    }
    if (state.redirect_count >= (jump.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) {
      throw new FlowError('redirect_limit', 'redirect_limit', node.id);
    }
    state.redirect_count += 1;
    state.input = jump.payload;
    state.last_output = jump.payload;
    state.nodes[node.id] = { ok: true, payload: jump.payload, meta: jump.hints };
    payloads[node.id] = jump.payload;
    return { flow, node: target };
  }

  private record(state: ExecutionState, payloads: Record<string, JsonValue>, nodeId: string, output: JsonValue, ok: boolean): void {
    state.nodes[nodeId] = { ok, payload: output, meta: null };
    state.last_output = output;
    payloads[nodeId] = output;
  }

  /**
   * `output` is upstream's raw result (for the inspector); the replies leave out a final payload
   * that an emit node already put in egress, so the user never gets it twice (runtime.md §8.1).
   */
  private complete(state: ExecutionState, final: JsonValue | undefined, finalWasEmitted: boolean): TurnOutcome {
    const output = finalizeWith(state.egress, final);
    const delivered = finalWasEmitted ? finalizeWith(state.egress, undefined) : output;
    return { status: 'completed', turnId: this.turnId, output, replies: repliesFrom(delivered) };
  }

  private park(
    state: ExecutionState,
    flow: IndexedFlow,
    rootFlowId: string,
    parkedBy: string,
    nextNode: string,
    awaitingSubmit: boolean,
    reason: string,
    shown: JsonValue | undefined,
  ): TurnOutcome {
    const output = finalizeWith(state.egress, shown);
    const snapshot: FlowSnapshot = {
      pack_id: this.request.catalog.packId,
      flow_id: rootFlowId,
      ...(flow.id !== rootFlowId ? { next_flow: flow.id } : {}),
      next_node: nextNode,
      awaiting_submit: awaitingSubmit,
      reason,
      state: { ...cloneJson(state), egress: [] },
    };
    this.trace({ type: 'wait', flowId: flow.id, nodeId: parkedBy, nextNode, reason, awaitingSubmit });
    return { status: 'waiting', turnId: this.turnId, output, replies: repliesFrom(output), snapshot };
  }

  private nativeEnv(nodeId: string, state: ExecutionState, context: ReturnType<typeof templateContext>): NativeEnv {
    const { scope } = this.request;
    return { nodeId, state, stateStore: this.request.stateStore ?? this.config.stateStore, stateScope: { env: scope.env, tenant: scope.tenant }, context };
  }

  private tenantCtx(flowId: string, nodeId: string): TenantCtx {
    const { scope } = this.request;
    return {
      env: scope.env,
      tenant: scope.tenant,
      ...(scope.team ? { team: scope.team } : {}),
      ...(scope.user ? { user: scope.user } : {}),
      ...(scope.sessionId ? { sessionId: scope.sessionId, correlationId: scope.sessionId } : {}),
      ...(scope.providerId ? { providerId: scope.providerId } : {}),
      idempotencyKey: `${scope.sessionId ?? this.turnId}:${nodeId}:${this.attempt}`,
      deadlineMs: this.deadline.epochMs,
      flowId,
      nodeId,
      traceId: this.turnId,
      i18nId: scope.locale ?? 'en',
      attempt: this.attempt,
    };
  }

  private trace(event: DistributiveOmit<TraceEvent, 'turnId' | 'at'>): void {
    const { observer, observedEvents } = this.request;
    if (!observer || (observedEvents && !observedEvents.has(event.type))) return;
    // Not `{ ...event, turnId, at }`: Node 20's V8 builds that shape about ten times slower, and a
    // turn sends several events; with the two fields first it stays on the fast path.
    observer({ turnId: this.turnId, at: Date.now(), ...event } as TraceEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Failures that end the turn as a whole, never one node's: the debugger does not pause at them, and a caller passes them on. */
const UNPAUSABLE_FAILURES: ReadonlySet<string> = new Set(['step_limit', 'cancelled', 'turn_timeout', 'debug_stopped', 'debug_timeout']);

function kindLabel(kind: ReturnType<typeof nodeKind>, node: CompiledNode): string {
  return kind.kind === 'component' ? `${kind.componentId}.${kind.operation}` : kind.kind === 'invalid' ? node.component.id : kind.op;
}

/** A debugger edit of the flow state, applied before the node runs; `node.<id>` follows `state.nodes`. */
function applyStateEdit(state: ExecutionState, payloads: Record<string, JsonValue>, edit: NonNullable<Extract<GateDecision, { action: 'run' }>['state']>): void {
  const copy = cloneJson(edit);
  if (copy.entry !== undefined) state.entry = copy.entry;
  if (copy.input !== undefined) state.input = copy.input;
  if (copy.vars !== undefined) state.vars = copy.vars;
  if (copy.nodes !== undefined) {
    state.nodes = copy.nodes;
    for (const key of Object.keys(payloads)) delete payloads[key];
    Object.assign(payloads, nodePayloadsOf(state));
  }
}

function nextOf(step: Exclude<Step, { control: 'failed' }>): NodeRunNext {
  switch (step.control) {
    case 'continue':
      return { action: 'continue' };
    case 'wait':
      return { action: 'wait', reason: step.reason };
    case 'park':
      return { action: 'park', reason: step.reason };
    case 'jump':
      return { action: 'jump', flow: step.jump.flow, ...(step.jump.node !== undefined ? { node: step.jump.node } : {}) };
    case 'respond':
      return { action: 'respond' };
  }
}

/** Card invocations get the conversation's locale when they do not set one (runtime.md §6.3). */
function withLocale(input: JsonValue, state: ExecutionState): JsonValue {
  if (!isObject(input) || !('card_source' in input || 'card_spec' in input) || 'locale' in input) return input;
  const entry = isObject(state.entry) ? state.entry : {};
  const message = isObject(entry.input) ? entry.input : {};
  const metadata = isObject(message.metadata) ? message.metadata : {};
  return typeof metadata.locale === 'string' ? { ...input, locale: metadata.locale } : input;
}

/** `metadata.extra.vars_init`: initial session variables (`{name: value}` or `{name: {value}}`). */
function varsInit(flow: IndexedFlow): Record<string, JsonValue> {
  const extra = flow.flow.metadata.extra;
  const init = isObject(extra) ? extra.vars_init : undefined;
  if (!isObject(init)) return {};
  const vars: Record<string, JsonValue> = {};
  for (const [name, spec] of Object.entries(init)) vars[name] = isObject(spec) && 'value' in spec ? (spec.value ?? null) : spec;
  return vars;
}

function nodeErrorJson(error: NodeError): JsonValue {
  return {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.backoffMs !== undefined ? { backoff_ms: error.backoffMs } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}

function validWallTime(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`the turn wall time must be a positive number of milliseconds, not ${ms}`);
  return Math.min(Math.ceil(ms), MAX_TIMER_MS);
}

function asFlowError(error: unknown): FlowError {
  if (error instanceof FlowError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FlowError('component_error', `internal: ${message}`, undefined, false);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
