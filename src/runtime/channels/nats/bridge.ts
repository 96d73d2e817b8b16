import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsBridgeEvent, NatsBridgeStats, NatsServeInfo } from '../../../shared/api';
import {
  messagingPattern,
  messagingSubject,
  parseMessagingSubject,
  sanitizeSubjectSegment,
  type ParsedMessagingSubject,
} from '../../../shared/nats/subjects';
import { DEFAULT_EGRESS_OPTIONS, EgressPublisher, type EgressOptions } from './egress';
import { acceptIngress, DEFAULT_MAX_INGRESS_BYTES, IngressRejection, type AcceptedIngress } from './ingress';
import { consumeJetStream, durableName, findIngressStream, subscribeCore, type IngressDelivery, type IngressSource } from './ingress-source';
import { outMessagesFor, TURN_FAILED_TEXT } from './out-message';
import type { TurnOptions, TurnOutcome, TurnRunner } from './runner';
import type { TraceHeaders } from '../../telemetry/propagation';
import type { Telemetry } from '../../telemetry/telemetry';
import { followStatus } from './status';

export interface BridgeScope {
  env: string;
  tenant: string;
  team: string;
}

export interface NatsBridgeOptions {
  scope: BridgeScope;
  /** Instances in the same queue group share the ingress; default `greentic-runner`. */
  queueGroup?: string;
  /** The project flow new sessions start; default: the runner's (the app flow). */
  flowPath?: string;
  maxIngressBytes?: number;
  /** Turns accepted but not finished; beyond it new ingress is rejected rather than queued without end. */
  maxPendingTurns?: number;
  egress?: Partial<EgressOptions>;
  /** 'auto' consumes through JetStream when a stream captures the ingress subjects; 'core' never does. */
  ingress?: 'auto' | 'core';
  /** The runner's telemetry: counts messages, and traces the egress of each turn. */
  telemetry?: () => Telemetry | null;
}

export const DEFAULT_QUEUE_GROUP = 'greentic-runner';
const encoder = new TextEncoder();
const DEFAULT_MAX_PENDING_TURNS = 10_000;
/** How often at most a `served` summary is logged while turns are answered. */
const SERVED_SUMMARY_MS = 1_000;
/** JetStream deliveries in hand at once per runner. */
const MAX_JETSTREAM_IN_FLIGHT = 256;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;

/**
 * The runner on the message bus: takes `greentic.messaging.ingress.{env}.{tenant}.{team}.*` in a
 * queue group (or through one durable JetStream consumer shared by the group, when a stream
 * captures those subjects), runs each message as a turn of its session (turns of one session one
 * after another, different sessions in parallel) and publishes every reply to the matching egress
 * subject as an `OutMessage`. A JetStream delivery is acknowledged only once its turn's session is
 * saved and its replies are handed to egress. Bad ingress is reported and skipped; nothing a
 * sender does stops the bridge.
 */
export class NatsRunnerBridge {
  readonly info: NatsServeInfo;
  readonly stats: NatsBridgeStats = { received: 0, rejected: 0, completed: 0, failed: 0, dropped: 0 };
  /** Resolves once ingress flows (`info.ingress` then says how); rejects if the JetStream consumer cannot be set up. */
  readonly ready: Promise<void>;
  private readonly egress: EgressPublisher;
  private source: IngressSource | null = null;
  private stopping = false;
  private readonly stopFollowing: () => void;
  /** The last turn queued per session key; a new turn of the session runs after it. */
  private readonly sessionTails = new Map<string, Promise<void>>();
  private pendingTurns = 0;
  private readonly maxIngressBytes: number;
  private readonly maxPendingTurns: number;
  private readonly turnOptions: TurnOptions;
  private summaryTimer: NodeJS.Timeout | null = null;
  private summarized = { completed: 0, failed: 0 };
  private readonly telemetry: () => Telemetry | null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly runner: TurnRunner,
    options: NatsBridgeOptions,
    private readonly onEvent: (event: NatsBridgeEvent) => void,
  ) {
    const scope = {
      env: sanitizeSubjectSegment(options.scope.env),
      tenant: sanitizeSubjectSegment(options.scope.tenant),
      team: sanitizeSubjectSegment(options.scope.team),
    };
    const subject = messagingPattern('ingress', scope);
    const queueGroup = options.queueGroup ?? DEFAULT_QUEUE_GROUP;
    this.info = { ...scope, subject, queueGroup, ...(options.flowPath ? { flowPath: options.flowPath } : {}) };
    this.turnOptions = options.flowPath ? { flowPath: options.flowPath } : {};
    this.maxIngressBytes = options.maxIngressBytes ?? DEFAULT_MAX_INGRESS_BYTES;
    this.maxPendingTurns = options.maxPendingTurns ?? DEFAULT_MAX_PENDING_TURNS;
    this.telemetry = options.telemetry ?? (() => null);
    this.egress = new EgressPublisher(
      nc,
      {
        dropped: (egressSubject, reason) => {
          this.stats.dropped += 1;
          this.log({ level: 'error', code: 'dropped', subject: egressSubject, message: `a reply was dropped: ${reason}` });
        },
        retrying: (egressSubject, reason) =>
          this.log({ level: 'warn', code: 'publish_retry', subject: egressSubject, message: `retrying a reply: ${reason}` }),
      },
      { ...DEFAULT_EGRESS_OPTIONS, ...options.egress },
    );
    this.stopFollowing = followStatus(nc, [], (change) => {
      if (change.state === 'disconnected') this.egress.outbox.connectionLost();
      else if (change.state === 'connected') this.egress.outbox.connectionRestored();
      else if (change.state === 'closed') this.egress.outbox.connectionClosed();
    });
    this.ready = this.openIngress(options.ingress ?? 'auto');
    this.ready.catch(() => undefined);
  }

  private async openIngress(mode: 'auto' | 'core'): Promise<void> {
    const { subject, queueGroup } = this.info;
    const stream = mode === 'auto' ? await findIngressStream(this.nc, subject) : null;
    if (this.stopping) return;
    if (stream) {
      this.source = await consumeJetStream(
        this.nc,
        { stream, durable: durableName(queueGroup, this.info), subject, maxInFlight: MAX_JETSTREAM_IN_FLIGHT },
        (delivery) => this.receive(delivery),
        (message) => this.log({ level: 'error', code: 'rejected', subject, message }),
      );
      Object.assign(this.info, { ingress: 'jetstream', stream, consumer: this.source.consumer });
      this.log({ level: 'info', code: 'serving', subject, message: `serving ${subject} from JetStream stream ${stream} through durable consumer ${this.source.consumer}` });
    } else {
      this.source = subscribeCore(this.nc, subject, queueGroup, (delivery) => this.receive(delivery));
      Object.assign(this.info, { ingress: 'core' });
      this.log({ level: 'info', code: 'serving', subject, message: `serving ${subject} in queue group ${queueGroup}` });
    }
  }

  /** Messages accepted but not yet answered, plus replies not yet confirmed by the server. */
  get backlog(): number {
    return this.pendingTurns + this.egress.outbox.pending;
  }

  /** Stops taking ingress, finishes the turns in hand and waits (up to `timeoutMs`) for their replies to be delivered. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.stopping = true;
    await withTimeout(this.ready, timeoutMs);
    await this.source?.stop();
    await withTimeout(Promise.all([...this.sessionTails.values()]), deadline - Date.now());
    await this.egress.outbox.whenIdle(Math.max(0, deadline - Date.now()));
    this.stopFollowing();
    this.summarize();
    this.log({ level: 'info', code: 'stopped', subject: this.info.subject, message: `stopped serving ${this.info.subject}` });
  }

  private log(event: Omit<NatsBridgeEvent, 'stats'>): void {
    this.onEvent({ ...event, stats: { ...this.stats } });
  }

  /** Logs how many turns were answered since the last summary; called at most every SERVED_SUMMARY_MS. */
  private summarize(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = null;
    const completed = this.stats.completed - this.summarized.completed;
    const failed = this.stats.failed - this.summarized.failed;
    if (completed + failed === 0) return;
    this.summarized = { completed: this.stats.completed, failed: this.stats.failed };
    const turns = completed + failed;
    this.log({
      level: 'info',
      code: 'served',
      subject: this.info.subject,
      message: `served ${turns} turn${turns === 1 ? '' : 's'}${failed > 0 ? ` (${failed} failed)` : ''}`,
    });
  }

  private scheduleSummary(): void {
    this.summaryTimer ??= setTimeout(() => this.summarize(), SERVED_SUMMARY_MS);
  }

  private receive(delivery: IngressDelivery): void {
    this.stats.received += 1;
    this.telemetry()?.message('nats', 'in');
    let accepted: AcceptedIngress;
    let subject: ParsedMessagingSubject | null;
    try {
      subject = parseMessagingSubject(delivery.subject);
      if (!subject) throw new IngressRejection('invalid', 'not a greentic messaging subject');
      if (this.pendingTurns >= this.maxPendingTurns) {
        // Redelivered later where JetStream keeps it; lost otherwise, and said so.
        if (delivery.retry(FIRST_RETRY_MS)) return;
        throw new IngressRejection('invalid', `the runner is overloaded (${this.pendingTurns} turns waiting)`);
      }
      accepted = acceptIngress(delivery.data, subject, this.maxIngressBytes);
    } catch (error) {
      delivery.reject();
      this.stats.rejected += 1;
      const message = error instanceof Error ? error.message : String(error);
      this.log({ level: 'error', code: 'rejected', subject: delivery.subject, message: `ingress rejected: ${message}` });
      return;
    }
    this.enqueue(accepted, subject, delivery);
  }

  private enqueue(accepted: AcceptedIngress, subject: ParsedMessagingSubject, delivery: IngressDelivery): void {
    const key = accepted.turn.sessionKey;
    this.pendingTurns += 1;
    const previous = this.sessionTails.get(key) ?? Promise.resolve();
    const tail = previous.then(() => this.handle(accepted, subject, delivery)).finally(() => {
      this.pendingTurns -= 1;
      if (this.sessionTails.get(key) === tail) this.sessionTails.delete(key);
    });
    this.sessionTails.set(key, tail);
  }

  private async handle(accepted: AcceptedIngress, subject: ParsedMessagingSubject, delivery: IngressDelivery): Promise<void> {
    const heartbeat = delivery.heartbeatMs === null ? null : setInterval(() => delivery.working(), delivery.heartbeatMs);
    try {
      const outcome = await this.runTurn(accepted, delivery);
      const ingressSubject = messagingSubject('ingress', subject);
      const sessionKey = accepted.turn.sessionKey;
      if (outcome.status === 'failed' && outcome.retryable) {
        const delay = Math.min(FIRST_RETRY_MS * 2 ** (delivery.attempt - 1), MAX_RETRY_MS);
        if (delivery.retry(delay)) {
          this.log({ level: 'warn', code: 'turn_retry', subject: ingressSubject, message: `turn of session ${sessionKey} will be retried in ${delay} ms: ${outcome.error ?? 'unknown reason'}` });
          return;
        }
      }
      let messages;
      if (outcome.status === 'failed') {
        this.stats.failed += 1;
        const reason = outcome.error ?? 'the flow failed';
        this.log({ level: 'error', code: 'turn_failed', subject: ingressSubject, message: `turn of session ${sessionKey} failed: ${reason}` });
        messages = outMessagesFor(accepted, [...outcome.replies, { type: 'text', text: TURN_FAILED_TEXT }], {
          error_kind: outcome.retryable ? 'runner_unavailable' : 'flow_failed',
          error_message: reason,
        });
      } else {
        if (outcome.duplicate) {
          this.log({ level: 'info', code: 'duplicate', subject: ingressSubject, message: `message ${accepted.msgId} was handled before: its replies are sent again, the turn is not run again` });
        } else this.stats.completed += 1;
        messages = outMessagesFor(accepted, outcome.replies);
      }
      this.scheduleSummary();
      const egressSubject = messagingSubject('egress', subject);
      const publish = (headers: TraceHeaders | undefined) =>
        this.egress.publish(
          messages.map((message) => ({
            subject: egressSubject,
            data: encoder.encode(JSON.stringify(message)),
            msgId: String(message.meta.msg_id),
            ...(headers?.traceparent ? { headers: { ...headers } } : {}),
          })),
        );
      // Without tracing the gateway's context still goes on, so its trace is not cut here.
      const carried = outcome.traceHeaders ?? delivery.traceHeaders;
      const telemetry = this.telemetry();
      await (telemetry ? telemetry.publishing(egressSubject, carried, messages.length, publish) : publish(carried));
      delivery.done();
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  private async runTurn(accepted: AcceptedIngress, delivery: IngressDelivery): Promise<TurnOutcome> {
    const turn = { ...accepted.turn, subject: delivery.subject, ...(delivery.traceHeaders ? { traceHeaders: delivery.traceHeaders } : {}) };
    try {
      return await this.runner.runTurn(turn, this.turnOptions);
    } catch (error) {
      return { status: 'failed', replies: [], error: error instanceof Error ? error.message : String(error) };
    }
  }
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
