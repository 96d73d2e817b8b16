/**
 * The activities of one Direct Line conversation, numbered by watermark, with subscribers (the
 * WebSocket streams) told about every append.
 */
export type Activity = Record<string, unknown> & { id: string; type: string };

export interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

/** Oldest activities are dropped beyond this many; watermarks keep counting. */
const MAX_KEPT_ACTIVITIES = 10_000;

export class ConversationLog {
  private readonly activities: Activity[] = [];
  private readonly listeners = new Set<(set: ActivitySet) => void>();
  private watermark = 0;

  constructor(
    readonly conversationId: string,
    /** The token subject the conversation belongs to. */
    readonly owner: string,
  ) {}

  /** Appends with the next watermark and an RFC 3339 timestamp; `id` may use the watermark. */
  append(activity: Record<string, unknown> & { type: string; id?: string | ((watermark: number) => string) }): Activity {
    this.watermark += 1;
    const { id, ...rest } = activity as { id?: string | ((watermark: number) => string) } & Record<string, unknown>;
    const stored: Activity = {
      ...rest,
      id: typeof id === 'function' ? id(this.watermark) : (id ?? `${this.conversationId}|${this.watermark}`),
      type: activity.type,
      timestamp: new Date().toISOString(),
      conversation: { id: this.conversationId },
      watermark: String(this.watermark),
    };
    this.activities.push(stored);
    if (this.activities.length > MAX_KEPT_ACTIVITIES) this.activities.shift();
    const set = { activities: [stored], watermark: String(this.watermark) };
    for (const listener of this.listeners) listener(set);
    return stored;
  }

  /** Activities after `watermark` (all of them for -1 or undefined). */
  since(watermark: number | undefined): ActivitySet {
    const after = watermark ?? -1;
    return { activities: this.activities.filter((a) => Number(a.watermark) > after), watermark: String(this.watermark) };
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  subscribe(listener: (set: ActivitySet) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
