/** Flow metadata edits (`id`, `title`, `type`, `start`, `parameters`, ...) and new flow documents. */
import { isScalar, type Node } from 'yaml';
import { TOP_LEVEL_KEYS } from '../ir';
import { findPair, pairKey } from '../source';
import { EditRefused, runEdit, type EditContext, type EditResult, type FlowSource } from './context';
import { DEFAULT_STYLE, renderEntry } from './render';

export type FlowField = Exclude<(typeof TOP_LEVEL_KEYS)[number], 'nodes'>;

/**
 * Sets (or with `undefined` removes) a top-level key. A new key goes where upstream's canonical
 * order puts it relative to the keys already present; a string replacing a string keeps its quoting.
 */
export function setTopLevel(context: EditContext, key: string, value: unknown): void {
  const { editor, root } = context;
  const existing = findPair(root, key);
  if (value === undefined) {
    if (existing) editor.remove(root, null, key);
    return;
  }
  if (existing) {
    if (typeof value === 'string' && isScalar(existing.value) && typeof existing.value.value === 'string') {
      return editor.replaceScalar(existing.value as Node, value);
    }
    return editor.setValue(existing, value);
  }
  editor.insert(root, null, key, value, precedingKey(context, key));
}

/** The key present in the document after which `key` belongs in canonical order; null: first. */
function precedingKey(context: EditContext, key: string): string | null | undefined {
  const order = TOP_LEVEL_KEYS as readonly string[];
  const index = order.indexOf(key);
  if (index < 0) return undefined;
  const present = new Set(context.root.items.map((pair) => pairKey(pair)));
  for (let i = index - 1; i >= 0; i -= 1) if (present.has(order[i] as string)) return order[i] as string;
  const firstLater = order.slice(index + 1).some((k) => present.has(k));
  return firstLater ? null : undefined;
}

export function setFlowField(source: FlowSource, field: FlowField, value: unknown): EditResult {
  return runEdit(source, (context) => {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(field) || (field as string) === 'nodes') {
      throw new EditRefused('FIELD_INVALID', `'${String(field)}' is not a flow field that can be set here`);
    }
    if ((field === 'id' || field === 'type') && (typeof value !== 'string' || value === '')) {
      throw new EditRefused('FIELD_INVALID', `'${field}' must be a non-empty string`);
    }
    setTopLevel(context, field, value);
  });
}

export interface NewFlowOptions {
  id: string;
  type: string;
  title?: string;
  description?: string;
}

/** The text of a new flow: canonical key order, schema version 2, no nodes yet. */
export function createFlow(options: NewFlowOptions): string {
  const entries: Array<[string, unknown]> = [['id', options.id]];
  if (options.title !== undefined) entries.push(['title', options.title]);
  if (options.description !== undefined) entries.push(['description', options.description]);
  entries.push(['type', options.type], ['schema_version', 2], ['nodes', {}]);
  return entries.map(([key, value]) => `${renderEntry(key, value, 0, DEFAULT_STYLE)}\n`).join('');
}
