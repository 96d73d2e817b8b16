/**
 * Undo history of one document: every state the user can step back to. Consecutive changes of the
 * same group (typing in the YAML view) within a short pause merge into one step.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  group: string | null;
  at: number;
}

const MAX_STEPS = 500;
const MERGE_WINDOW_MS = 1000;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], group: null, at: 0 };
}

export function record<T>(history: History<T>, next: T, group: string | null = null, now = Date.now()): History<T> {
  const merges = group !== null && group === history.group && now - history.at <= MERGE_WINDOW_MS && history.past.length > 0;
  const past = merges ? history.past : [...history.past, history.present].slice(-MAX_STEPS);
  return { past, present: next, future: [], group, at: now };
}

export function undo<T>(history: History<T>): History<T> | null {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return null;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], group: null, at: 0 };
}

export function redo<T>(history: History<T>): History<T> | null {
  const [next, ...future] = history.future;
  if (next === undefined) return null;
  return { past: [...history.past, history.present], present: next, future, group: null, at: 0 };
}
