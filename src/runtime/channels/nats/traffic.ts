import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NatsTrafficEvent, NatsTrafficMessage } from '../../../shared/api';
import { parseMessagingSubject } from '../../../shared/nats/subjects';

export interface TrafficWatchOptions {
  /** Messages are pushed in batches at most this often. */
  batchMs: number;
  /** Messages per batch; beyond it they are counted as dropped, so a flood cannot swamp the UI. */
  maxBatch: number;
  /** Payload bytes shown per message. */
  previewBytes: number;
}

const utf8 = new TextDecoder();

export const DEFAULT_TRAFFIC_OPTIONS: TrafficWatchOptions = { batchMs: 100, maxBatch: 500, previewBytes: 16 * 1024 };

/** A live view of the messaging subjects matching one pattern, pushed to the UI in small batches. */
export class TrafficWatch {
  private readonly subscription: Subscription;
  private batch: NatsTrafficMessage[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    nc: NatsConnection,
    readonly id: string,
    readonly subject: string,
    private readonly push: (event: NatsTrafficEvent) => void,
    private readonly options: TrafficWatchOptions = DEFAULT_TRAFFIC_OPTIONS,
  ) {
    this.subscription = nc.subscribe(subject, { callback: (error, msg) => (error ? undefined : this.add(msg.subject, msg.data)) });
  }

  stop(): void {
    this.subscription.unsubscribe();
    this.flush();
  }

  private add(subject: string, data: Uint8Array): void {
    const parsed = parseMessagingSubject(subject);
    if (!parsed) return;
    if (this.batch.length >= this.options.maxBatch) this.dropped += 1;
    else {
      const truncated = data.length > this.options.previewBytes;
      this.batch.push({
        subject,
        direction: parsed.direction,
        env: parsed.env,
        tenant: parsed.tenant,
        team: parsed.team,
        platform: parsed.platform,
        receivedAt: new Date().toISOString(),
        size: data.length,
        payload: utf8.decode(truncated ? data.subarray(0, this.options.previewBytes) : data),
        truncated,
      });
    }
    this.timer ??= setTimeout(() => this.flush(), this.options.batchMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0 && this.dropped === 0) return;
    this.push({ watchId: this.id, messages: this.batch, dropped: this.dropped });
    this.batch = [];
    this.dropped = 0;
  }
}
