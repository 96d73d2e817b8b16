/**
 * Upstream's loader (serde_yaml_bw, duplicate keys an error) refuses a mapping that repeats a key;
 * so does ours, with upstream's message and the position of the repeat. Every repeat is reported,
 * in document order, so the first is the one upstream stops at. A node's own repeats are found
 * once per node text (node-memo.ts) and kept relative to it, so typing in a large flow does not walk
 * all of it again; the messages, which name lines, are written from the current positions.
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostic';
import type { FlowIr } from './ir';
import { memoOnValue } from './node-memo';
import type { ParsedFlow } from './parse';
import { rangeAt } from './source';

/** A repeated key: where it and its first occurrence start and end (offsets into the text), and how upstream names it. */
interface Repeat {
  at: number;
  end: number;
  firstAt: number;
  firstEnd: number;
  key: string;
}

export function duplicateKeyErrors(parsed: ParsedFlow, ir: FlowIr): Diagnostic[] {
  const found: Repeat[] = [];
  const check = (map: YAMLMap) => found.push(...repeatedKeys(map));
  const root = parsed.doc?.contents;
  if (!isMap(root)) {
    forEachMap(root, check);
    return found.map((repeat) => diagnostic(parsed, repeat));
  }
  check(root);
  const nodes = new Map(ir.nodes.map((node) => [node.id, node]));
  for (const pair of root.items) {
    if (!isScalar(pair.key) || pair.key.value !== 'nodes' || !isMap(pair.value)) {
      forEachMap(pair, check);
      continue;
    }
    check(pair.value);
    for (const entry of pair.value.items) {
      forEachMap(entry.key, check);
      const node = isScalar(entry.key) ? nodes.get(String(entry.key.value)) : undefined;
      const start = (entry.key as Node).range?.[0];
      const own = (base: number): Repeat[] => {
        const inner: Repeat[] = [];
        forEachMap(entry.value, (map) => inner.push(...repeatedKeys(map)));
        return inner.map((r) => ({ ...r, at: r.at - base, end: r.end - base, firstAt: r.firstAt - base, firstEnd: r.firstEnd - base }));
      };
      // Kept on the model node, relative to its key: valid only when that node is the one this entry carries.
      const carried = node !== undefined && start !== undefined && start === node.idRange.offset;
      const relative = carried ? memoOnValue(node.raw, 'duplicate_keys', () => own(start)) : own(0);
      const base = carried ? start : 0;
      found.push(...relative.map((r) => ({ ...r, at: r.at + base, end: r.end + base, firstAt: r.firstAt + base, firstEnd: r.firstEnd + base })));
    }
  }
  return found.sort((a, b) => a.at - b.at).map((repeat) => diagnostic(parsed, repeat));
}

function diagnostic(parsed: ParsedFlow, repeat: Repeat): Diagnostic {
  const range = rangeAt(parsed.lineCounter, repeat.at, repeat.end);
  const first = rangeAt(parsed.lineCounter, repeat.firstAt, repeat.firstEnd);
  const message =
    `YAML parse error at ${parsed.sourceName}:${range.line}:${range.col}: duplicate entry ${repeat.key}` +
    ` (first defined at line ${first.line} column ${first.col}) at line ${range.line} column ${range.col}`;
  return { severity: 'error', code: 'yaml_duplicate_key', kind: 'Yaml', message, range };
}

function repeatedKeys(map: YAMLMap): Repeat[] {
  const firstOf = new Map<string, Scalar>();
  const found: Repeat[] = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const identity = `${typeof pair.key.value}:${String(pair.key.value)}`;
    const first = firstOf.get(identity);
    if (!first) {
      firstOf.set(identity, pair.key);
      continue;
    }
    const [at, end] = pair.key.range ?? [0, 0];
    const [firstAt, firstEnd] = first.range ?? [0, 0];
    found.push({ at, end, firstAt, firstEnd, key: describeKey(pair.key.value) });
  }
  return found;
}

/** The key as upstream's message names it (`with key "name"`, Rust's debug quoting). */
function describeKey(value: unknown): string {
  if (value === null || value === undefined) return 'with null key';
  if (typeof value === 'boolean') return `with key \`${value}\``;
  if (typeof value === 'number' || typeof value === 'bigint') return `with key ${String(value)}`;
  return `with key ${rustDebugString(String(value))}`;
}

function rustDebugString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code === 0) out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}

/** Every mapping of a syntax tree, outer before inner, keys before values (the order of `yaml`'s `visit`, at a fraction of its cost). */
function forEachMap(node: unknown, onMap: (map: YAMLMap) => void): void {
  if (isPair(node)) {
    forEachMap(node.key, onMap);
    forEachMap(node.value, onMap);
  } else if (isMap(node)) {
    onMap(node);
    for (const item of node.items) forEachMap(item, onMap);
  } else if (isSeq(node)) {
    for (const item of node.items) forEachMap(item, onMap);
  }
}
