/**
 * Where the bridge's ingress comes from: a core NATS queue subscription, or, when a JetStream
 * stream captures the ingress subjects, one durable pull consumer shared by every runner of the
 * queue group. Either way the bridge sees deliveries it settles once their turn is over; only
 * JetStream makes settling mean something (an unsettled delivery comes back, to any runner).
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { millis, nanos, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { traceHeadersFrom, type TraceHeaders } from '../../telemetry/propagation';

export interface IngressDelivery {
  subject: string;
  data: Uint8Array;
  /** The W3C trace context in the message's headers, if any. */
  traceHeaders?: TraceHeaders;
  /** 1 for the first delivery, more for redeliveries. */
  readonly attempt: number;
  /** The turn is over (session saved, replies handed to egress): never deliver it again. */
  done(): void;
  /** Deliver it again after `delayMs` (to any runner), or report false when this was the last try. */
  retry(delayMs: number): boolean;
  /** It can never succeed (bad ingress): never deliver it again. */
  reject(): void;
  /** The turn is still running: keep the delivery from timing out. */
  working(): void;
  /** How often to call `working` while the turn runs; null when nothing times out. */
  readonly heartbeatMs: number | null;
}

export interface IngressSource {
  readonly kind: 'core' | 'jetstream';
  /** The JetStream stream and durable consumer, when consuming from one. */
  readonly stream?: string;
  readonly consumer?: string;
  /** Stops taking new deliveries (those in hand may still be settled). */
  stop(): Promise<void>;
}

/** Settings of the durable consumer the first runner creates; a consumer an operator made is used as it is. */
export const DEFAULT_CONSUMER = { ackWaitMs: 30_000, maxDeliver: 20, maxAckPending: 1_000 };

export function subscribeCore(nc: NatsConnection, subject: string, queueGroup: string, deliver: (delivery: IngressDelivery) => void): IngressSource {
  const noop = () => undefined;
  const subscription: Subscription = nc.subscribe(subject, {
    queue: queueGroup,
    callback: (error, msg) => {
      if (error) return;
      deliver({ subject: msg.subject, data: msg.data, ...traced(msg.headers), attempt: 1, done: noop, retry: () => false, reject: noop, working: noop, heartbeatMs: null });
    },
  });
  return {
    kind: 'core',
    stop: async () => {
      if (!nc.isClosed()) await subscription.drain().catch(() => undefined);
    },
  };
}

/** The stream capturing `subject`, or null when none does (or the server has no JetStream). */
export async function findIngressStream(nc: NatsConnection, subject: string, timeoutMs = 5_000): Promise<string | null> {
  try {
    const manager = await jetstreamManager(nc, { checkAPI: false, timeout: timeoutMs });
    return await manager.streams.find(subject);
  } catch {
    return null;
  }
}

/** The durable consumer's name for one queue group and scope: JetStream names allow no dots or wildcards. */
export function durableName(queueGroup: string, scope: { env: string; tenant: string; team: string }): string {
  return [queueGroup, scope.env, scope.tenant, scope.team].map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_')).join('_');
}

/**
 * Consumes `subject` from `stream` through the durable consumer `durable` (created on first use,
 * filtered to the subject), at most `maxInFlight` deliveries in hand at once.
 */
export async function consumeJetStream(
  nc: NatsConnection,
  options: { stream: string; durable: string; subject: string; maxInFlight: number },
  deliver: (delivery: IngressDelivery) => void,
  onError: (message: string) => void,
): Promise<IngressSource> {
  const manager = await jetstreamManager(nc, { checkAPI: false });
  let info = await manager.consumers.info(options.stream, options.durable).catch(() => null);
  info ??= await manager.consumers.add(options.stream, {
    durable_name: options.durable,
    filter_subject: options.subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(DEFAULT_CONSUMER.ackWaitMs),
    max_deliver: DEFAULT_CONSUMER.maxDeliver,
    max_ack_pending: DEFAULT_CONSUMER.maxAckPending,
  });
  const ackWaitMs = millis(info.config.ack_wait ?? nanos(DEFAULT_CONSUMER.ackWaitMs));
  const maxDeliver = info.config.max_deliver ?? -1;
  const consumer = await jetstream(nc).consumers.get(options.stream, options.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: options.maxInFlight });
  const heartbeatMs = Math.max(100, Math.floor(ackWaitMs / 3));
  void (async () => {
    for await (const msg of messages) deliver(jetStreamDelivery(msg, maxDeliver, heartbeatMs));
  })().catch((error: unknown) => onError(`JetStream consumer ${options.durable} stopped: ${error instanceof Error ? error.message : String(error)}`));
  return {
    kind: 'jetstream',
    stream: options.stream,
    consumer: options.durable,
    stop: async () => {
      await messages.close().catch(() => undefined);
    },
  };
}

function jetStreamDelivery(msg: JsMsg, maxDeliver: number, heartbeatMs: number): IngressDelivery {
  return {
    subject: msg.subject,
    data: msg.data,
    ...traced(msg.headers),
    attempt: msg.info.deliveryCount,
    done: () => msg.ack(),
    retry: (delayMs) => {
      if (maxDeliver > 0 && msg.info.deliveryCount >= maxDeliver) return false;
      msg.nak(delayMs);
      return true;
    },
    reject: () => msg.term(),
    working: () => msg.working(),
    heartbeatMs,
  };
}

function traced(headers: MsgHdrs | undefined): { traceHeaders?: TraceHeaders } {
  if (!headers) return {};
  const traceHeaders = traceHeadersFrom((name) => (headers.has(name) ? headers.get(name) : undefined));
  return traceHeaders ? { traceHeaders } : {};
}
