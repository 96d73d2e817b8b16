/**
 * The activities of one Direct Line conversation, numbered by watermark, with subscribers (the
 * WebSocket streams) told about new ones.
 *
 * Appends made in the same turn of the event loop reach each stream as one activity set: a turn's
 * replies (and the user's message they answer, when the flow needs no I/O) go out in one WebSocket
 * frame and one write, rather than one per activity.
 */
export type Activity = Record<string, unknown> & { id: string; type: string };

export interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

/** Oldest activities are dropped beyond this many; watermarks keep counting. */
const MAX_KEPT_ACTIVITIES = 10_000;
/** Dropped in batches, so that a long conversation does not move its whole log on every append. */
const TRIM_SLACK = 1_000;

export class ConversationLog {
  /** Activities with consecutive watermarks, the first being `firstWatermark`. */
  private activities: Activity[] = [];
  private firstWatermark = 1;
  private watermark = 0;
  private readonly listeners = new Set<(activities: readonly Activity[]) => void>();
  private pending: Activity[] = [];
  private readonly conversationRef: { readonly id: string };

  constructor(
    readonly conversationId: string,
    /** The token subject the conversation belongs to. */
    readonly owner: string,
  ) {
    this.conversationRef = Object.freeze({ id: conversationId });
  }

  /**
   * Appends with the next watermark and an RFC 3339 timestamp, and returns the stored activity. The
   * log keeps `activity` itself (callers pass an object of their own, never to be changed again).
   * `id` is the activity's id, or a prefix for `<prefix>-<watermark>`.
   */
  append(activity: Record<string, unknown> & { type: string }, id: { id: string } | { prefix: string }): Activity {
    this.watermark += 1;
    const stored = activity as Activity;
    stored.id = 'id' in id ? id.id : `${id.prefix}-${this.watermark}`;
    stored.timestamp = new Date().toISOString();
    stored.conversation = this.conversationRef;
    stored.watermark = String(this.watermark);
    this.activities.push(stored);
    if (this.activities.length > MAX_KEPT_ACTIVITIES + TRIM_SLACK) {
      const dropped = this.activities.length - MAX_KEPT_ACTIVITIES;
      this.activities = this.activities.slice(dropped);
      this.firstWatermark += dropped;
    }
    if (this.listeners.size > 0) {
      if (this.pending.length === 0) setImmediate(this.flush);
      this.pending.push(stored);
    }
    return stored;
  }

  /** Activities after `watermark` (all of them for -1 or undefined): a slice, not a scan. */
  since(watermark: number | undefined): ActivitySet {
    const after = Math.floor(watermark ?? -1);
    const start = Math.max(0, after + 1 - this.firstWatermark);
    return { activities: start >= this.activities.length ? [] : this.activities.slice(start), watermark: String(this.watermark) };
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /**
   * Sends the activities after `watermark` right away (when there are any), then every later one:
   * each activity once, in order, whatever was pending when the subscriber arrived.
   */
  subscribe(watermark: number | undefined, send: (set: ActivitySet) => void): () => void {
    let sentUpTo = Math.floor(watermark ?? -1);
    const deliver = (activities: readonly Activity[]) => {
      const fresh = activities.filter((activity) => Number(activity.watermark) > sentUpTo);
      const last = fresh.at(-1);
      if (!last) return;
      sentUpTo = Number(last.watermark);
      send({ activities: fresh, watermark: last.watermark as string });
    };
    deliver(this.since(sentUpTo).activities);
    this.listeners.add(deliver);
    return () => this.listeners.delete(deliver);
  }

  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    for (const listener of this.listeners) listener(batch);
  };
}
