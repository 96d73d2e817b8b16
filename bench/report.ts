/** Shared printing for benchmarks: one aligned line per figure, goals shown as pass / MISS. */

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Optional goal: the figure must be at most (or at least) this value. */
  goal?: { max?: number; min?: number };
  /** Optional baseline figure for a ratio (value / baseline). */
  baseline?: number;
}

export function printFigure(figure: Figure): void {
  const value = figure.value >= 100 ? figure.value.toFixed(0) : figure.value.toFixed(3);
  const ratio = figure.baseline ? `  ratio ${(figure.value / figure.baseline).toFixed(2)}x` : '';
  let goal = '';
  if (figure.goal) {
    const ok =
      (figure.goal.max === undefined || figure.value <= figure.goal.max) &&
      (figure.goal.min === undefined || figure.value >= figure.goal.min);
    const bound = figure.goal.max !== undefined ? `<= ${figure.goal.max}` : `>= ${figure.goal.min}`;
    goal = `  goal ${bound} ${figure.unit}: ${ok ? 'pass' : 'MISS'}`;
  }
  process.stdout.write(`${figure.name.padEnd(56)} ${value.padStart(12)} ${figure.unit}${ratio}${goal}\n`);
}

/** Median wall time of `fn` in milliseconds over `runs` runs after `warmup` unmeasured ones. */
export async function medianMs(fn: () => unknown, runs = 20, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentile(times, 50);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}
