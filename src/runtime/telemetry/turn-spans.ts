/**
 * Maps the engine's trace events of one turn to OpenTelemetry spans as they arrive: the turn
 * span, a child per node run (nodes of a called flow nest under the `flow.call` node), a child of
 * the node per component call. Span times come from the events, so replaying recorded events makes
 * the same spans as the live run did.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { TraceEvent } from '../../shared/api/trace';
import { BUILTIN_COMPONENT_IDS } from '../components/builtin';
import {
  ATTR_ATTEMPT,
  ATTR_CHANNEL,
  ATTR_COMPONENT,
  ATTR_ENV,
  ATTR_FLOW,
  ATTR_NEXT_NODE,
  ATTR_NODE,
  ATTR_OP,
  ATTR_OP_DURATION,
  ATTR_OP_STATUS,
  ATTR_PINNED,
  ATTR_REASON,
  ATTR_SESSION,
  ATTR_TEAM,
  ATTR_TEAM_ID,
  ATTR_TENANT,
  ATTR_TENANT_ID,
  ATTR_TURN_ID,
  EVENT_JUMP,
  EVENT_PARK,
  EVENT_RESUME,
  EVENT_RETRY,
  EVENT_WAIT,
  SPAN_COMPONENT,
  SPAN_NODE_PREFIX,
  SPAN_TURN,
} from '../../shared/telemetry/attributes';

/** Who the turn runs for: the scope attributes every span of the turn carries. */
export interface TurnScope {
  env: string;
  tenant: string;
  team?: string;
  sessionKey: string;
  channel: string;
}

export interface TurnSpanOptions {
  scope: TurnScope;
  /** The caller's context (a gateway message's `traceparent`); the turn is a root span without one. */
  parent: Context;
  /** How the turn was caused: a Direct Line request (server), a bus message (consumer), the studio (internal). */
  kind?: SpanKind;
  /** Attributes of the cause (messaging attributes of a NATS delivery). */
  attributes?: Attributes;
  /** The turn span, when the caller started it before the turn (to know at once whether it is sampled). */
  turnSpan?: Span;
}

interface OpenSpan {
  span: Span;
  startedAt: number;
  nodeId: string;
}

export class TurnSpans {
  private turn: { span: Span; startedAt: number } | null = null;
  /** Node spans still running, innermost last (a `flow.call` node holds its called flow's nodes). */
  private readonly nodes: OpenSpan[] = [];
  private call: OpenSpan | null = null;
  /** A built-in component's call: its node span covers it, no span of its own. */
  private inlineCall = false;
  /** False when the sampler dropped the turn: its children would be dropped too, so none are made. */
  private recording = true;
  private readonly scopeAttributes: Attributes;

  constructor(
    private readonly tracer: Tracer,
    private readonly options: TurnSpanOptions,
  ) {
    const { scope } = options;
    this.scopeAttributes = {
      [ATTR_ENV]: scope.env,
      [ATTR_TENANT]: scope.tenant,
      [ATTR_TENANT_ID]: scope.tenant,
      ...(scope.team ? { [ATTR_TEAM]: scope.team, [ATTR_TEAM_ID]: scope.team } : {}),
      [ATTR_SESSION]: scope.sessionKey,
      [ATTR_CHANNEL]: scope.channel,
    };
  }

  /** The turn span's context, once the turn started: what egress messages and component requests carry on. */
  get context(): Context | undefined {
    return this.turn ? trace.setSpan(this.options.parent, this.turn.span) : undefined;
  }

  /** The innermost span running for `nodeId`: its component call, else the node itself. */
  activeFor(nodeId: string): Span | undefined {
    if (this.call?.nodeId === nodeId) return this.call.span;
    for (let i = this.nodes.length - 1; i >= 0; i -= 1) if (this.nodes[i]?.nodeId === nodeId) return this.nodes[i]?.span;
    return undefined;
  }

  observe(event: TraceEvent): void {
    if (event.type === 'turn_start') return this.turnStart(event);
    if (!this.recording) {
      if (event.type === 'turn_end') this.turn?.span.end();
      return;
    }
    switch (event.type) {
      case 'node_start': {
        const parent = this.nodes.at(-1)?.span ?? this.turn?.span;
        const span = this.child(parent, `${SPAN_NODE_PREFIX}${event.nodeId}`, event.at, {
          ...this.scopeAttributes,
          [ATTR_FLOW]: event.flowId,
          [ATTR_NODE]: event.nodeId,
          [ATTR_OP]: event.component,
        });
        this.nodes.push({ span, startedAt: event.at, nodeId: event.nodeId });
        return;
      }
      case 'call_start': {
        this.inlineCall = BUILTIN_COMPONENT_IDS.has(event.componentId);
        if (this.inlineCall) return;
        const parent = this.nodes.at(-1)?.span ?? this.turn?.span;
        const span = this.child(parent, SPAN_COMPONENT, event.at, {
          ...this.scopeAttributes,
          [ATTR_FLOW]: event.flowId,
          [ATTR_NODE]: event.nodeId,
          [ATTR_COMPONENT]: event.componentId,
          [ATTR_OP]: `${event.componentId}.${event.operation}`,
        });
        this.call = { span, startedAt: event.at, nodeId: event.nodeId };
        return;
      }
      case 'call_end': {
        if (this.inlineCall) {
          this.inlineCall = false;
          return;
        }
        const call = this.call;
        if (!call) return;
        this.call = null;
        if (!event.ok && event.error) fail(call.span, event.error.code, event.error.message);
        call.span.end(call.startedAt + event.durationMs);
        return;
      }
      case 'node_end': {
        const node = this.nodes.pop();
        if (!node) return;
        if (event.pinned) node.span.setAttribute(ATTR_PINNED, true);
        node.span.end(node.startedAt + event.durationMs);
        return;
      }
      case 'node_error': {
        const node = this.nodes.pop();
        if (!node) return;
        fail(node.span, event.code, event.message);
        node.span.end(event.durationMs === undefined ? event.at : node.startedAt + event.durationMs);
        return;
      }
      case 'wait':
        this.turn?.span.addEvent(
          event.awaitingSubmit ? EVENT_PARK : EVENT_WAIT,
          { [ATTR_FLOW]: event.flowId, [ATTR_NODE]: event.nodeId, [ATTR_NEXT_NODE]: event.nextNode, [ATTR_REASON]: event.reason },
          event.at,
        );
        return;
      case 'route':
        if (event.decision === 'jump') {
          this.turn?.span.addEvent(EVENT_JUMP, { [ATTR_NODE]: event.nodeId, [ATTR_FLOW]: event.toFlow ?? '', [ATTR_NEXT_NODE]: event.to ?? '' }, event.at);
        }
        return;
      case 'turn_end':
        return this.turnEnd(event);
      default:
        return;
    }
  }

  private turnStart(event: Extract<TraceEvent, { type: 'turn_start' }>): void {
    if (this.turn) {
      // Another attempt of the same turn: what the failed attempt left running ends with it.
      this.closeOpen(event.at, 'attempt_failed', `attempt ${event.attempt - 1} failed; the turn is retried`);
      this.turn.span.addEvent(EVENT_RETRY, { [ATTR_ATTEMPT]: event.attempt }, event.at);
      return;
    }
    const attributes = { ...this.scopeAttributes, ...this.options.attributes, [ATTR_FLOW]: event.flowId, [ATTR_TURN_ID]: event.turnId };
    const span = this.options.turnSpan ?? this.tracer.startSpan(SPAN_TURN, { kind: this.options.kind ?? SpanKind.INTERNAL, startTime: event.at, attributes }, this.options.parent);
    this.recording = span.isRecording();
    if (!this.recording) {
      this.turn = { span, startedAt: event.at };
      return;
    }
    if (this.options.turnSpan) span.setAttributes(attributes);
    if (event.resumedAt !== undefined) span.addEvent(EVENT_RESUME, { [ATTR_NODE]: event.resumedAt }, event.at);
    this.turn = { span, startedAt: event.at };
  }

  private turnEnd(event: Extract<TraceEvent, { type: 'turn_end' }>): void {
    const turn = this.turn;
    if (!turn) return;
    const end = turn.startedAt + event.durationMs;
    if (event.error) this.closeOpen(end, event.error.code, event.error.message, event.error.nodeId);
    else this.closeOpen(end, 'unfinished', 'the turn ended while this step was running');
    turn.span.setAttribute(ATTR_OP_STATUS, event.status);
    turn.span.setAttribute(ATTR_OP_DURATION, event.durationMs);
    if (event.status === 'failed') fail(turn.span, event.error?.code ?? 'failed', event.error?.message ?? 'the turn failed');
    turn.span.end(end);
  }

  /** Ends the spans still running, as failed: the node the error names, or the innermost one. */
  private closeOpen(at: number, code: string, message: string, nodeId?: string): void {
    const open = [...(this.call ? [this.call] : []), ...this.nodes.splice(0).reverse()];
    this.call = null;
    const culprit = open.find((entry) => entry.nodeId === nodeId) ?? open[0];
    for (const entry of open) {
      if (entry === culprit) fail(entry.span, code, message);
      entry.span.end(Math.max(at, entry.startedAt));
    }
  }

  private child(parent: Span | undefined, name: string, at: number, attributes: Attributes): Span {
    const context = parent ? trace.setSpan(this.options.parent, parent) : this.options.parent;
    return this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at, attributes }, context);
  }
}

/** An error on a span: status with the message, and the error recorded as an exception event. */
export function fail(span: Span, code: string, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${code}: ${message}` });
  span.recordException({ name: code, message });
}
