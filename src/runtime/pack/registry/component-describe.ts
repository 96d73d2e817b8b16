import { createHash } from 'node:crypto';
import { decodeCbor } from '../cbor/decode';
import { encodeCanonicalCbor } from '../cbor/encode';
import { CborFloat, compareBytewise, isCborMap, type CborMap, type CborValue } from '../cbor/value';
import type { LockedOperation } from './lock';

/**
 * What `pack resolve` pins of a component's contract, computed from the CBOR its describe() returns as
 * greentic-pack does it: the bytes are read into greentic-types' typed `ComponentDescribe`
 * (`schemas/component/v0_6_0`, the 0.4 line greentic-pack builds with), so unknown fields are dropped,
 * defaults filled in and missing required fields refused, and the typed value is written back as
 * canonical CBOR. `describeHash` is the SHA-256 of those bytes; an operation's schema hash that of the
 * canonical CBOR of `{input, output, config}`, the config being the component's `config_schema`.
 */
export interface DescribeContract {
  id: string;
  version: string;
  role: string;
  describeHash: string;
  /** Sorted by operation id, as the lock keeps them. */
  operations: LockedOperation[];
}

/** The bytes are not a `ComponentDescribe`; the message names the field. */
export class DescribeError extends Error {}

/** The contract of the bytes a component's `component-descriptor.describe()` returned. */
export function describeContract(bytes: Uint8Array): DescribeContract {
  return contractOf(readDescribe(decode(bytes)));
}

/**
 * The contract of a `<wasm>.describe.cbor` cache, which upstream takes only when it is already
 * canonical CBOR in the strict sense: sorted keys, shortest heads, no floats.
 */
export function describeCacheContract(bytes: Uint8Array): DescribeContract {
  const value = decode(bytes);
  if (containsFloat(value)) throw new DescribeError('describe cache must be canonical: CBOR floats are not allowed in canonical data');
  if (Buffer.compare(Buffer.from(encodeCanonicalCbor(value)), Buffer.from(bytes)) !== 0) {
    throw new DescribeError('describe cache must be canonical: CBOR payload is not canonical');
  }
  return contractOf(readDescribe(value));
}

interface TypedDescribe {
  value: CborMap;
  id: string;
  version: string;
  role: string;
  operations: Array<{ id: string; input: CborValue; output: CborValue }>;
  config: CborValue;
}

function decode(bytes: Uint8Array): CborValue {
  try {
    return decodeCbor(bytes, { keepFloats: true });
  } catch (error) {
    throw new DescribeError((error as Error).message);
  }
}

function contractOf(describe: TypedDescribe): DescribeContract {
  const operations = describe.operations
    .map((op) => ({ operation_id: op.id, schema_hash: sha256Hex(encodeCanonicalCbor(new Map([['input', op.input], ['output', op.output], ['config', describe.config]]))) }))
    .sort((a, b) => compareBytewise(a.operation_id, b.operation_id));
  return { id: describe.id, version: describe.version, role: describe.role, describeHash: sha256Hex(encodeCanonicalCbor(describe.value)), operations };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function containsFloat(value: CborValue): boolean {
  if (value instanceof CborFloat) return true;
  if (Array.isArray(value)) return value.some(containsFloat);
  if (isCborMap(value)) return [...value.values()].some(containsFloat);
  return false;
}

// The typed reading, field by field as serde derives it for the greentic-types structs.

type Read = (value: CborValue, at: string) => CborValue;

function readDescribe(value: CborValue): TypedDescribe {
  const map = struct(value, 'describe');
  const info = struct(required(map, 'info', 'describe', (v) => v), 'describe.info');
  const id = text(required(info, 'id', 'describe.info', (v) => v), 'describe.info.id');
  const version = text(required(info, 'version', 'describe.info', (v) => v), 'describe.info.version');
  const role = text(required(info, 'role', 'describe.info', (v) => v), 'describe.info.role');
  const config = required(map, 'config_schema', 'describe', schemaIr);
  const operations = seq(required(map, 'operations', 'describe', (v) => v), 'describe.operations').map((op, i) => readOperation(op, `describe.operations[${i}]`));
  const typed = new Map<string, CborValue>([
    ['info', new Map<string, CborValue>([['id', id], ['version', version], ['role', role], ['display_name', optional(info, 'display_name', 'describe.info', i18nText)]])],
    ['provided_capabilities', required(map, 'provided_capabilities', 'describe', texts)],
    ['required_capabilities', required(map, 'required_capabilities', 'describe', texts)],
    ['metadata', required(map, 'metadata', 'describe', valueMap)],
    ['operations', operations.map((op) => op.value)],
    ['config_schema', config],
  ]);
  return { value: typed, id, version, role, operations, config };
}

function readOperation(value: CborValue, at: string): { value: CborMap; id: string; input: CborValue; output: CborValue } {
  const map = struct(value, at);
  const id = text(required(map, 'id', at, (v) => v), `${at}.id`);
  const input = required(map, 'input', at, schemaWrapper);
  const output = required(map, 'output', at, schemaWrapper);
  const typed = new Map<string, CborValue>([
    ['id', id],
    ['display_name', optional(map, 'display_name', at, i18nText)],
    ['input', input],
    ['output', output],
    ['defaults', defaulted(map, 'defaults', at, valueMap, () => new Map())],
    ['redactions', defaulted(map, 'redactions', at, (v, p) => seq(v, p).map((rule, i) => redaction(rule, `${p}[${i}]`)), () => [])],
    ['constraints', defaulted(map, 'constraints', at, valueMap, () => new Map())],
    ['schema_hash', required(map, 'schema_hash', at, text)],
  ]);
  return { value: typed, id, input: (input as CborMap).get('schema')!, output: (output as CborMap).get('schema')! };
}

/** `ComponentRunInput` / `ComponentRunOutput`: `{schema}`. */
function schemaWrapper(value: CborValue, at: string): CborValue {
  return new Map([['schema', required(struct(value, at), 'schema', at, schemaIr)]]);
}

function i18nText(value: CborValue, at: string): CborValue {
  const map = struct(value, at);
  return new Map([
    ['key', required(map, 'key', at, text)],
    ['fallback', optional(map, 'fallback', at, text)],
  ]);
}

const REDACTION_KINDS = ['secret', 'mask', 'drop'];

function redaction(value: CborValue, at: string): CborValue {
  const map = struct(value, at);
  const kind = required(map, 'kind', at, (v, p) => unitVariant(v, p, REDACTION_KINDS));
  return new Map([
    ['json_pointer', required(map, 'json_pointer', at, text)],
    ['kind', kind],
  ]);
}

/** A unit variant of an externally tagged enum: its name, or a one-entry map naming it. */
function unitVariant(value: CborValue, at: string, variants: string[]): string {
  const name = isCborMap(value) && value.size === 1 ? [...value.keys()][0]! : value;
  if (typeof name !== 'string') throw invalid(at, 'a variant name');
  if (!variants.includes(name)) throw new DescribeError(`unknown variant \`${name}\` at ${at}, expected one of ${variants.join(', ')}`);
  return name;
}

/** `SchemaIr`, internally tagged by `type`. */
function schemaIr(value: CborValue, at: string): CborValue {
  const map = struct(value, at);
  const type = required(map, 'type', at, text) as string;
  const fields = (...entries: Array<[string, CborValue]>) => new Map<string, CborValue>([['type', type], ...entries]);
  const opt = (key: string, read: Read) => [key, optional(map, key, at, read)] as [string, CborValue];
  switch (type) {
    case 'object':
      return fields(
        ['properties', defaulted(map, 'properties', at, (v, p) => mapOf(v, p, schemaIr), () => new Map())],
        ['required', defaulted(map, 'required', at, texts, () => [])],
        ['additional', defaulted(map, 'additional', at, additionalProperties, () => new Map([['type', 'allow']]))],
      );
    case 'array':
      return fields(['items', required(map, 'items', at, schemaIr)], opt('min_items', u64), opt('max_items', u64));
    case 'string':
      return fields(opt('min_len', u64), opt('max_len', u64), opt('regex', text), opt('format', text));
    case 'int':
      return fields(opt('min', i64), opt('max', i64));
    case 'float':
      return fields(opt('min', f64), opt('max', f64));
    case 'bool':
    case 'null':
    case 'bytes':
      return fields();
    case 'enum':
      return fields(['values', defaulted(map, 'values', at, (v, p) => seq(v, p), () => [])]);
    case 'one_of':
      return fields(['variants', defaulted(map, 'variants', at, (v, p) => seq(v, p).map((item, i) => schemaIr(item, `${p}[${i}]`)), () => [])]);
    case 'ref':
      return fields(['id', required(map, 'id', at, text)]);
    default:
      throw new DescribeError(`unknown variant \`${type}\` at ${at}.type`);
  }
}

/** `AdditionalProperties`, adjacently tagged: `{type: allow | forbid}` or `{type: schema, schema}`. */
function additionalProperties(value: CborValue, at: string): CborValue {
  const map = struct(value, at);
  const type = required(map, 'type', at, (v, p) => unitVariant(v, p, ['allow', 'forbid', 'schema'])) as string;
  if (type !== 'schema') return new Map([['type', type]]);
  return new Map<string, CborValue>([['type', type], ['schema', required(map, 'schema', at, schemaIr)]]);
}

function required(map: CborMap, key: string, at: string, read: Read): CborValue {
  const value = map.get(key);
  if (value === undefined) throw new DescribeError(`missing field \`${key}\` in ${at}`);
  return read(value, `${at}.${key}`);
}

/** An `Option` field: absent and null are both None. */
function optional(map: CborMap, key: string, at: string, read: Read): CborValue {
  const value = map.get(key);
  return value === undefined || value === null ? null : read(value, `${at}.${key}`);
}

/** A `#[serde(default)]` field: only an absent one takes the default. */
function defaulted(map: CborMap, key: string, at: string, read: Read, fallback: () => CborValue): CborValue {
  const value = map.get(key);
  return value === undefined ? fallback() : read(value, `${at}.${key}`);
}

function struct(value: CborValue, at: string): CborMap {
  if (!isCborMap(value)) throw invalid(at, 'a map');
  return value;
}

function seq(value: CborValue, at: string): CborValue[] {
  if (!Array.isArray(value)) throw invalid(at, 'an array');
  return value;
}

function mapOf(value: CborValue, at: string, read: Read): CborMap {
  return new Map([...struct(value, at)].map(([key, item]) => [key, read(item, `${at}.${key}`)]));
}

/** A `BTreeMap<String, ciborium::Value>`: the values are kept as they are. */
function valueMap(value: CborValue, at: string): CborValue {
  return struct(value, at);
}

function text(value: CborValue, at: string): string {
  if (typeof value !== 'string') throw invalid(at, 'a string');
  return value;
}

function texts(value: CborValue, at: string): CborValue {
  return seq(value, at).map((item, i) => text(item, `${at}[${i}]`));
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function u64(value: CborValue, at: string): CborValue {
  if (!isInteger(value) || BigInt(value) < 0n || BigInt(value) > U64_MAX) throw invalid(at, 'an unsigned 64-bit integer');
  return value;
}

function i64(value: CborValue, at: string): CborValue {
  if (!isInteger(value) || BigInt(value) < I64_MIN || BigInt(value) > I64_MAX) throw invalid(at, 'a signed 64-bit integer');
  return value;
}

/** An `f64` takes an integer too, and is written back as a float. */
function f64(value: CborValue, at: string): CborValue {
  if (value instanceof CborFloat) return value;
  if (isInteger(value)) return new CborFloat(Number(value));
  throw invalid(at, 'a number');
}

function isInteger(value: CborValue): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

function invalid(at: string, expected: string): DescribeError {
  return new DescribeError(`invalid type at ${at}: expected ${expected}`);
}
