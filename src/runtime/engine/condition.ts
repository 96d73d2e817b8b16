/**
 * Routing conditions (runtime.md §5.3): `path == value` or `path != value`, nothing else. Paths are
 * plain dotted keys; values compare as text, ASCII case-insensitively. Any other expression is false.
 */
import type { JsonValue } from '../../shared/flow/compiled';

export interface ParsedCondition {
  path: string[];
  operator: '==' | '!=';
  value: string;
}

export function parseCondition(condition: string): ParsedCondition | null {
  let operator: '==' | '!=' = '==';
  let at = condition.indexOf('==');
  if (at < 0) {
    operator = '!=';
    at = condition.indexOf('!=');
  }
  if (at < 0) return null;
  const path = condition.slice(0, at).trim();
  if (path.length === 0) return null;
  let value = condition.slice(at + 2).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { path: path.split('.'), operator, value };
}

const parsedCache = new Map<string, ParsedCondition | null>();

export function evaluateCondition(condition: string, context: Record<string, JsonValue>): boolean {
  let parsed = parsedCache.get(condition);
  if (parsed === undefined) {
    parsed = parseCondition(condition);
    if (parsedCache.size > 10_000) parsedCache.clear();
    parsedCache.set(condition, parsed);
  }
  if (!parsed) return false;
  const resolved = resolveDotted(context, parsed.path);
  if (resolved === undefined) return parsed.operator === '!=';
  const equal = stringify(resolved).toLowerCase() === parsed.value.toLowerCase();
  return parsed.operator === '==' ? equal : !equal;
}

/**
 * The context conditions see: the node output's top-level fields, `entry`/`in`, and `response`
 * (the submitted card data plus the message text) taken from `responseSource`.
 */
export function routingContext(output: JsonValue, entry: JsonValue, responseSource: JsonValue): Record<string, JsonValue> {
  const context: Record<string, JsonValue> = isObject(output) ? { ...output } : {};
  context.entry = entry;
  context.in = entry;
  context.response = responseOf(responseSource);
  return context;
}

function responseOf(source: JsonValue): JsonValue {
  if (!isObject(source)) return {};
  const message = isObject(source.input) ? source.input : source;
  const metadata = isObject(message.metadata) ? message.metadata : {};
  const response: Record<string, JsonValue> = { ...metadata };
  if (message.text !== undefined) response.text = message.text;
  return response;
}

function resolveDotted(root: JsonValue, path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function stringify(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
