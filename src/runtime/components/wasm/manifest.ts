import { z } from 'zod';
import type { JsonValue } from '../../../shared/flow/compiled';
import type { ComponentDescription } from '../host';
import { decodeCbor } from './cbor';
import { WasmComponentError } from './errors';

const secretRequirement = z.looseObject({
  key: z.string(),
  required: z.boolean().optional(),
  description: z.string().optional(),
  format: z.string().optional(),
});

const operation = z.looseObject({
  name: z.string().min(1),
  input_schema: z.unknown().optional(),
  output_schema: z.unknown().optional(),
});

/** The parts of `component.manifest.json` (components.md §6.1) the runner acts on; others pass through. */
const manifestSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'id may contain only letters, digits, ".", "_" and "-"'),
  name: z.string().optional(),
  version: z.string().optional(),
  world: z.string().optional(),
  operations: z.array(operation).optional(),
  default_operation: z.string().optional(),
  config_schema: z.unknown().optional(),
  dev_flows: z.unknown().optional(),
  capabilities: z
    .looseObject({
      wasi: z.looseObject({ env: z.looseObject({ allow: z.array(z.string()).optional() }).optional() }).optional(),
      host: z
        .looseObject({
          secrets: z.looseObject({ required: z.array(secretRequirement).optional() }).optional(),
          state: z.looseObject({ read: z.boolean().optional(), write: z.boolean().optional() }).optional(),
          http: z.looseObject({ client: z.boolean().optional(), server: z.boolean().optional() }).optional(),
          telemetry: z.looseObject({ scope: z.string().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  limits: z.looseObject({ memory_mb: z.number().positive().optional(), wall_time_ms: z.number().positive().optional() }).optional(),
});

export type ComponentManifest = z.infer<typeof manifestSchema>;

export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Parses a manifest from its JSON text or canonical CBOR bytes (in packs). */
export function parseManifest(data: Uint8Array | string, origin: string): ComponentManifest {
  if (data.length > MAX_MANIFEST_BYTES) throw new WasmComponentError('invalid_manifest', `${origin} is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let value: unknown;
  try {
    value = typeof data === 'string' ? JSON.parse(data) : decodeCbor(data);
  } catch (error) {
    throw new WasmComponentError('invalid_manifest', `${origin} is not valid ${typeof data === 'string' ? 'JSON' : 'CBOR'}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`);
    throw new WasmComponentError('invalid_manifest', `${origin}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The operations and schemas a manifest declares, in the form the inspector uses. */
export function describeManifest(manifest: ComponentManifest): ComponentDescription {
  const description: ComponentDescription = {
    id: manifest.id,
    operations: (manifest.operations ?? []).map((op) => ({
      name: op.name,
      inputSchema: (op.input_schema ?? null) as JsonValue,
      outputSchema: (op.output_schema ?? null) as JsonValue,
    })),
  };
  if (manifest.version) description.version = manifest.version;
  if (manifest.config_schema !== undefined) description.configSchema = manifest.config_schema as JsonValue;
  if (manifest.dev_flows !== undefined) description.devFlows = manifest.dev_flows as JsonValue;
  return description;
}
