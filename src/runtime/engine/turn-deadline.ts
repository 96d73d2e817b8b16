/**
 * When a turn must end. Checked between steps against the monotonic clock; components, which run
 * elsewhere, get the remaining time as an epoch deadline and an abort signal. The signal (a timer)
 * is made only when a component is called: most turns never call one, and a timer per turn would
 * cost more than the turn.
 */
export class TurnDeadline {
  /** `performance.now()` at which the turn has run out of time (moved on by debugger pauses). */
  private end: number;
  /** The same moment in epoch milliseconds, for component contexts. */
  private endEpochMs: number;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unlisten: (() => void) | null = null;
  /** Set by the timer, which may fire a fraction of a millisecond before `at` by the other clock. */
  private fired = false;

  constructor(
    readonly limitMs: number,
    /** The caller's own cancellation, if any. */
    private readonly outer?: AbortSignal,
  ) {
    this.end = performance.now() + limitMs;
    this.endEpochMs = Date.now() + limitMs;
  }

  get at(): number {
    return this.end;
  }

  get epochMs(): number {
    return this.endEpochMs;
  }

  /**
   * Stops the clock while the debugger holds the turn: time spent paused is not the turn's. Returns
   * the function that starts it again.
   */
  suspend(): () => void {
    const since = performance.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return () => {
      const paused = performance.now() - since;
      this.end += paused;
      this.endEpochMs += paused;
      if (this.controller && !this.fired) this.arm(this.controller);
    };
  }

  get expired(): boolean {
    return this.fired || performance.now() > this.at;
  }

  /** Out of time, or cancelled by the caller. */
  get aborted(): boolean {
    return this.expired || this.outer?.aborted === true;
  }

  /** Aborted at the deadline or when the caller cancels, whichever comes first. */
  signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const outer = this.outer;
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer) {
      const onAbort = () => controller.abort(outer.reason);
      outer.addEventListener('abort', onAbort, { once: true });
      this.unlisten = () => outer.removeEventListener('abort', onAbort);
    }
    this.arm(controller);
    return controller.signal;
  }

  private arm(controller: AbortController): void {
    this.timer = setTimeout(() => {
      this.fired = true;
      controller.abort(new Error('turn_timeout'));
    }, Math.max(0, this.end - performance.now()));
    this.timer.unref();
  }

  /** Stops the timer and the listener once the turn is over. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unlisten?.();
    this.timer = null;
    this.unlisten = null;
  }
}
