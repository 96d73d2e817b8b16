/**
 * Conversations with the embedded runner, whatever the channel (the studio chat panel, Direct
 * Line, the CLI, transcript tests): each message becomes a flow input envelope, runs one turn on
 * the engine against the conversation's session, and yields replies and trace events.
 */
import { randomUUID } from 'node:crypto';
import type {
  BotMessage,
  ConversationInfo,
  NodeRunLog,
  NodeRunResult,
  ParkedAt,
  SessionInspection,
  TraceEvent,
  TranscriptTurn,
  TurnResult,
} from '../../shared/api/chat';
import { StudioError } from '../../shared/api';
import type { TurnDebugging, DebugTurn } from '../debug/debugger';
import type { FlowEngine, TurnRequest } from '../engine/engine';
import type { FlowCatalog } from '../engine/catalog';
import type { FlowSnapshot } from '../engine/state';
import type { StepGate } from '../engine/step-gate';
import type { StateStore } from '../sessions/state-store';
import type { SessionRecord, SessionScope, SessionStore } from '../sessions/session-store';
import { SessionBusyError, SessionConflictError, SessionStoreUnavailableError, canonicalSessionKey } from '../sessions/session-store';
import type { JsonValue } from '../../shared/flow/compiled';
import type { TraceHeaders } from '../telemetry/propagation';
import type { Telemetry, TurnCause, TurnTelemetry } from '../telemetry/telemetry';
import type { TurnScope } from '../telemetry/turn-spans';
import { flowInput, type InboundMessage } from './envelope';
import type { FlowLibrary, LoadedFlowEntry } from './flow-library';
import type { PinStore } from './pins';

export interface ChatRuntimeOptions {
  flows: FlowLibrary;
  engine: FlowEngine;
  sessions: SessionStore;
  pins?: PinStore;
  /** The debugger of conversations started `debuggable` (the chat panel, the CLI). */
  debugger?: TurnDebugging;
  /** `GREENTIC_ENV` of the runner (default `local`). */
  env?: string;
  /** Trace events kept per conversation; older ones drop off. */
  traceLimit?: number;
  /** Turns kept per conversation for "save as transcript". */
  historyLimit?: number;
  onReply?: (conversationId: string, message: BotMessage) => void;
  onTrace?: (conversationId: string, event: TraceEvent) => void;
  /**
   * Who may run which flow and node (a bundle's access rules): the reason a conversation is refused,
   * or a node stopped, or null.
   */
  admit?: AdmitPolicy;
  /** The runner's telemetry, asked at every turn (it is off, null, unless an endpoint or `/metrics` is set). */
  telemetry?: () => Telemetry | null;
}

export type AdmitPolicy = (who: { tenant: string; team?: string }, target: { flow: string; node?: string }) => string | null;

export interface StartOptions {
  flowPath?: string;
  /** The environment of the session (default: the runtime's). */
  env?: string;
  tenant?: string;
  team?: string;
  user?: string;
  /** The channel: `studio`, `webchat`, `cli`. */
  provider?: string;
  /** Use this id (Direct Line creates its own); a fresh UUID otherwise. */
  conversationId?: string;
  /** The session's conversation (runtime.md §10.2) when it is not the conversation id: NATS chat ids are unique only within a tenant. */
  sessionConversation?: string;
  userVerified?: boolean;
  /**
   * Trace events kept for this conversation (default: the runtime's `traceLimit`; 0 keeps none, the
   * events still reach `onTrace`). Channels serving many conversations keep few or none: kept
   * events outlive the young generation, and promoting them makes garbage collection pause.
   */
  traceLimit?: number;
  /**
   * Push every reply and trace event to `onReply` / `onTrace` as it happens (default true). Channels
   * whose clients get the replies their own way, and whose conversations the studio does not show,
   * turn it off: with no trace kept either, the engine then builds no trace events at all.
   */
  liveEvents?: boolean;
  /** Turns kept for "save as transcript" (default: the runtime's `historyLimit`; 0 keeps none). */
  historyLimit?: number;
  /** Let the debugger pause this conversation's turns (studio conversations only; channels never). */
  debuggable?: boolean;
  /** What the turns answer, for telemetry: the studio (default), a Direct Line client or a NATS delivery on `subject`. */
  cause?: TurnCause;
  subject?: string;
}

interface Conversation {
  info: ConversationInfo;
  scope: SessionScope;
  userVerified: boolean;
  trace: TraceEvent[];
  traceLimit: number;
  liveEvents: boolean;
  cause: TurnCause;
  subject?: string;
  history: TranscriptTurn[];
  historyLimit: number;
  debuggable: boolean;
  /** Serialises the turns of one conversation: a turn sees the session the previous one saved. */
  queue: Promise<unknown>;
}

interface TurnRunOptions {
  /** Remember the turn's outcome under this id, and answer a repeat of it from there. */
  messageId?: string;
  /** Remove the session when the flow completes (nothing to keep for a conversation no window shows). */
  endWhenCompleted?: boolean;
}

export type DetachedTurnResult = TurnResult & {
  duplicate?: true;
  /** The turn span's trace context, when tracing is on: the replies carry it on. */
  traceHeaders?: TraceHeaders;
};

type TurnOutcome = Awaited<ReturnType<FlowEngine['runTurn']>>;

export const DEFAULT_TENANT = 'default';
export const DEFAULT_USER = 'user';

export class ChatRuntime {
  private readonly conversations = new Map<string, Conversation>();
  private readonly env: string;
  private readonly traceLimit: number;
  private readonly historyLimit: number;

  constructor(private readonly options: ChatRuntimeOptions) {
    this.env = options.env ?? 'local';
    this.traceLimit = options.traceLimit ?? 2000;
    this.historyLimit = options.historyLimit ?? 500;
  }

  async start(options: StartOptions = {}): Promise<ConversationInfo> {
    const conversationId = options.conversationId ?? randomUUID();
    if (this.conversations.has(conversationId)) throw new StudioError('conflict', `conversation ${conversationId} already exists`);
    const conversation = await this.newConversation(conversationId, options);
    if (this.conversations.has(conversationId)) throw new StudioError('conflict', `conversation ${conversationId} already exists`);
    this.conversations.set(conversationId, conversation);
    return { ...conversation.info };
  }

  /**
   * One turn of a conversation that lives only in its session (a message-bus channel's): nothing
   * is kept in this runtime between turns, so the next turn may run here or in another runner
   * sharing the store. A message id already handled is not run again: its saved outcome comes back
   * with `duplicate`. A completed conversation's session is removed.
   */
  async runDetachedTurn(options: StartOptions, message: InboundMessage & { id: string }): Promise<DetachedTurnResult> {
    const conversation = await this.newConversation(options.conversationId ?? randomUUID(), { ...options, traceLimit: 0, liveEvents: false, historyLimit: 0 });
    return this.runTurn(conversation, message, { messageId: message.id, endWhenCompleted: true });
  }

  private async newConversation(conversationId: string, options: StartOptions): Promise<Conversation> {
    const { path, flow } = options.flowPath
      ? { path: options.flowPath, flow: await this.options.flows.byPath(options.flowPath) }
      : await this.options.flows.appFlow();
    const scope: SessionScope = {
      env: options.env ?? this.env,
      tenant: options.tenant ?? DEFAULT_TENANT,
      ...(options.team ? { team: options.team } : {}),
      provider: options.provider ?? 'studio',
      conversation: options.sessionConversation ?? conversationId,
      user: options.user ?? DEFAULT_USER,
    };
    const refusal = this.options.admit?.(admittee(scope), { flow: flow.id });
    if (refusal) throw new StudioError('forbidden', refusal);
    const info: ConversationInfo = {
      conversationId,
      flowId: flow.id,
      flowPath: path,
      tenant: scope.tenant,
      ...(scope.team ? { team: scope.team } : {}),
      user: scope.user,
      sessionKey: canonicalSessionKey(scope),
      provider: scope.provider,
    };
    return {
      info,
      scope,
      userVerified: options.userVerified ?? false,
      trace: [],
      traceLimit: Math.max(0, options.traceLimit ?? this.traceLimit),
      liveEvents: options.liveEvents ?? true,
      cause: options.cause ?? 'studio',
      ...(options.subject ? { subject: options.subject } : {}),
      history: [],
      historyLimit: Math.max(0, options.historyLimit ?? this.historyLimit),
      debuggable: options.debuggable === true,
      queue: Promise.resolve(),
    };
  }

  /** Runs one turn; turns of one conversation run one after the other, in arrival order. */
  send(conversationId: string, message: InboundMessage): Promise<TurnResult> {
    const conversation = this.require(conversationId);
    const turn = conversation.queue.then(() =>
      this.runTurn(conversation, message, {}).catch((error: unknown) => {
        if (error instanceof SessionConflictError || error instanceof SessionBusyError) throw new StudioError('conflict', `session_busy: ${error.message}`);
        throw storeError(error);
      }),
    );
    conversation.queue = turn.catch(() => undefined);
    return turn;
  }

  async restart(conversationId: string): Promise<ConversationInfo> {
    const conversation = this.require(conversationId);
    this.options.debugger?.forget(conversationId);
    await conversation.queue;
    await this.options.sessions.delete(conversation.scope).catch((error: unknown) => {
      throw storeError(error);
    });
    conversation.trace = [];
    conversation.history = [];
    return { ...conversation.info };
  }

  async end(conversationId: string): Promise<void> {
    const conversation = this.require(conversationId);
    this.options.debugger?.forget(conversationId);
    await conversation.queue;
    await this.options.sessions.delete(conversation.scope).catch((error: unknown) => {
      throw storeError(error);
    });
    this.conversations.delete(conversationId);
  }

  info(conversationId: string): ConversationInfo {
    return { ...this.require(conversationId).info };
  }

  has(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  list(): ConversationInfo[] {
    return [...this.conversations.values()].map((c) => ({ ...c.info }));
  }

  trace(conversationId: string): TraceEvent[] {
    return [...this.require(conversationId).trace];
  }

  /** Who a conversation's turns run for, as telemetry tags them. */
  telemetryScope(conversationId: string): TurnScope {
    return telemetryScopeOf(this.require(conversationId));
  }

  history(conversationId: string): TranscriptTurn[] {
    return [...this.require(conversationId).history];
  }

  async inspect(conversationId: string): Promise<SessionInspection | null> {
    const record = await this.options.sessions.get(this.require(conversationId).scope).catch((error: unknown) => {
      throw storeError(error);
    });
    return record ? inspection(record) : null;
  }

  async listSessions(tenant?: string): Promise<SessionInspection[]> {
    const records = await this.options.sessions.list(tenant === undefined ? {} : { tenant }).catch((error: unknown) => {
      throw storeError(error);
    });
    return records.map(inspection);
  }

  /** Runs one node of a flow on its own ("Run this node"): no session is read or written. */
  async runNode(flowPath: string, nodeId: string, payload: JsonValue, who: { tenant?: string; user?: string } = {}): Promise<NodeRunResult> {
    // The designer may have saved the flow a moment ago: run the node as the file is now.
    this.options.flows.invalidate();
    const flow = await this.options.flows.byPath(flowPath);
    if (!flow.nodes.some((node) => node.id === nodeId)) throw new StudioError('not_found', `flow ${flowPath} has no node ${nodeId}`);
    const catalog = await this.options.flows.catalog(flowPath);
    const logs: NodeRunLog[] = [];
    let component: string | null = null;
    const outcome = await this.options.engine.runNode({
      catalog,
      flowId: flow.id,
      nodeId,
      payload,
      scope: { env: this.env, tenant: who.tenant ?? DEFAULT_TENANT, user: who.user ?? DEFAULT_USER, providerId: 'studio' },
      observer: (event) => {
        if (event.type === 'node_start') component = event.component;
        if (event.type === 'node_log') logs.push({ source: event.source, text: event.text, ...(event.fields ? { fields: event.fields } : {}) });
      },
    });
    const common = { flowId: flow.id, nodeId, component, durationMs: outcome.durationMs, logs };
    return outcome.status === 'ok'
      ? { ...common, status: 'ok', output: outcome.output, next: outcome.next, replies: outcome.replies }
      : { ...common, status: 'failed', error: outcome.error };
  }

  private async runTurn(conversation: Conversation, message: InboundMessage, options: TurnRunOptions): Promise<DetachedTurnResult> {
    const turn = await this.options.sessions.openTurn(conversation.scope, options.messageId === undefined ? {} : { messageId: options.messageId });
    if (turn.handled !== null) {
      await turn.abandon();
      return { ...(turn.handled as unknown as TurnResult), duplicate: true };
    }
    let outcome: TurnOutcome;
    const telemetry = this.options.telemetry?.()?.startTurn({
      scope: telemetryScopeOf(conversation),
      cause: conversation.cause,
      ...(message.traceHeaders ? { traceHeaders: message.traceHeaders } : {}),
      ...(conversation.subject ? { subject: conversation.subject } : {}),
    });
    try {
      outcome = await this.runEngine(conversation, message, turn.record, telemetry);
    } catch (error) {
      await turn.abandon();
      throw error;
    }
    const { info } = conversation;
    const session = turn.record;
    if (outcome.status === 'failed' && DEBUGGER_ENDINGS.has(outcome.error.code)) {
      // Stopped or timed out in the debugger: the session stays exactly as it was before the turn.
      await turn.abandon();
      if (conversation.liveEvents) for (const reply of outcome.replies) this.options.onReply?.(info.conversationId, reply);
      return { conversationId: info.conversationId, turnId: outcome.turnId, status: 'failed', replies: outcome.replies, error: outcome.error.message, errorCode: outcome.error.code };
    }
    // A failed turn leaves the parked flow where it was, so the same message can be retried.
    const snapshot = outcome.status === 'waiting' ? outcome.snapshot : outcome.status === 'completed' ? null : (session?.snapshot ?? null);
    const result: TurnResult = {
      conversationId: info.conversationId,
      turnId: outcome.turnId,
      status: outcome.status,
      replies: outcome.replies,
      ...(outcome.status === 'waiting' ? { parked: parkedAt(outcome.snapshot) } : {}),
      ...(outcome.status === 'failed' ? { error: outcome.error.message, errorCode: outcome.error.code } : {}),
    };
    const traceHeaders = telemetry?.traceHeaders();
    const ends = options.endWhenCompleted === true && snapshot === null;
    await turn.commit({
      update: ends ? null : { flowId: flowOf(session, info.flowId), snapshot },
      ...(options.messageId === undefined ? {} : { outcome: result as unknown as JsonValue }),
    });

    if (conversation.liveEvents) for (const reply of outcome.replies) this.options.onReply?.(info.conversationId, reply);
    if (conversation.historyLimit > 0) {
      conversation.history.push({
        user: message.submit !== undefined ? { submit: message.submit } : { text: message.text ?? '' },
        replies: outcome.replies,
        status: outcome.status,
      });
      if (conversation.history.length > conversation.historyLimit) conversation.history.shift();
    }
    return traceHeaders ? { ...result, traceHeaders } : result;
  }

  private async runEngine(
    conversation: Conversation,
    message: InboundMessage,
    session: SessionRecord | null,
    telemetry: TurnTelemetry | undefined,
  ): Promise<TurnOutcome> {
    const { info, scope } = conversation;
    const { flows, engine } = this.options;
    const catalog = await flows.catalog(info.flowPath);
    // The conversation's flow stopped compiling since it started: say why, not just that it is gone.
    const runs = session?.snapshot ? (session.snapshot.next_flow ?? session.snapshot.flow_id) : info.flowId;
    if (runs === info.flowId && !catalog.get(runs)) await flows.byPath(info.flowPath);
    const entries = await flows.entries();
    const pins = await this.pinsOf(entries);
    const debugTurn = await this.debugTurn(conversation, catalog, entries, session);
    const input = flowInput(
      {
        env: scope.env,
        tenant: scope.tenant,
        ...(scope.team ? { team: scope.team } : {}),
        channel: scope.provider,
        conversation: scope.conversation,
        user: scope.user,
        userVerified: conversation.userVerified,
      },
      message,
    );
    const outcome = await engine.runTurn({
      catalog,
      flowId: flowOf(session, info.flowId),
      input,
      snapshot: session?.snapshot ?? null,
      scope: runScope(conversation, message.locale),
      ...(pins ? { pins } : {}),
      ...(debugTurn ? { gate: debugTurn.gate } : {}),
      admitNode: this.nodeAdmission(scope),
      ...observerOf(conversation.traceLimit > 0 || conversation.liveEvents ? (event: TraceEvent) => this.recordTrace(conversation, event) : undefined, telemetry),
    });
    debugTurn?.finish({ turnId: outcome.turnId, status: outcome.status, replies: outcome.replies });
    return outcome;
  }

  private nodeAdmission(scope: SessionScope): TurnRequest['admitNode'] {
    const admit = this.options.admit;
    if (!admit) return undefined;
    const who = admittee(scope);
    return (flowId, nodeId) => admit(who, { flow: flowId, node: nodeId });
  }

  /**
   * Runs part of a turn of a conversation beside it (a debugger replay): same flows, pins and
   * identity, but no session is read or written, its trace is its own, and `state.set` writes go
   * to `stateStore`.
   */
  async sideRun(
    conversationId: string,
    start: NonNullable<TurnRequest['start']>,
    options: { gate?: StepGate; stateStore: StateStore; observer: (event: TraceEvent) => void },
  ): Promise<TurnOutcome> {
    const conversation = this.require(conversationId);
    const catalog = await this.options.flows.catalog(conversation.info.flowPath);
    const pins = await this.pinsOf(await this.options.flows.entries());
    return this.options.engine.runTurn({
      catalog,
      flowId: start.flowId,
      input: start.state.input,
      start,
      scope: runScope(conversation),
      stateStore: options.stateStore,
      admitNode: this.nodeAdmission(conversation.scope),
      ...(pins ? { pins } : {}),
      ...(options.gate ? { gate: options.gate } : {}),
      observer: options.observer,
    });
  }

  private async pinsOf(entries: LoadedFlowEntry[]) {
    return this.options.pins ? this.options.pins.board(entries.flatMap((e) => (e.flow ? [{ path: e.path, flowId: e.flow.id }] : []))) : undefined;
  }

  private async debugTurn(conversation: Conversation, catalog: FlowCatalog, entries: LoadedFlowEntry[], session: SessionRecord | null): Promise<DebugTurn | undefined> {
    const debug = this.options.debugger;
    if (!debug || !conversation.debuggable) return undefined;
    const pathById = new Map<string, string>();
    for (const entry of entries) if (entry.flow && catalog.get(entry.flow.id)?.flow === entry.flow) pathById.set(entry.flow.id, entry.path);
    return debug.beginTurn({
      conversationId: conversation.info.conversationId,
      flowPaths: [...pathById.values()],
      flowPathOf: (flowId) => pathById.get(flowId) ?? null,
      session: session ? inspection(session) : null,
    });
  }

  private recordTrace(conversation: Conversation, event: TraceEvent): void {
    const limit = conversation.traceLimit;
    if (limit > 0) conversation.trace.push(event);
    // Trimmed in batches: dropping one event per push would shift the whole buffer every time.
    if (conversation.trace.length > limit * 1.25) conversation.trace.splice(0, conversation.trace.length - limit);
    if (conversation.liveEvents) this.options.onTrace?.(conversation.info.conversationId, event);
  }

  private require(conversationId: string): Conversation {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new StudioError('not_found', `conversation not found: ${conversationId}`);
    return conversation;
  }
}

/** How a turn ends when the debugger ended it: the session is left untouched. */
const DEBUGGER_ENDINGS: ReadonlySet<string> = new Set(['debug_stopped', 'debug_timeout']);

function runScope(conversation: Conversation, locale?: string): TurnRequest['scope'] {
  const { info, scope } = conversation;
  return {
    env: scope.env,
    tenant: scope.tenant,
    ...(scope.team ? { team: scope.team } : {}),
    user: scope.user,
    sessionId: info.sessionKey,
    providerId: scope.provider,
    ...(locale ? { locale } : {}),
  };
}

/** A session store that cannot be reached is the back end being unavailable, in the contract's terms. */
function storeError(error: unknown): unknown {
  return error instanceof SessionStoreUnavailableError ? new StudioError('unavailable', error.message) : error;
}

function telemetryScopeOf({ scope, info }: Conversation): TurnScope {
  return { env: scope.env, tenant: scope.tenant, ...(scope.team ? { team: scope.team } : {}), sessionKey: info.sessionKey, channel: scope.provider };
}

/** The engine's observer: the conversation's trace, telemetry, both or none (then the engine builds no events). */
function observerOf(
  record: ((event: TraceEvent) => void) | undefined,
  telemetry: TurnTelemetry | undefined,
): Pick<TurnRequest, 'observer' | 'observedEvents'> {
  const observe = telemetry?.observe;
  if (record && observe) {
    return {
      observer: (event) => {
        observe(event);
        record(event);
      },
    };
  }
  if (observe) return { observer: observe, observedEvents: telemetry?.observedEvents };
  return record ? { observer: record } : {};
}

/** A parked run belongs to the flow that parked it, whichever flow a new conversation would start. */
function admittee(scope: SessionScope): { tenant: string; team?: string } {
  return { tenant: scope.tenant, ...(scope.team ? { team: scope.team } : {}) };
}

function flowOf(session: SessionRecord | null, startFlowId: string): string {
  return session?.snapshot ? session.flowId : startFlowId;
}

function parkedAt(snapshot: FlowSnapshot): ParkedAt {
  return {
    flowId: snapshot.next_flow ?? snapshot.flow_id,
    nodeId: snapshot.next_node,
    awaitingSubmit: snapshot.awaiting_submit,
    reason: snapshot.reason ?? '',
  };
}

function inspection(record: SessionRecord): SessionInspection {
  const { scope, snapshot } = record;
  return {
    sessionKey: record.key,
    env: scope.env,
    tenant: scope.tenant,
    ...(scope.team ? { team: scope.team } : {}),
    provider: scope.provider,
    conversation: scope.conversation,
    user: scope.user,
    flowId: record.flowId,
    revision: record.revision,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
    parked: snapshot ? parkedAt(snapshot) : null,
    state: snapshot
      ? { entry: snapshot.state.entry, input: snapshot.state.input, nodes: snapshot.state.nodes, vars: snapshot.state.vars }
      : null,
  };
}
