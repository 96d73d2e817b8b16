import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PackError } from '../errors';
import { PACK_KINDS, type PackKind } from '../manifest/model';

/** The subset of upstream's `PackConfig` (`pack.yaml`) the studio builds from. */
const flowKind = z.preprocess(
  (value) => (value === 'component_config' || value === 'componentconfig' ? 'component-config' : value),
  z.enum(['messaging', 'event', 'component-config', 'job', 'http']),
);

const component = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  world: z.string().min(1),
  supports: z.array(flowKind).default([]),
  profiles: z.object({ default: z.string().optional(), supported: z.array(z.string()).default([]) }).default({ supported: [] }),
  capabilities: z.record(z.string(), z.unknown()).default({}),
  wasm: z.string().min(1),
  operations: z.array(z.object({ name: z.string().min(1), input_schema: z.unknown().default({}), output_schema: z.unknown().default({}) })).default([]),
  config_schema: z.unknown().optional(),
  resources: z.record(z.string(), z.unknown()).optional(),
  configurators: z.object({ basic: z.string().optional(), full: z.string().optional() }).optional(),
});

const packConfig = z.object({
  pack_id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be non-empty and use only letters, digits, ".", "_" and "-"'),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, 'must be a semantic version such as 1.2.3'),
  kind: z.string().transform((value, context) => {
    const kind = value.toLowerCase();
    if ((PACK_KINDS as readonly string[]).includes(kind)) return kind as PackKind;
    context.addIssue({ code: 'custom', message: `must be one of ${PACK_KINDS.join(', ')}` });
    return z.NEVER;
  }),
  publisher: z.string().min(1),
  name: z.string().optional(),
  bootstrap: z.object({ install_flow: z.string().optional(), upgrade_flow: z.string().optional(), installer_component: z.string().optional() }).optional(),
  components: z.array(component).default([]),
  dependencies: z
    .array(z.object({ alias: z.string().min(1), pack_id: z.string().min(1), version_req: z.string().min(1), required_capabilities: z.array(z.string()).default([]) }))
    .default([]),
  flows: z.array(z.object({ id: z.string().min(1), file: z.string().min(1), tags: z.array(z.string()).default([]), entrypoints: z.array(z.string()).default([]) })).default([]),
  assets: z.array(z.object({ path: z.string().min(1) })).default([]),
  extensions: z.record(z.string(), z.object({ kind: z.string(), version: z.string(), digest: z.string().optional(), location: z.string().optional(), inline: z.unknown().optional() })).optional(),
});

export type PackConfig = z.output<typeof packConfig>;
export type PackConfigComponent = PackConfig['components'][number];

/** Parses `pack.yaml`; every problem names the field, e.g. `pack.yaml: components[0].wasm: Required`. */
export function parsePackConfig(text: string): PackConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new PackError('config_invalid', `pack.yaml is not valid YAML: ${(error as Error).message}`, 'pack.yaml');
  }
  const result = packConfig.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') ?? '';
    throw new PackError('config_invalid', `pack.yaml: ${where || '(root)'}: ${issue?.message ?? 'invalid'}`, 'pack.yaml');
  }
  for (const [key, ext] of Object.entries(result.data.extensions ?? {})) {
    if (ext.kind !== key) throw new PackError('config_invalid', `pack.yaml: extensions.${key}: the key must equal its kind ("${ext.kind}")`, 'pack.yaml');
  }
  return result.data;
}
