/**
 * Per-node results kept across re-validations. The incremental re-parse hands every parse in which a
 * node's text is unchanged the very same loaded value object, so whatever is worked out from that
 * value alone (in a context the caller names) is kept on it and found again: checks of
 * 1,000 unchanged nodes cost a lookup each. Loaded values are read-only, so a kept result stays true
 * for as long as its value object lives; a whole-text parse makes new objects and starts afresh.
 */
import type { LineCounter } from 'yaml';
import type { Diagnostic, SourceRange, TextEdit } from './diagnostic';
import type { IrNode } from './ir';
import { rangeAt } from './source';

/** What is kept per value: one result per slot, for the context it was worked out in (a new context replaces it). */
interface Kept {
  context: string;
  result: unknown;
}

const kept = new WeakMap<object, Map<string, Kept>>();

function slotsOf(value: object): Map<string, Kept> {
  let slots = kept.get(value);
  if (!slots) {
    slots = new Map();
    kept.set(value, slots);
  }
  return slots;
}

/**
 * `compute()`, kept on the value object in `slot` for `context` (what else the result depends on);
 * computed every time for a value that is not an object.
 */
export function memoOnValue<T>(value: unknown, slot: string, compute: () => T, context = ''): T {
  if (typeof value !== 'object' || value === null) return compute();
  const slots = slotsOf(value);
  const known = slots.get(slot);
  if (known && known.context === context) return known.result as T;
  const result = compute();
  slots.set(slot, { context, result });
  return result;
}

/** Where a node's text sits in the current parse: its id's offset, and the end of its value. */
export interface NodeSpan {
  value: unknown;
  start: number;
  end: number;
}

/** A node's diagnostics with every offset taken from the node's start, so they can be placed wherever the node moved. */
interface KeptDiagnostics {
  relative: Diagnostic[];
}

function within(range: { offset: number; endOffset: number }, span: NodeSpan): boolean {
  return range.offset >= span.start && range.endOffset <= span.end;
}

function moveEdits(edits: readonly TextEdit[], by: number): TextEdit[] {
  return edits.map((edit) => ({ ...edit, offset: edit.offset + by, endOffset: edit.endOffset + by }));
}

function relativeRange(range: SourceRange, by: number): SourceRange {
  return { ...range, offset: range.offset + by, endOffset: range.endOffset + by };
}

/**
 * The diagnostics `compute()` finds in one node, kept relative to the node's start and placed again
 * (lines and columns from the current text) when the same node is checked at another place. Kept
 * only when every range falls inside the node, which is what makes placing them again exact.
 */
export function nodeDiagnostics(span: NodeSpan, lineCounter: LineCounter, slot: string, context: string, compute: () => Diagnostic[]): Diagnostic[] {
  if (typeof span.value !== 'object' || span.value === null) return compute();
  const slots = slotsOf(span.value);
  const known = slots.get(slot);
  if (!known || known.context !== context) {
    const found = compute();
    const inside = found.every((d) => !d.file && within(d.range, span) && (d.fix?.edits ?? []).every((edit) => within(edit, span)));
    slots.set(slot, { context, result: inside ? { relative: found.map((d) => moveDiagnostic(d, -span.start)) } : null });
    return found;
  }
  const relative = known.result as KeptDiagnostics | null;
  if (!relative) return compute();
  return relative.relative.map((d) => {
    const placed = moveDiagnostic(d, span.start);
    placed.range = rangeAt(lineCounter, placed.range.offset, placed.range.endOffset);
    return placed;
  });
}

function moveDiagnostic(diagnostic: Diagnostic, by: number): Diagnostic {
  const moved: Diagnostic = { ...diagnostic, range: relativeRange(diagnostic.range, by) };
  if (diagnostic.fix) moved.fix = { ...diagnostic.fix, edits: moveEdits(diagnostic.fix.edits, by) };
  return moved;
}

/** The span of a model node's text, for `nodeDiagnostics`. */
export function nodeSpan(node: IrNode): NodeSpan {
  return { value: node.raw, start: node.idRange.offset, end: node.range.endOffset };
}
