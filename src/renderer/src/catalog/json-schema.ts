/** The part of JSON Schema the payload form understands; anything else falls back to raw YAML. */
export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  items?: FieldSchema;
  format?: string;
}

export function asFieldSchema(value: unknown): FieldSchema | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FieldSchema) : null;
}

/** An input that is a mapping of fields, as opposed to one value such as a text. */
export function isObjectSchema(schema: FieldSchema): boolean {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return schema.properties !== undefined || type === 'object' || (type === undefined && schema.enum === undefined);
}
