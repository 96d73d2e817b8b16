/**
 * Entries by id that end after a time without use, as Direct Line conversations do. Nothing runs per
 * entry: each use stamps the time, and one periodic `sweep` removes whatever has been idle too long.
 * An entry held by something ongoing (an open stream, a running turn) is never idle.
 */
interface Slot<T> {
  value: T;
  lastUsed: number;
  holds: number;
}

export class IdleTable<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(
    /** How long an entry may go unused, in milliseconds. */
    readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(idleMs > 0)) throw new RangeError(`the idle time must be a positive number of milliseconds, got ${idleMs}`);
  }

  get size(): number {
    return this.slots.size;
  }

  add(id: string, value: T): void {
    this.slots.set(id, { value, lastUsed: this.now(), holds: 0 });
  }

  /** The entry, marked as used now; undefined when there is none (never added, or swept). */
  use(id: string): T | undefined {
    const slot = this.slots.get(id);
    if (slot) slot.lastUsed = this.now();
    return slot?.value;
  }

  /**
   * Keeps the entry from going idle until the returned release is called; the idle time then counts
   * from the release. Releasing twice, or after the entry was deleted, does nothing.
   */
  hold(id: string): () => void {
    const slot = this.slots.get(id);
    if (!slot) return () => undefined;
    slot.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      slot.holds -= 1;
      slot.lastUsed = this.now();
    };
  }

  delete(id: string): boolean {
    return this.slots.delete(id);
  }

  /** Removes the entries unused for `idleMs` or longer and not held, and returns them. */
  sweep(): [string, T][] {
    const cutoff = this.now() - this.idleMs;
    const expired: [string, T][] = [];
    for (const [id, slot] of this.slots) {
      if (slot.holds > 0 || slot.lastUsed > cutoff) continue;
      this.slots.delete(id);
      expired.push([id, slot.value]);
    }
    return expired;
  }
}
