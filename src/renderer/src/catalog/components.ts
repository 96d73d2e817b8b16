/**
 * The components the palette and the inspector offer: what the project's manifests say, completed
 * by what each WASM component says of itself (`describe()`) where a manifest lists no operations or
 * leaves an operation's input schema out.
 */
import type { ComponentEntry, ComponentSummary } from '../../../shared/api';
import { devFlowsOf, type DevFlow } from '../../../shared/flow';

/** Where an operation's input schema was read. */
export type SchemaSource = 'manifest' | 'describe()';

export interface CatalogOperation {
  name: string;
  inputSchema: unknown;
  source: SchemaSource;
}

export interface CatalogComponent {
  id: string;
  name: string | null;
  version: string | null;
  operations: CatalogOperation[];
  /** `config_schema` from the manifest, else from describe(); null when neither gives one. */
  configSchema: unknown;
  /** The `dev_flows` that ask about a step or emit one: the manifest's, else those describe() reports. */
  devFlows: DevFlow[];
}

/** A schema that says something: `{}` accepts anything and tells a form nothing. */
function informative(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && Object.keys(schema).length > 0;
}

function mergeOperations(manifest: ComponentEntry | undefined, described: ComponentSummary | undefined): CatalogOperation[] {
  const fromDescribe = new Map((described?.operations ?? []).map((op) => [op.name, op]));
  const operations = (manifest?.operations ?? []).map((op): CatalogOperation => {
    const own = fromDescribe.get(op.name);
    return !informative(op.inputSchema) && own && informative(own.inputSchema)
      ? { name: op.name, inputSchema: own.inputSchema, source: 'describe()' }
      : { name: op.name, inputSchema: op.inputSchema, source: 'manifest' };
  });
  const listed = new Set(operations.map((op) => op.name));
  for (const op of described?.operations ?? []) {
    if (!listed.has(op.name)) operations.push({ name: op.name, inputSchema: op.inputSchema, source: 'describe()' });
  }
  return operations;
}

export function catalogComponents(manifests: readonly ComponentEntry[], described: readonly ComponentSummary[]): CatalogComponent[] {
  const byManifest = new Map(manifests.map((entry) => [entry.id, entry]));
  const byDescribe = new Map(described.map((summary) => [summary.id, summary]));
  const ids = [...new Set([...byManifest.keys(), ...byDescribe.keys()])].sort((a, b) => a.localeCompare(b));
  return ids.map((id) => {
    const manifest = byManifest.get(id);
    const summary = byDescribe.get(id);
    const ownFlows = devFlowsOf(manifest?.devFlows);
    return {
      id,
      name: manifest?.name ?? null,
      version: manifest?.version ?? summary?.version ?? null,
      operations: mergeOperations(manifest, summary),
      configSchema: informative(manifest?.configSchema) ? manifest?.configSchema : informative(summary?.configSchema) ? summary?.configSchema : null,
      devFlows: ownFlows.length > 0 ? ownFlows : devFlowsOf(summary?.devFlows),
    };
  });
}
