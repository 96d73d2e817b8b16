/**
 * Checks a step's configuration against its component's `config_schema` as greentic-flow's doctor
 * does (`schema_validate.rs`): the same subset of JSON Schema, the same codes and messages, paths
 * written `$.field[0]`.
 */
export interface ConfigIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  path: string;
}

type Schema = Record<string, unknown>;

export function validateConfig(schema: unknown, value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(schema, value, '$', issues);
  return issues;
}

function visit(schema: unknown, value: unknown, path: string, issues: ConfigIssue[]): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    issues.push({ code: 'SCHEMA_REF_UNSUPPORTED', severity: 'warning', message: `schema ref '${s.$ref}' is not supported`, path });
    return;
  }
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const options = (s.anyOf ?? s.oneOf) as unknown[];
    if (!options.some((option) => validateConfig(option, value).every((issue) => issue.severity !== 'error'))) {
      issues.push({ code: 'SCHEMA_ONE_OF', severity: 'error', message: `value does not match any oneOf variant at ${path}`, path });
    }
    return;
  }
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : [];
  if (types.length > 0 && !types.some((type) => hasType(value, type))) {
    issues.push({ code: 'SCHEMA_TYPE_MISMATCH', severity: 'error', message: `expected ${types.join(' or ')} at ${path}`, path });
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    issues.push({ code: 'SCHEMA_ENUM', severity: 'error', message: `value is not in enum at ${path}`, path });
  }
  if (isRecord(value)) checkObject(s, value, path, issues);
  else if (Array.isArray(value)) checkArray(s, value, path, issues);
  else if (typeof value === 'string') checkString(s, value, path, issues);
  else if (typeof value === 'number') checkNumber(s, value, path, issues);
}

function checkObject(s: Schema, value: Record<string, unknown>, path: string, issues: ConfigIssue[]): void {
  const properties = isRecord(s.properties) ? s.properties : {};
  for (const key of Array.isArray(s.required) ? (s.required as unknown[]) : []) {
    if (typeof key === 'string' && !(key in value)) {
      issues.push({ code: 'SCHEMA_REQUIRED_MISSING', severity: 'error', message: `missing required field '${key}' at ${path}`, path: `${path}.${key}` });
    }
  }
  for (const [key, item] of Object.entries(value)) {
    if (key in properties) visit(properties[key], item, `${path}.${key}`, issues);
    else if (s.additionalProperties === false) {
      issues.push({ code: 'SCHEMA_ADDITIONAL_FORBIDDEN', severity: 'error', message: `additional property '${key}' not allowed at ${path}`, path: `${path}.${key}` });
    } else if (isRecord(s.additionalProperties)) visit(s.additionalProperties, item, `${path}.${key}`, issues);
  }
}

function checkArray(s: Schema, value: unknown[], path: string, issues: ConfigIssue[]): void {
  if (typeof s.minItems === 'number' && value.length < s.minItems) {
    issues.push({ code: 'SCHEMA_ARRAY_MIN_ITEMS', severity: 'error', message: `array length ${value.length} < min_items ${s.minItems} at ${path}`, path });
  }
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
    issues.push({ code: 'SCHEMA_ARRAY_MAX_ITEMS', severity: 'error', message: `array length ${value.length} > max_items ${s.maxItems} at ${path}`, path });
  }
  if (isRecord(s.items)) value.forEach((item, index) => visit(s.items, item, `${path}[${index}]`, issues));
}

function checkString(s: Schema, value: string, path: string, issues: ConfigIssue[]): void {
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength) {
    issues.push({ code: 'SCHEMA_STRING_MIN_LEN', severity: 'error', message: `string length ${length} < min_len ${s.minLength} at ${path}`, path });
  }
  if (typeof s.maxLength === 'number' && length > s.maxLength) {
    issues.push({ code: 'SCHEMA_STRING_MAX_LEN', severity: 'error', message: `string length ${length} > max_len ${s.maxLength} at ${path}`, path });
  }
  if (typeof s.pattern === 'string') issues.push({ code: 'SCHEMA_REGEX_UNSUPPORTED', severity: 'warning', message: `regex constraint not enforced at ${path}`, path });
  if (typeof s.format === 'string') issues.push({ code: 'SCHEMA_FORMAT_UNSUPPORTED', severity: 'warning', message: `format constraint not enforced at ${path}`, path });
}

function checkNumber(s: Schema, value: number, path: string, issues: ConfigIssue[]): void {
  const kind = Number.isInteger(value) ? 'integer' : 'number';
  if (typeof s.minimum === 'number' && value < s.minimum) {
    issues.push({ code: kind === 'integer' ? 'SCHEMA_INT_MIN' : 'SCHEMA_FLOAT_MIN', severity: 'error', message: `${kind} ${value} < min ${s.minimum} at ${path}`, path });
  }
  if (typeof s.maximum === 'number' && value > s.maximum) {
    issues.push({ code: kind === 'integer' ? 'SCHEMA_INT_MAX' : 'SCHEMA_FLOAT_MAX', severity: 'error', message: `${kind} ${value} > max ${s.maximum} at ${path}`, path });
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
