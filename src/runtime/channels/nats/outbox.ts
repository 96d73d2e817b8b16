import { headers as emptyHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';

export interface OutboxLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxMessages: 10_000, maxBytes: 64 * 1024 * 1024 };

interface Entry {
  subject: string;
  data: Uint8Array;
  headers?: Record<string, string>;
}

/**
 * Core NATS publishing that survives reconnects. The client empties its send buffer whenever it
 * dials again, so a publish made just before (or during) an outage is silently lost. Here every
 * message stays in a bounded queue until a later PING/PONG round trip proves the server received
 * it; whatever is unconfirmed when the connection drops is sent again after the reconnect. A
 * message may therefore arrive twice, never zero times, unless the queue is full or the connection
 * closes for good, and then `onDropped` says so.
 */
export class ConfirmedOutbox {
  private readonly entries: Entry[] = [];
  private bytes = 0;
  /** entries[0, sent) were handed to the client since the connection was last (re)established. */
  private sent = 0;
  private connected = true;
  private flushing = false;
  /** Bumped on every connection loss, so a flush from before it cannot confirm anything after it. */
  private epoch = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly onDropped: (subject: string, reason: string) => void,
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
  ) {}

  /** False between a connection loss and the reconnect. */
  get online(): boolean {
    return this.connected;
  }

  get pending(): number {
    return this.entries.length;
  }

  publish(subject: string, data: Uint8Array, headers?: Record<string, string>): void {
    if (this.closed) {
      this.onDropped(subject, 'the NATS connection is closed');
      return;
    }
    if (this.entries.length >= this.limits.maxMessages || this.bytes + data.length > this.limits.maxBytes) {
      this.onDropped(subject, `the outbox is full (${this.entries.length} messages, ${this.bytes} bytes waiting for the server)`);
      return;
    }
    this.entries.push({ subject, data, ...(headers ? { headers } : {}) });
    this.bytes += data.length;
    if (this.connected) this.sendUnsent();
  }

  /** The connection dropped: nothing unconfirmed can be trusted to have arrived. */
  connectionLost(): void {
    this.connected = false;
    this.sent = 0;
    this.epoch += 1;
  }

  connectionRestored(): void {
    if (this.closed) return;
    this.connected = true;
    this.sendUnsent();
  }

  /** The connection is gone for good: report and forget whatever is still waiting. */
  connectionClosed(): void {
    this.closed = true;
    this.connectionLost();
    for (const entry of this.entries.splice(0)) this.onDropped(entry.subject, 'the NATS connection closed before the server confirmed it');
    this.bytes = 0;
    this.notifyIdle();
  }

  /** Resolves true once every queued message is confirmed, false if `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.entries.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  private sendUnsent(): void {
    while (this.sent < this.entries.length) {
      const entry = this.entries[this.sent] as Entry;
      try {
        this.nc.publish(entry.subject, entry.data, entry.headers ? { headers: natsHeaders(entry.headers) } : undefined);
      } catch {
        // Closed or draining: the status watcher will call connectionClosed.
        return;
      }
      this.sent += 1;
    }
    this.confirm();
  }

  private confirm(): void {
    if (this.flushing || this.sent === 0) return;
    this.flushing = true;
    const epoch = this.epoch;
    const count = this.sent;
    const settle = (confirmed: boolean) => {
      this.flushing = false;
      if (epoch === this.epoch) {
        if (!confirmed) {
          this.connectionLost();
          return;
        }
        for (const entry of this.entries.splice(0, count)) this.bytes -= entry.data.length;
        this.sent -= count;
      }
      if (this.entries.length === 0) this.notifyIdle();
      else if (this.connected) this.sendUnsent();
    };
    this.nc.flush().then(
      () => settle(true),
      () => settle(false),
    );
  }

  private notifyIdle(): void {
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}

/** NATS message headers holding `values`. */
export function natsHeaders(values: Record<string, string>): MsgHdrs {
  const result = emptyHeaders();
  for (const [name, value] of Object.entries(values)) result.set(name, value);
  return result;
}
