/** Rendering new values as YAML text in the style of the file being edited. */
import { isSeq, stringify, visit, type Document } from 'yaml';
import { isObject } from '../json';
import { columnOf, indentLines } from './text';

export interface YamlStyle {
  /** Spaces per nesting level. */
  step: number;
  /** Whether block sequences under a key are indented (`key:\n  - a`) or not (`key:\n- a`). */
  indentSeq: boolean;
}

export const DEFAULT_STYLE: YamlStyle = { step: 2, indentSeq: true };

/** The style of the file, read from its first nested mapping and its first block sequence under a key. */
export function detectStyle(doc: Document, text: string): YamlStyle {
  const style = { ...DEFAULT_STYLE };
  let stepFound = false;
  let seqFound = false;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { range?: [number, number, number] } | null;
      const value = pair.value as { range?: [number, number, number]; flow?: boolean; items?: unknown[] } | null;
      if (!key?.range || !value?.range || value.flow || !Array.isArray(value.items) || value.items.length === 0) return undefined;
      const keyCol = columnOf(text, key.range[0]);
      const valueCol = columnOf(text, value.range[0]);
      if (isSeq(value)) {
        if (!seqFound) {
          style.indentSeq = valueCol > keyCol;
          seqFound = true;
        }
      } else if (!stepFound && valueCol > keyCol) {
        style.step = valueCol - keyCol;
        stepFound = true;
      }
      return stepFound && seqFound ? visit.BREAK : undefined;
    },
  });
  return style;
}

function isBlockCollection(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0);
}

function stringifyValue(value: unknown, style: YamlStyle): string {
  return stringify(value, { indent: style.step, indentSeq: style.indentSeq, lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
}

/** A mapping key as YAML writes it: plain when safe, quoted otherwise. */
export function renderKey(key: string): string {
  const text = stringifyValue(key, DEFAULT_STYLE);
  return text.includes('\n') ? JSON.stringify(key) : text;
}

/** A scalar as it appears after `key: ` (no line breaks; long strings are double-quoted). */
export function renderInlineScalar(value: string | number | boolean | null): string {
  const text = stringifyValue(value, DEFAULT_STYLE);
  return text.includes('\n') ? JSON.stringify(value) : text;
}

/**
 * What follows `key:` for `value`, for a key at column `keyCol`: ` scalar`, ` {}`, or a line break
 * and an indented block. No trailing line break.
 */
export function renderAfterKey(value: unknown, keyCol: number, style: YamlStyle): string {
  const text = stringifyValue(value, style);
  if (isBlockCollection(value)) {
    const childCol = keyCol + (Array.isArray(value) && !style.indentSeq ? 0 : style.step);
    return `\n${indentLines(text, childCol)}`;
  }
  const [first = '', ...rest] = text.split('\n');
  return rest.length === 0 ? ` ${first}` : ` ${first}\n${indentLines(rest.join('\n'), keyCol + style.step)}`;
}

/** A whole `key: value` entry at column `col`, without the leading indentation or a trailing line break. */
export function renderEntry(key: string, value: unknown, col: number, style: YamlStyle): string {
  return `${renderKey(key)}:${renderAfterKey(value, col, style)}`;
}
