import type { CompiledFlow, FlowKind, JsonValue } from '../../../shared/flow/compiled';

/**
 * The pack manifest as greentic-types models it (`PackManifest`), in its logical form: symbol
 * indexes resolved to strings and routing in the snake_case JSON form of `CompiledFlow`. Fields that
 * are library structs upstream (capabilities, profiles, secret requirements, ...) are kept as JSON
 * objects in their upstream field order, so a decoded manifest re-encodes to the same bytes.
 */
export interface PackManifest {
  schema_version: string;
  pack_id: string;
  name?: string;
  version: string;
  kind: PackKind;
  publisher: string;
  components: ComponentManifest[];
  flows: PackFlowEntry[];
  dependencies: PackDependency[];
  capabilities: PackCapability[];
  secret_requirements: JsonObject[];
  signatures: PackSignature[];
  bootstrap?: JsonObject;
  extensions?: Record<string, ExtensionRef>;
  agents?: Record<string, JsonValue>;
  /**
   * Top-level fields this model does not know (written by a newer greentic-types), kept in order and
   * written back after the known ones, so that signatures made by newer tools still verify.
   */
  unknown_fields?: Array<[string, JsonValue]>;
}

export type PackKind = 'application' | 'provider' | 'infrastructure' | 'library';
export const PACK_KINDS: readonly PackKind[] = ['application', 'provider', 'infrastructure', 'library'];
export const FLOW_KINDS: readonly FlowKind[] = ['messaging', 'event', 'component_config', 'job', 'http'];

export type JsonObject = { [key: string]: JsonValue };

export interface ComponentManifest {
  id: string;
  version: string;
  supports: FlowKind[];
  world: string;
  profiles: JsonObject;
  capabilities: JsonObject;
  configurators: JsonObject | null;
  operations: ComponentOperation[];
  config_schema: JsonValue | null;
  resources: JsonObject;
  dev_flows: Record<string, JsonValue>;
}

export interface ComponentOperation {
  name: string;
  description?: string;
  input_schema: JsonValue;
  output_schema: JsonValue;
}

export interface PackFlowEntry {
  id: string;
  kind: FlowKind;
  flow: CompiledFlow;
  tags: string[];
  entrypoints: string[];
}

export interface PackDependency {
  alias: string;
  pack_id: string;
  version_req: string;
  required_capabilities: string[];
}

export interface PackCapability {
  name: string;
  description: string | null;
}

/** `"ed25519"` is the only algorithm upstream signs with; anything else is reported, never verified. */
export type SignatureAlgorithm = string | { other: string };

export interface PackSignature {
  key_id: string;
  algorithm: SignatureAlgorithm;
  /** Standard base64 with padding, as upstream stores it. */
  signature: string;
}

export interface ExtensionRef {
  kind: string;
  version: string;
  digest?: string;
  location?: string;
  inline?: JsonValue;
}

/** The legacy `PackManifest` (greentic-pack ≤ 0.4.60 `PackBuilder`), read-only. */
export interface LegacyPackManifest {
  meta: {
    pack_id: string;
    version: string;
    name: string | null;
    kind: string | null;
    description: string | null;
    authors: string[];
    entry_flows: string[];
    created_at_utc: string | null;
  };
  flows: Array<{ id: string; kind: string; entry: string; file_yaml: string | null; file_json: string | null; hash_blake3: string | null }>;
  components: Array<{ name: string; version: string; file_wasm: string | null; hash_blake3: string | null; world: string | null }>;
}

export type DecodedManifest =
  | { model: 'pack-v1'; manifest: PackManifest }
  | { model: 'legacy'; manifest: LegacyPackManifest };
