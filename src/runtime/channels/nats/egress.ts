import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConfirmedOutbox, DEFAULT_OUTBOX_LIMITS, natsHeaders, type OutboxLimits } from './outbox';

export interface EgressOptions {
  /** 'auto' publishes with acknowledgement when a JetStream stream captures the subject; 'off' never does. */
  jetstream: 'auto' | 'off';
  /** How long a JetStream publish is retried (through reconnects) before the reply counts as dropped. */
  retryForMs: number;
  /** How long one JetStream publish (or stream lookup) waits for the server's answer. */
  ackTimeoutMs: number;
  outbox: OutboxLimits;
  /** How long a "this subject has (no) stream" answer is trusted. */
  streamLookupTtlMs: number;
}

export const DEFAULT_EGRESS_OPTIONS: EgressOptions = {
  jetstream: 'auto',
  retryForMs: 60_000,
  ackTimeoutMs: 5_000,
  outbox: DEFAULT_OUTBOX_LIMITS,
  streamLookupTtlMs: 30_000,
};

export interface EgressReport {
  dropped(subject: string, reason: string): void;
  retrying(subject: string, reason: string): void;
}

export interface EgressItem {
  subject: string;
  data: Uint8Array;
  /** JetStream de-duplication id, so a retried publish is stored once. */
  msgId: string;
  /** NATS headers of the message (the trace context). */
  headers?: Record<string, string>;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2_000;

/**
 * Publishes egress without losing it: with acknowledgement and retry where a JetStream stream (such
 * as upstream's `messaging-egress-{env}`) captures the subject, through the confirmed outbox otherwise.
 */
export class EgressPublisher {
  readonly outbox: ConfirmedOutbox;
  private readonly js: JetStreamClient;
  private manager: Promise<JetStreamManager | null> | null = null;
  /** Per subject: the last answer to "does a stream capture it?", and the lookup in flight, if any. */
  private readonly streams = new Map<string, { captured: boolean; until: number }>();
  private readonly lookups = new Map<string, Promise<boolean>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly report: EgressReport,
    private readonly options: EgressOptions = DEFAULT_EGRESS_OPTIONS,
  ) {
    this.outbox = new ConfirmedOutbox(nc, report.dropped, options.outbox);
    this.js = jetstream(nc);
  }

  /** Publishes `items` in order; resolves when each is acknowledged or handed to the outbox. */
  async publish(items: EgressItem[]): Promise<void> {
    for (const item of items) {
      const captured = this.knownCapture(item.subject) ?? (await this.lookUpCapture(item.subject));
      if (captured) await this.publishAcknowledged(item);
      else this.outbox.publish(item.subject, item.data, item.headers);
    }
  }

  private async publishAcknowledged(item: EgressItem): Promise<void> {
    const deadline = Date.now() + this.options.retryForMs;
    let delay = FIRST_RETRY_DELAY_MS;
    for (;;) {
      try {
        await this.js.publish(item.subject, item.data, {
          msgID: item.msgId,
          timeout: this.options.ackTimeoutMs,
          ...(item.headers ? { headers: natsHeaders(item.headers) } : {}),
        });
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (this.nc.isClosed() || Date.now() + delay > deadline) {
          this.report.dropped(item.subject, `JetStream did not acknowledge it: ${reason}`);
          return;
        }
        this.report.retrying(item.subject, reason);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  /**
   * Whether a stream captures `subject`, when that is known without asking the server. An answer
   * past its time is still used while a fresh lookup runs in the background, so replies never wait
   * for the lookup again once the first one answered.
   */
  private knownCapture(subject: string): boolean | undefined {
    if (this.options.jetstream === 'off') return false;
    const known = this.streams.get(subject);
    if (!known) return undefined;
    if (known.until <= Date.now()) void this.lookUpCapture(subject);
    return known.captured;
  }

  /** One lookup per subject at a time, shared by every reply that needs its answer. */
  private lookUpCapture(subject: string): Promise<boolean> {
    // Offline, a lookup would only time out; the outbox is safe for either answer.
    if (!this.outbox.online) return Promise.resolve(this.streams.get(subject)?.captured ?? false);
    let lookup = this.lookups.get(subject);
    if (!lookup) {
      lookup = this.lookUpStream(subject).then((captured) => {
        this.lookups.delete(subject);
        if (captured !== null) this.streams.set(subject, { captured, until: Date.now() + this.options.streamLookupTtlMs });
        return captured ?? this.streams.get(subject)?.captured ?? false;
      });
      this.lookups.set(subject, lookup);
    }
    return lookup;
  }

  /** true / false when the server answered; null when it could not (the outbox is the safe choice then). */
  private async lookUpStream(subject: string): Promise<boolean | null> {
    this.manager ??= jetstreamManager(this.nc, { checkAPI: false, timeout: this.options.ackTimeoutMs }).catch(() => null);
    const manager = await this.manager;
    if (!manager) return false;
    try {
      await manager.streams.find(subject);
      return true;
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const message = error instanceof Error ? error.message : '';
      if (name === 'StreamNotFoundError' || /no stream matches|no responders|not enabled/i.test(message)) return false;
      return null;
    }
  }
}
