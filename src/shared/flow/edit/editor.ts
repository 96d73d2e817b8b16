/**
 * Surgical edits of a YAML document: each primitive replaces only the text of what it changes
 * (a key, a scalar, one entry), so comments, key order, quoting and blank lines elsewhere stay
 * byte for byte. Primitives queue text edits; `result()` applies them to the original text.
 */
import { isMap, isScalar, isSeq, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextEdit } from '../diagnostic';
import type { ParsedFlow } from '../parse';
import { findPair, pairKey } from '../source';
import { DEFAULT_STYLE, detectStyle, renderAfterKey, renderEntry, renderInlineScalar, renderKey, type YamlStyle } from './render';
import { applyTextEdits, columnOf, indentOf, isBlankLine, isCommentLine, lineAt, lineEnd, lineStart, nextLineStart } from './text';

type Ranged = Node & { range: [number, number, number] };

function hasRange(node: unknown): node is Ranged {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

export class YamlEditor {
  readonly text: string;
  readonly doc: Document;
  readonly style: YamlStyle;
  private readonly edits: TextEdit[] = [];

  constructor(parsed: ParsedFlow) {
    if (!parsed.doc) throw new Error('document not parsed');
    this.text = parsed.text;
    this.doc = parsed.doc;
    this.style = parsed.doc ? detectStyle(parsed.doc, parsed.text) : DEFAULT_STYLE;
  }

  get root(): YAMLMap | null {
    return isMap(this.doc.contents) ? this.doc.contents : null;
  }

  replace(offset: number, endOffset: number, text: string): void {
    this.edits.push({ offset, endOffset, text });
  }

  result(): string {
    return applyTextEdits(this.text, this.edits);
  }

  /** Column of a pair's key. */
  keyCol(pair: Pair): number {
    return hasRange(pair.key) ? columnOf(this.text, pair.key.range[0]) : 0;
  }

  /** Offset of the end of the last line that belongs to a pair (before its line break). */
  contentEnd(pair: Pair): number {
    const keyNode = pair.key as Node;
    let end = Math.max(hasRange(keyNode) ? keyNode.range[1] : 0, hasRange(pair.value) ? pair.value.range[1] : 0);
    const keyCol = this.keyCol(pair);
    for (;;) {
      while (end > 0 && /\s/.test(this.text[end - 1] ?? '')) end -= 1;
      const start = lineStart(this.text, end);
      const line = lineAt(this.text, start);
      // A comment at or left of the key's column introduces what follows, not this entry.
      if (isCommentLine(line) && indentOf(line) <= keyCol && start > (hasRange(keyNode) ? keyNode.range[0] : 0)) {
        end = start;
        continue;
      }
      return lineEnd(this.text, end);
    }
  }

  /** The lines of a block-map entry with the comments just above it (and, if asked, one side's blank lines). */
  entrySpan(pair: Pair, withBlankLines: boolean): { start: number; end: number } {
    const keyStart = hasRange(pair.key) ? pair.key.range[0] : 0;
    const keyCol = this.keyCol(pair);
    let start = lineStart(this.text, keyStart);
    while (start > 0) {
      const previous = lineStart(this.text, start - 1);
      const line = lineAt(this.text, previous);
      if (!isCommentLine(line) || indentOf(line) !== keyCol) break;
      start = previous;
    }
    let end = nextLineStart(this.text, this.contentEnd(pair));
    if (!withBlankLines) return { start, end };
    const blankBefore = start > 0 && isBlankLine(lineAt(this.text, lineStart(this.text, start - 1)));
    if (blankBefore) {
      while (start > 0 && isBlankLine(lineAt(this.text, lineStart(this.text, start - 1)))) start = lineStart(this.text, start - 1);
    } else {
      while (end < this.text.length && isBlankLine(lineAt(this.text, end))) end = nextLineStart(this.text, end);
    }
    return { start, end };
  }

  /** Replaces a pair's value, keeping its key as written. */
  setValue(pair: Pair, value: unknown): void {
    if (!hasRange(pair.key)) throw new Error('key without position');
    const keyEnd = pair.key.range[1];
    this.replace(keyEnd, this.contentEnd(pair), `:${renderAfterKey(value, this.keyCol(pair), this.style)}`);
  }

  /** Sets `key` in a mapping: replaces the value when present, else inserts the entry after `after` (or last). */
  set(map: YAMLMap, parentPair: Pair | null, key: string, value: unknown, after?: string | null): void {
    const existing = findPair(map, key);
    // A quoted string edited stays quoted: the diff shows the new words, not a change of style.
    if (existing && isQuotedString(existing.value) && typeof value === 'string' && !value.includes('\n')) return this.replaceScalar(existing.value, value);
    if (existing) return this.setValue(existing, value);
    this.insert(map, parentPair, key, value, after);
  }

  /** Inserts an entry into a block mapping after the entry `after` (null: first; undefined: last). */
  insert(map: YAMLMap, parentPair: Pair | null, key: string, value: unknown, after?: string | null, blankLineBefore = false): void {
    if (map.flow || map.items.length === 0) {
      if (!parentPair) throw new Error('cannot insert into a flow mapping at the document root');
      return this.setValue(parentPair, { ...plainObject(map, this.doc), [key]: value });
    }
    const items = map.items as Pair[];
    const anchor = after === null ? null : after === undefined ? items[items.length - 1] : (findPair(map, after) ?? items[items.length - 1]);
    const col = this.keyCol(items[0] as Pair);
    const entry = `${' '.repeat(col)}${renderEntry(key, value, col, this.style)}\n`;
    if (anchor) {
      const at = this.contentEnd(anchor);
      const needsBreak = at >= this.text.length || this.text[at] !== '\n';
      const offset = needsBreak ? at : at + 1;
      this.replace(offset, offset, `${needsBreak ? '\n' : ''}${blankLineBefore ? '\n' : ''}${entry}`);
    } else {
      // Before the first entry and the comments that introduce it.
      const offset = this.entrySpan(items[0] as Pair, false).start;
      this.replace(offset, offset, `${entry}${blankLineBefore ? '\n' : ''}`);
    }
  }

  /**
   * Removes an entry; the last entry of a mapping leaves `{}` behind. `withBlankLines` also takes
   * the blank lines that set the entry apart, so that blocks separated by blank lines stay so.
   */
  remove(map: YAMLMap, parentPair: Pair | null, key: string, options: { withBlankLines?: boolean } = {}): void {
    const pair = findPair(map, key);
    if (!pair) return;
    if (map.flow || map.items.length === 1) {
      if (!parentPair) throw new Error('cannot empty the document root');
      const rest = plainObject(map, this.doc);
      delete rest[key];
      return this.setValue(parentPair, rest);
    }
    const { start, end } = this.entrySpan(pair, options.withBlankLines ?? false);
    this.replace(start, end, '');
  }

  /** Renames a key in place, keeping its quoting style. */
  renameKey(pair: Pair, key: string): void {
    if (!hasRange(pair.key)) throw new Error('key without position');
    this.replace(pair.key.range[0], pair.key.range[1], isScalar(pair.key) ? this.scalarText(pair.key, key) : renderKey(key));
  }

  /** Replaces a string scalar in place, keeping its quoting style. */
  replaceScalar(node: Node, value: string): void {
    if (!hasRange(node)) throw new Error('scalar without position');
    this.replace(node.range[0], node.range[1], isScalar(node) ? this.scalarText(node, value) : renderInlineScalar(value));
  }

  private scalarText(node: Scalar, value: string): string {
    if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    return renderKey(value);
  }
}

function isQuotedString(node: unknown): node is Scalar {
  return isScalar(node) && typeof node.value === 'string' && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
}

/** A mapping's current content as plain data. */
function plainObject(map: YAMLMap, doc: Document): Record<string, unknown> {
  const value: unknown = map.toJS(doc, { maxAliasCount: 100 });
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

export function mapAt(node: unknown): YAMLMap | null {
  return isMap(node) ? node : null;
}

export { findPair, isSeq, pairKey };
