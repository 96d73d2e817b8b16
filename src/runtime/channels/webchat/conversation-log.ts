/**
 * The activities of one Direct Line conversation, numbered by watermark, with subscribers (the
 * WebSocket streams) told about new ones.
 *
 * Each activity is kept as its JSON text, serialised once when appended: polls and streams send
 * slices of the log without serialising again, and the log's size in bytes is known, so that it can
 * be bounded by bytes as well as by count.
 *
 * Appends made in the same turn of the event loop reach each stream as one activity set: a turn's
 * replies (and the user's message they answer, when the flow needs no I/O) go out in one WebSocket
 * frame and one write, rather than one per activity.
 *
 * While a turn runs, the bot is typing: streams get a `typing` activity when the turn starts (again
 * every few seconds, before Web Chat's indicator fades) and polls end with one. It is synthesised,
 * never stored, and consumes no watermark (channels.md §2.3).
 */
import { BOT_FROM } from './activities';

export type Activity = Record<string, unknown> & { id: string; type: string };

export interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

export interface LogLimits {
  /** Oldest activities are dropped beyond this many (default 10,000); watermarks keep counting. */
  maxActivities?: number;
  /** Oldest activities are dropped beyond this many bytes of JSON (default 4 MiB); the newest always stays. */
  maxBytes?: number;
}

export const DEFAULT_LOG_LIMITS: Required<LogLimits> = { maxActivities: 10_000, maxBytes: 4 * 1024 * 1024 };

/**
 * Dropped in batches, so that a long conversation does not move its whole log on every append: past
 * a limit, the log shrinks to this fraction below it.
 */
const TRIM_SLACK = 0.1;

/** Web Chat shows a typing indicator for 5 s; a longer turn raises it again before then. */
export const TYPING_REFRESH_MS = 4_000;

export class ConversationLog {
  /** The JSON of activities with consecutive watermarks, the first being `firstWatermark`. */
  private texts: string[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private firstWatermark = 1;
  private watermark = 0;
  private readonly listeners = new Set<() => void>();
  private flushQueued = false;
  private readonly conversationRef: { readonly id: string };
  private readonly limits: Required<LogLimits>;
  /** Turns running now: the bot is typing while there is one. */
  private typingTurns = 0;
  private typingCount = 0;
  private typingTimer: NodeJS.Timeout | null = null;
  private readonly typingSenders = new Set<(json: string) => void>();

  constructor(
    readonly conversationId: string,
    /** The token subject the conversation belongs to. */
    readonly owner: string,
    limits: LogLimits = {},
  ) {
    this.conversationRef = Object.freeze({ id: conversationId });
    this.limits = { ...DEFAULT_LOG_LIMITS, ...limits };
  }

  /**
   * Appends with the next watermark and an RFC 3339 timestamp, and returns the activity as stored.
   * `activity` itself is completed and serialised (callers pass an object of their own).
   * `id` is the activity's id, or a prefix for `<prefix>-<watermark>`.
   */
  append(activity: Record<string, unknown> & { type: string }, id: { id: string } | { prefix: string }): Activity {
    this.watermark += 1;
    const stored = activity as Activity;
    stored.id = 'id' in id ? id.id : `${id.prefix}-${this.watermark}`;
    stored.timestamp = new Date().toISOString();
    stored.conversation = this.conversationRef;
    stored.watermark = String(this.watermark);
    const text = JSON.stringify(stored);
    const size = Buffer.byteLength(text);
    this.texts.push(text);
    this.sizes.push(size);
    this.bytes += size;
    this.trim();
    if (this.listeners.size > 0 && !this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
    return stored;
  }

  /** The JSON of the activity set after `watermark` (all kept activities for -1 or undefined): a slice, not a scan. */
  since(watermark: number | undefined): string {
    const after = Math.floor(watermark ?? -1);
    const start = Math.max(0, after + 1 - this.firstWatermark);
    return activitySetJson(start >= this.texts.length ? [] : this.texts.slice(start), this.watermark);
  }

  /** What a poll after `watermark` gets: `since`, ending with a typing activity while a turn runs. */
  poll(watermark: number | undefined): string {
    if (this.typingTurns === 0) return this.since(watermark);
    const after = Math.floor(watermark ?? -1);
    const start = Math.max(0, after + 1 - this.firstWatermark);
    return activitySetJson([...(start >= this.texts.length ? [] : this.texts.slice(start)), this.typingJson()], this.watermark);
  }

  /** The bot is typing until the returned function is called (once per running turn). */
  raiseTyping(): () => void {
    this.typingTurns += 1;
    if (this.typingTurns === 1) {
      // After the appends queued so far (the user's message), and not at all if the turn is over by then.
      setImmediate(this.sendTyping);
      this.typingTimer = setInterval(this.sendTyping, TYPING_REFRESH_MS);
      this.typingTimer.unref();
    }
    let lowered = false;
    return () => {
      if (lowered) return;
      lowered = true;
      this.typingTurns -= 1;
      if (this.typingTurns === 0 && this.typingTimer) {
        clearInterval(this.typingTimer);
        this.typingTimer = null;
      }
    };
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /** Bytes of JSON the kept activities take. */
  get keptBytes(): number {
    return this.bytes;
  }

  /**
   * Sends the activities after `watermark` right away (when there are any), then every later one,
   * each as the JSON of an activity set: each activity once, in order.
   */
  subscribe(watermark: number | undefined, send: (json: string) => void): () => void {
    let sentUpTo = Math.floor(watermark ?? -1);
    const deliver = () => {
      if (this.watermark <= Math.max(sentUpTo, 0)) return;
      const json = this.since(sentUpTo);
      sentUpTo = this.watermark;
      send(json);
    };
    deliver();
    this.listeners.add(deliver);
    this.typingSenders.add(send);
    if (this.typingTurns > 0) send(activitySetJson([this.typingJson()], this.watermark));
    return () => {
      this.listeners.delete(deliver);
      this.typingSenders.delete(send);
    };
  }

  private readonly sendTyping = (): void => {
    if (this.typingTurns === 0 || this.typingSenders.size === 0) return;
    const json = activitySetJson([this.typingJson()], this.watermark);
    for (const send of this.typingSenders) send(json);
  };

  /** A fresh typing activity: its own id, so that no client takes it for one it has seen. */
  private typingJson(): string {
    this.typingCount += 1;
    return JSON.stringify({
      type: 'typing',
      id: `typing-${this.watermark}-${this.typingCount}`,
      from: BOT_FROM,
      conversation: this.conversationRef,
      timestamp: new Date().toISOString(),
    });
  }

  private trim(): void {
    const { maxActivities, maxBytes } = this.limits;
    const overCount = this.texts.length > maxActivities * (1 + TRIM_SLACK);
    if (!overCount && this.bytes <= maxBytes) return;
    const countGoal = overCount ? maxActivities : Number.POSITIVE_INFINITY;
    const bytesGoal = this.bytes > maxBytes ? maxBytes * (1 - TRIM_SLACK) : Number.POSITIVE_INFINITY;
    let dropped = 0;
    let droppedBytes = 0;
    // The newest activity stays, whatever its size: a client must see what it was just sent.
    while (dropped < this.texts.length - 1 && (this.texts.length - dropped > countGoal || this.bytes - droppedBytes > bytesGoal)) {
      droppedBytes += this.sizes[dropped] as number;
      dropped += 1;
    }
    this.texts = this.texts.slice(dropped);
    this.sizes = this.sizes.slice(dropped);
    this.bytes -= droppedBytes;
    this.firstWatermark += dropped;
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    for (const listener of this.listeners) listener();
  };
}

function activitySetJson(texts: readonly string[], watermark: number): string {
  return `{"activities":[${texts.join(',')}],"watermark":"${watermark}"}`;
}
