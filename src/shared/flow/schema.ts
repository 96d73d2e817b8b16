/**
 * The rules of `ygtc.flow.schema.json` (JSON Schema draft 2020-12), checked by code written for
 * this one schema. A general validator would compile the schema with `new Function`, which the
 * renderer's content security policy forbids; this also lets each finding name the exact key or
 * value. Messages follow the wording of upstream's validator.
 */
import { has, showValue, type JsonObject } from './json';
import { memoOnValue } from './node-memo';
import type { PathSegment } from './source';

export interface SchemaIssue {
  path: PathSegment[];
  message: string;
  /** Whether the finding is about the key at `path` (an unexpected property) or its value. */
  on: 'key' | 'value';
  /** A likely intended key for an unexpected one (`next` -> `to`). */
  suggestion?: string;
}

export const NODE_ID_PATTERN = /^[a-zA-Z_][A-Za-z0-9_-]*$/;
export const NODE_PROPERTY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const SLOT_TYPES = ['string', 'enum', 'number', 'date', 'boolean'];
const ROUTE_KEYS = ['to', 'out', 'status', 'reply', 'condition'];
/** Route keys people write from other tools, and the key they mean. */
const ROUTE_KEY_ALIASES: Record<string, string> = {
  next: 'to',
  goto: 'to',
  target: 'to',
  node: 'to',
  then: 'to',
  if: 'condition',
  when: 'condition',
  cond: 'condition',
  on_status: 'status',
  end: 'out',
};

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'object';
}

function hasType(value: unknown, expected: JsonType): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

class Collector {
  readonly issues: SchemaIssue[] = [];

  add(path: PathSegment[], message: string, on: 'key' | 'value' = 'value', suggestion?: string): void {
    this.issues.push(suggestion === undefined ? { path, message, on } : { path, message, on, suggestion });
  }

  /** Checks the type; returns whether it matched so callers can look deeper. */
  type(path: PathSegment[], value: unknown, expected: JsonType): boolean {
    if (hasType(value, expected)) return true;
    this.add(path, `${showValue(value)} is not of type "${expected}"`);
    return false;
  }

  required(path: PathSegment[], object: JsonObject, names: readonly string[]): void {
    for (const name of names) {
      if (!has(object, name)) this.add([...path, name], `missing required property '${name}'`);
    }
  }

  unexpected(path: PathSegment[], key: string, suggestion?: string): void {
    const message = suggestion
      ? `route key '${key}' is not supported; use '${suggestion}'`
      : `Additional properties are not allowed ('${key}' was unexpected)`;
    this.add([...path, key], message, 'key', suggestion);
  }
}

export function validateSchema(document: unknown): SchemaIssue[] {
  const out = new Collector();
  if (!out.type([], document, 'object')) return out.issues;
  const doc = document as JsonObject;
  out.required([], doc, ['id', 'type', 'nodes']);
  if (has(doc, 'id') && out.type(['id'], doc.id, 'string') && (doc.id as string).length < 1) {
    out.add(['id'], `"" is shorter than 1 character`);
  }
  for (const key of ['title', 'description', 'start'] as const) {
    if (has(doc, key)) out.type([key], doc[key], 'string');
  }
  if (has(doc, 'type') && typeof doc.type !== 'string') {
    out.add(['type'], `${showValue(doc.type)} is not valid under any of the schemas listed in the 'anyOf' keyword`);
  }
  if (has(doc, 'tags')) checkStringArray(out, ['tags'], doc.tags);
  for (const key of ['parameters', 'meta', 'entrypoints'] as const) {
    if (has(doc, key)) out.type([key], doc[key], 'object');
  }
  if (has(doc, 'schema_version') && out.type(['schema_version'], doc.schema_version, 'integer') && (doc.schema_version as number) < 1) {
    out.add(['schema_version'], `${showValue(doc.schema_version)} is less than the minimum of 1`);
  }
  if (has(doc, 'slot_schema')) checkSlotSchema(out, doc.slot_schema);
  if (has(doc, 'nodes')) checkNodes(out, doc.nodes);
  return out.issues;
}

function checkStringArray(out: Collector, path: PathSegment[], value: unknown): void {
  if (!out.type(path, value, 'array')) return;
  (value as unknown[]).forEach((item, i) => out.type([...path, i], item, 'string'));
}

function checkSlotSchema(out: Collector, value: unknown): void {
  if (!out.type(['slot_schema'], value, 'array')) return;
  (value as unknown[]).forEach((slot, i) => {
    const path: PathSegment[] = ['slot_schema', i];
    if (!out.type(path, slot, 'object')) return;
    const item = slot as JsonObject;
    out.required(path, item, ['name', 'slot_type']);
    for (const key of Object.keys(item)) {
      if (!['name', 'slot_type', 'pattern', 'required', 'enum_values', 'default_value'].includes(key)) out.unexpected(path, key);
    }
    if (has(item, 'name') && out.type([...path, 'name'], item.name, 'string') && (item.name as string).length < 1) {
      out.add([...path, 'name'], `"" is shorter than 1 character`);
    }
    if (has(item, 'slot_type') && out.type([...path, 'slot_type'], item.slot_type, 'string') && !SLOT_TYPES.includes(item.slot_type as string)) {
      out.add([...path, 'slot_type'], `${showValue(item.slot_type)} is not one of ${SLOT_TYPES.map((t) => `"${t}"`).join(', ')}`);
    }
    if (has(item, 'pattern')) out.type([...path, 'pattern'], item.pattern, 'string');
    if (has(item, 'required')) out.type([...path, 'required'], item.required, 'boolean');
    if (has(item, 'enum_values')) checkStringArray(out, [...path, 'enum_values'], item.enum_values);
    if (has(item, 'default_value')) out.type([...path, 'default_value'], item.default_value, 'string');
    // The schema's if/then: string slots need a non-empty pattern, enum slots non-empty enum_values.
    if (item.slot_type === 'string') {
      if (!(has(item, 'pattern'))) out.add([...path, 'pattern'], `missing required property 'pattern'`);
      else if (item.pattern === '') out.add([...path, 'pattern'], `"" is shorter than 1 character`);
    }
    if (item.slot_type === 'enum') {
      if (!(has(item, 'enum_values'))) out.add([...path, 'enum_values'], `missing required property 'enum_values'`);
      else if (Array.isArray(item.enum_values) && item.enum_values.length < 1) out.add([...path, 'enum_values'], `[] has less than 1 item`);
    }
  });
}

function checkNodes(out: Collector, value: unknown): void {
  if (!out.type(['nodes'], value, 'object')) return;
  const nodes = value as JsonObject;
  const ids = Object.keys(nodes);
  if (ids.length < 1) out.add(['nodes'], `{} has less than 1 property`);
  for (const id of ids) {
    if (!NODE_ID_PATTERN.test(id)) {
      out.unexpected(['nodes'], id);
      continue;
    }
    out.issues.push(...nodeIssues(id, nodes[id]));
  }
}

/** A node's own findings depend on its id and value only: kept on the value for the next check. */
function nodeIssues(id: string, value: unknown): SchemaIssue[] {
  const check = (): SchemaIssue[] => {
    const out = new Collector();
    checkNode(out, ['nodes', id], value);
    return out.issues;
  };
  return memoOnValue(value, 'schema', check, id);
}

const OBJECT_NODE_KEYS = ['output', 'retry', 'timeout', 'when', 'annotations', 'meta'];

function checkNode(out: Collector, path: PathSegment[], value: unknown): void {
  if (!out.type(path, value, 'object')) return;
  const node = value as JsonObject;
  const keys = Object.keys(node);
  if (keys.length < 1) out.add(path, `{} has less than 1 property`);
  for (const key of keys) {
    if (!NODE_PROPERTY_PATTERN.test(key)) {
      out.unexpected(path, key);
      continue;
    }
    if (key === 'routing') checkRouting(out, [...path, key], node[key]);
    else if (key === 'telemetry') checkTelemetry(out, [...path, key], node[key]);
    else if (OBJECT_NODE_KEYS.includes(key)) out.type([...path, key], node[key], 'object');
  }
}

function checkRouting(out: Collector, path: PathSegment[], value: unknown): void {
  if (typeof value === 'string' && (value === 'out' || value === 'reply')) return;
  if (!Array.isArray(value)) {
    out.add(path, `${showValue(value)} is not valid under any of the schemas listed in the 'oneOf' keyword (expected 'out', 'reply' or a list of routes)`);
    return;
  }
  value.forEach((route, i) => {
    const routePath = [...path, i];
    if (!out.type(routePath, route, 'object')) return;
    for (const [key, field] of Object.entries(route as JsonObject)) {
      if (!ROUTE_KEYS.includes(key)) {
        out.unexpected(routePath, key, suggestRouteKey(key));
        continue;
      }
      out.type([...routePath, key], field, key === 'out' || key === 'reply' ? 'boolean' : 'string');
    }
  });
}

function checkTelemetry(out: Collector, path: PathSegment[], value: unknown): void {
  if (!out.type(path, value, 'object')) return;
  for (const [key, field] of Object.entries(value as JsonObject)) {
    if (key === 'span_name' || key === 'sampling') out.type([...path, key], field, 'string');
    else if (key === 'attributes') {
      if (!out.type([...path, key], field, 'object')) continue;
      for (const [name, attribute] of Object.entries(field as JsonObject)) out.type([...path, key, name], attribute, 'string');
    } else out.unexpected(path, key);
  }
}

/** The route key someone most likely meant, if `key` is a known alias or a near miss of a real one. */
export function suggestRouteKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  if (has(ROUTE_KEY_ALIASES, lower)) return ROUTE_KEY_ALIASES[lower];
  return nearest(key, ROUTE_KEYS);
}

/** The candidate within edit distance 2 (and shorter than the word itself), if there is one. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance > 0 && bestDistance <= Math.min(2, word.length - 1) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}
