/**
 * Re-parsing a flow after an edit without parsing all of it again. The text is cut into a head,
 * one entry per node and a tail (see `segments.ts`); each node entry is parsed on its own and kept
 * by its text, so the next parse reuses every entry whose text did not change, moving its source
 * positions when the edit shifted it. The pieces are joined into one `yaml` Document and value
 * that are the same as a whole-text parse gives. Whenever a piece has a YAML error or an alias (whose
 * meaning can depend on other pieces), or the layout is not one the cut supports, the whole text
 * is parsed instead, so errors are always reported exactly as `parseFlow` reports them.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, YAMLMap, type Document, type Pair } from 'yaml';
import { INLINE_SOURCE, MAX_ALIAS_COUNT, MAX_FLOW_TEXT_LENGTH, parseFlow, YAML_PARSE_OPTIONS, type ParsedFlow, type ParseOptions } from '../parse';
import { splitFlowText, type FlowSegments } from './segments';

/** One node entry of the `nodes` mapping, parsed on its own, with positions valid at `start`. */
interface ParsedEntry {
  start: number;
  pair: Pair;
  /** Where the piece's document ends (after trailing comments and space). */
  end: number;
  key: string;
  value: unknown;
}

/** The node entries of the last parse, by their text. */
type EntryCache = Map<string, ParsedEntry>;

const entryCaches = new WeakMap<ParsedFlow, EntryCache>();
/** The key under which `yaml` tags every node with its kind (what `isMap`, `isScalar`, ... read). */
const NODE_TYPE = Symbol.for('yaml.node.type');

type Ranged = { range?: [number, number, number] | null };

/**
 * The parse of `text`, reusing the node entries of `previous` (the parse of an earlier version of
 * the same flow) where their text is unchanged. Equal to `parseFlow(text, options)`. The parsed
 * values are shared between the two results: treat them as read-only.
 */
export function reparseFlow(text: string, previous: ParsedFlow | null, options: ParseOptions = {}): ParsedFlow {
  const segments = text.length <= MAX_FLOW_TEXT_LENGTH ? splitFlowText(text) : null;
  const cache = (previous && entryCaches.get(previous)) ?? new Map<string, ParsedEntry>();
  const composed = segments ? composeOrNull(text, segments, cache, options) : null;
  if (composed) return composed;
  const whole = parseFlow(text, options);
  // While the text has an error, the entries of the last good parse stay ready for when it is fixed.
  if (cache.size > 0) entryCaches.set(whole, cache);
  return whole;
}

/** Anything a piece cannot survive (nesting too deep for the parser, say) is left to the whole-text parse, which reports it. */
function composeOrNull(text: string, segments: FlowSegments, cache: EntryCache, options: ParseOptions): ParsedFlow | null {
  try {
    return compose(text, segments, cache, options);
  } catch {
    return null;
  }
}

function compose(text: string, segments: FlowSegments, cache: EntryCache, options: ParseOptions): ParsedFlow | null {
  const head = parsePiece(text.slice(0, segments.nodesStart), 0);
  const root = head?.contents;
  if (!head || !isMap(root) || root.flow) return null;
  const nodesPair = root.items[root.items.length - 1];
  if (!nodesPair || !isScalar(nodesPair.key) || nodesPair.key.value !== 'nodes' || !isScalar(nodesPair.value) || nodesPair.value.value !== null) return null;

  const tail = segments.tailStart < text.length ? parsePiece(text.slice(segments.tailStart), segments.tailStart) : null;
  if (tail === undefined) return null;
  if (tail && (!isMap(tail.contents) || tail.contents.flow)) return null;

  const entries = new Map<string, ParsedEntry>();
  const pairs: Pair[] = [];
  const nodesValue: Record<string, unknown> = {};
  const { entryStarts, tailStart } = segments;
  // The next key's indentation closes an entry as it does in the whole text: `yaml` ends a trailing
  // comment's span where the next token starts, and that end is part of the enclosing ranges.
  const closing = ' '.repeat(segments.indent);
  let lastSource = '';
  for (let i = 0; i < entryStarts.length; i += 1) {
    const start = entryStarts[i] as number;
    const next = entryStarts[i + 1];
    const source = next === undefined ? text.slice(start, tailStart) : text.slice(start, next) + closing;
    const known = entries.get(source) ?? cache.get(source);
    const entry = known ? movedTo(known, start) : parseEntry(source, start);
    if (!entry) return null;
    entries.set(source, entry);
    lastSource = source;
    pairs.push(entry.pair);
    putEntry(nodesValue, entry.key, entry.value);
  }

  const value = head.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  value.nodes = nodesValue;
  if (tail) for (const [key, item] of Object.entries(tail.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>)) putEntry(value, key, item);

  const nodesMap = new YAMLMap(head.schema);
  nodesMap.items = pairs;
  const firstKey = (pairs[0] as Pair).key as Ranged;
  const lastEnd = endOf(pairs[pairs.length - 1] as Pair);
  nodesMap.range = [firstKey.range?.[0] ?? segments.nodesStart, lastEnd, lastEnd];
  nodesPair.value = nodesMap;
  const tailItems = tail ? (tail.contents as YAMLMap).items : [];
  root.items.push(...tailItems);
  const rootEnd = tailItems.length > 0 ? endOf(tailItems[tailItems.length - 1] as Pair) : lastEnd;
  if (root.range) root.range = [root.range[0], rootEnd, rootEnd];
  const lastEntry = entries.get(lastSource) as ParsedEntry;
  const documentEnd = tail?.range ? tail.range[2] + segments.tailStart : lastEntry.end;
  if (head.range) head.range = [head.range[0], rootEnd, documentEnd];

  const parsed: ParsedFlow = {
    text,
    sourceName: options.sourceName ?? INLINE_SOURCE,
    doc: head as Document.Parsed,
    lineCounter: countLines(text),
    value,
    diagnostics: [],
  };
  entryCaches.set(parsed, entries);
  return parsed;
}

/** A piece of the text parsed alone, its positions moved to `offset`; undefined when it has an error or an alias. */
function parsePiece(source: string, offset: number): Document | undefined {
  const doc = parseDocument(source, YAML_PARSE_OPTIONS);
  if (doc.errors.length > 0 || !shiftInPlace(doc.contents, offset)) return undefined;
  return doc;
}

function parseEntry(source: string, start: number): ParsedEntry | null {
  const doc = parsePiece(source, start);
  const map = doc?.contents;
  if (!doc || !isMap(map) || map.flow || map.items.length !== 1) return null;
  const entries = Object.entries(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>);
  const [key, value] = entries[0] ?? [];
  if (entries.length !== 1 || key === undefined) return null;
  return { start, pair: map.items[0] as Pair, end: (doc.range?.[2] ?? source.length) + start, key, value };
}

/** The entry as it reads at `start`: itself when it has not moved, else a copy with moved positions. */
function movedTo(entry: ParsedEntry, start: number): ParsedEntry {
  if (entry.start === start) return entry;
  return { ...entry, start, end: entry.end + start - entry.start, pair: shiftedCopy(entry.pair, start - entry.start) };
}

/** Moves every position of a freshly parsed subtree; false when it holds an alias. */
function shiftInPlace(node: unknown, delta: number): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (isAlias(node)) return false;
  if (isPair(node)) return shiftInPlace(node.key, delta) && shiftInPlace(node.value, delta);
  const ranged = node as Ranged;
  if (ranged.range && delta !== 0) ranged.range = [ranged.range[0] + delta, ranged.range[1] + delta, ranged.range[2] + delta];
  if (isMap(node) || isSeq(node)) return (node.items as unknown[]).every((item) => shiftInPlace(item, delta));
  return true;
}

/**
 * A copy of a parsed subtree with every position moved by `delta`; the original stays as it was.
 * Copies are made without the node classes' constructors, which define their type tag one
 * property at a time and made this the slowest step of a re-parse.
 */
function shiftedCopy<T>(node: T, delta: number): T {
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(node) as object) as object, node) as Record<PropertyKey, unknown>;
  copy[NODE_TYPE] = (node as Record<PropertyKey, unknown>)[NODE_TYPE];
  if (isPair(node)) {
    copy.key = shiftedCopy(node.key, delta);
    copy.value = shiftedCopy(node.value, delta);
    return copy as T;
  }
  if (isMap(node) || isSeq(node)) {
    copy.schema = node.schema;
    copy.items = (node.items as unknown[]).map((item) => shiftedCopy(item, delta));
  } else if (!isScalar(node)) {
    throw new Error('unexpected node in a parsed flow entry');
  }
  const range = (node as Ranged).range;
  if (range) copy.range = [range[0] + delta, range[1] + delta, range[2] + delta];
  return copy as T;
}

/** Where a block mapping that ends with this pair ends, as `yaml` measures it: after its value's trailing space. */
function endOf(pair: Pair): number {
  const value = pair.value as Ranged | null;
  const key = pair.key as Ranged | null;
  return value?.range?.[2] ?? key?.range?.[2] ?? 0;
}

/** Sets a key as `yaml` does when it loads a mapping: a key the object already answers to is defined as its own. */
function putEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target) Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) counter.addNewLine(at + 1);
  return counter;
}
