import type { FlowKind, JsonValue } from '../../../shared/flow/compiled';
import type { ComponentManifest, JsonObject } from '../manifest/model';
import type { PackConfigComponent } from './pack-config';

/**
 * A component manifest in greentic-types' shape and field order, built from a manifest file found
 * next to the wasm (or, without one, from `pack.yaml`). Library structs are rebuilt field by field
 * in declaration order, so the pack manifest encodes as upstream's does whatever order the source had.
 */
export function toComponentManifest(config: PackConfigComponent, source: JsonObject | null): ComponentManifest {
  const pick = <T>(key: string, fallback: T): T => (source && source[key] !== undefined ? (source[key] as T) : fallback);
  const supports = (source?.supports as string[] | undefined) ?? config.supports;
  return {
    id: config.id,
    version: config.version,
    supports: supports.map((kind) => (kind === 'component-config' ? 'component_config' : kind) as FlowKind),
    world: pick('world', config.world),
    profiles: profiles(pick<JsonObject>('profiles', config.profiles as JsonObject)),
    capabilities: capabilities(pick<JsonObject>('capabilities', config.capabilities as JsonObject)),
    configurators: optionalStruct(pick<JsonObject | null>('configurators', (config.configurators as JsonObject | undefined) ?? null), ['basic', 'full']),
    operations: pick<JsonObject[]>('operations', config.operations as JsonObject[]).map((op) => ({
      name: String(op.name),
      ...(typeof op.description === 'string' ? { description: op.description } : {}),
      input_schema: op.input_schema ?? {},
      output_schema: op.output_schema ?? {},
    })),
    config_schema: pick<JsonValue>('config_schema', (config.config_schema as JsonValue | undefined) ?? null),
    resources: struct(pick<JsonObject>('resources', (config.resources as JsonObject | undefined) ?? {}), ['cpu_millis', 'memory_mb', 'average_latency_ms']),
    dev_flows: pick<Record<string, JsonValue>>('dev_flows', {}),
  };
}

/** The standalone `ComponentManifest` serde form (skip rules applied), for `components/<id>.manifest.cbor`. */
export function standaloneManifest(manifest: ComponentManifest): JsonObject {
  const out: JsonObject = {
    id: manifest.id,
    version: manifest.version,
    supports: manifest.supports,
    world: manifest.world,
    profiles: manifest.profiles,
    capabilities: manifest.capabilities,
  };
  if (manifest.configurators !== null) out.configurators = manifest.configurators;
  out.operations = manifest.operations as unknown as JsonValue;
  if (manifest.config_schema !== null) out.config_schema = manifest.config_schema;
  out.resources = manifest.resources;
  if (Object.keys(manifest.dev_flows).length > 0) out.dev_flows = manifest.dev_flows;
  return out;
}

function profiles(value: JsonObject): JsonObject {
  return struct(value, ['default', 'supported'], { supported: [] });
}

function capabilities(value: JsonObject): JsonObject {
  const wasi = (value.wasi ?? {}) as JsonObject;
  const host = (value.host ?? {}) as JsonObject;
  return {
    wasi: struct(
      {
        ...wasi,
        filesystem: wasi.filesystem === undefined ? undefined : struct(wasi.filesystem as JsonObject, ['mode', 'mounts'], { mode: 'none', mounts: [] }),
        env: wasi.env === undefined ? undefined : struct(wasi.env as JsonObject, ['allow'], { allow: [] }),
      } as JsonObject,
      ['filesystem', 'env', 'random', 'clocks'],
      { random: false, clocks: false },
    ),
    host: struct(
      {
        secrets: host.secrets === undefined ? undefined : struct(host.secrets as JsonObject, ['required'], { required: [] }),
        state: flags(host.state, ['read', 'write']),
        messaging: flags(host.messaging, ['inbound', 'outbound']),
        events: flags(host.events, ['inbound', 'outbound']),
        http: flags(host.http, ['client', 'server']),
        telemetry: host.telemetry === undefined ? undefined : struct(host.telemetry as JsonObject, ['scope']),
        iac: host.iac === undefined ? undefined : struct(host.iac as JsonObject, ['write_templates', 'execute_plans'], { execute_plans: false }),
      } as JsonObject,
      ['secrets', 'state', 'messaging', 'events', 'http', 'telemetry', 'iac'],
    ),
  };
}

function flags(value: JsonValue | undefined, names: string[]): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  return struct(value as JsonObject, names, Object.fromEntries(names.map((name) => [name, false])));
}

function optionalStruct(value: JsonObject | null, order: string[]): JsonObject | null {
  return value === null ? null : struct(value, order);
}

/** The fields of `order` that are present (or defaulted), in that order; absent options are omitted. */
function struct(value: JsonObject, order: string[], defaults: JsonObject = {}): JsonObject {
  const out: JsonObject = {};
  for (const key of order) {
    const field = value[key] ?? defaults[key];
    if (field !== undefined && field !== null) out[key] = field;
  }
  return out;
}

/** Pack capability names derived from a component, in upstream's first-seen order. */
export function capabilityNames(manifest: ComponentManifest): string[] {
  const host = (manifest.capabilities.host ?? {}) as JsonObject;
  const wasi = (manifest.capabilities.wasi ?? {}) as JsonObject;
  const names: string[] = [];
  const state = host.state as JsonObject | undefined;
  if (host.secrets) names.push('host:secrets');
  if (state?.read) names.push('host:state:read');
  if (state?.write) names.push('host:state:write');
  if (host.messaging) names.push('host:messaging');
  if (host.events) names.push('host:events');
  if (host.http) names.push('host:http');
  if (host.telemetry) names.push('host:telemetry');
  if (host.iac) names.push('host:iac');
  const filesystem = wasi.filesystem as JsonObject | undefined;
  if (filesystem) names.push(`wasi:fs:${String(filesystem.mode ?? 'none')}`);
  if (Array.isArray(filesystem?.mounts) && filesystem.mounts.length > 0) names.push('wasi:fs:mounts');
  if (wasi.random === true) names.push('wasi:random');
  if (wasi.clocks === true) names.push('wasi:clocks');
  return names;
}

/** Secret requirements a component declares (`capabilities.host.secrets.required`). */
export function secretRequirements(manifest: ComponentManifest): JsonObject[] {
  const secrets = ((manifest.capabilities.host ?? {}) as JsonObject).secrets as JsonObject | undefined;
  return Array.isArray(secrets?.required) ? (secrets.required as JsonObject[]) : [];
}
