/**
 * Source positions: turning offsets of the `yaml` syntax tree into line/column ranges, and finding
 * the syntax node behind a JSON pointer so that every finding points at the text it is about.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceRange } from './diagnostic';

export function rangeAt(lineCounter: LineCounter, offset: number, endOffset: number): SourceRange {
  const start = lineCounter.linePos(offset);
  const end = lineCounter.linePos(Math.max(offset, endOffset));
  return { offset, endOffset: Math.max(offset, endOffset), line: start.line, col: start.col, endLine: end.line, endCol: end.col };
}

/** The range of a syntax node's value (without trailing comments and blank lines). */
export function nodeRange(lineCounter: LineCounter, node: Node | null | undefined, fallback: SourceRange): SourceRange {
  if (!node?.range) return fallback;
  return rangeAt(lineCounter, node.range[0], node.range[1]);
}

export type PathSegment = string | number;

/** Where a JSON pointer lands in the syntax tree: the pair that holds it (for map members) and its value. */
export interface PointerTarget {
  pair?: Pair;
  node?: Node;
}

export function pointerOf(path: readonly PathSegment[]): string {
  if (path.length === 0) return '';
  return path.map((seg) => '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function keyText(pair: Pair): string | null {
  const key = pair.key;
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return null;
}

/** Maps this large are looked up through an index (the `nodes` of a big flow, asked once per finding). */
const INDEXED_SIZE = 32;
const indexes = new WeakMap<object, Map<string, Pair>>();

/** The pair of a block or flow map whose key reads `key`; the last one when keys repeat, as in the loaded value. */
export function findPair(map: Node | null | undefined, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  if (map.items.length >= INDEXED_SIZE) return indexOf(map as YAMLMap<unknown, unknown>).get(key);
  let found: Pair | undefined;
  for (const item of map.items) if (keyText(item) === key) found = item;
  return found;
}

/** Parsed documents are never changed once read, so a map's index stays true. */
function indexOf(map: YAMLMap<unknown, unknown>): Map<string, Pair> {
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items as Pair[]) {
      const text = keyText(item);
      if (text !== null) index.set(text, item);
    }
    indexes.set(map, index);
  }
  return index;
}

export function pairKey(pair: Pair): string | null {
  return keyText(pair);
}

export function locate(doc: Document, path: readonly PathSegment[]): PointerTarget {
  let node: Node | null | undefined = doc.contents as Node | null;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isSeq(node) && typeof segment === 'number') {
      pair = undefined;
      node = node.items[segment] as Node | undefined;
    } else if (isMap(node)) {
      pair = findPair(node, String(segment));
      node = pair?.value as Node | null | undefined;
    } else {
      return { pair, node: node ?? undefined };
    }
    if (!pair && !node) return {};
  }
  return { pair, node: node ?? undefined };
}

/**
 * The best range for a finding about `path`: the value when it has text, else the key that names
 * it, else the nearest enclosing node that exists.
 */
export function rangeOfPath(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[], fallback: SourceRange, on: 'value' | 'key' = 'value'): SourceRange {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const target = locate(doc, path.slice(0, depth));
    const keyNode = target.pair && isPair(target.pair) ? (target.pair.key as Node | null) : null;
    if (on === 'key' && depth === path.length && keyNode?.range) return nodeRange(lineCounter, keyNode, fallback);
    if (target.node?.range) return nodeRange(lineCounter, target.node, fallback);
    if (keyNode?.range) return nodeRange(lineCounter, keyNode, fallback);
  }
  return fallback;
}
