/**
 * The runtime flow model (greentic-types `Flow`): what the flow compiler produces from a `.ygtc`
 * document, what a pack manifest carries, and what the engine executes. JSON (snake_case) form.
 */

export type FlowKind = 'messaging' | 'event' | 'component_config' | 'job' | 'http';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type Routing =
  | { next: { node_id: string } }
  | { branch: { on_status: Record<string, string>; default: string | null } }
  | 'end'
  | 'reply'
  | { custom: JsonValue };

export interface ComponentRef {
  id: string;
  pack_alias: string | null;
  operation: string | null;
}

export interface Telemetry {
  span_name?: string;
  attributes: Record<string, string>;
  sampling?: string;
}

export interface CompiledNode {
  id: string;
  component: ComponentRef;
  input: { mapping: JsonValue };
  output: { mapping: JsonValue };
  err_map?: { mapping: JsonValue } | null;
  routing: Routing;
  telemetry: Telemetry;
}

export interface FlowMetadata {
  title?: string;
  description?: string;
  tags: string[];
  extra: JsonValue;
}

export interface CompiledFlow {
  schema_version: 'flow-v1';
  id: string;
  kind: FlowKind;
  entrypoints: Record<string, JsonValue>;
  /** Ordered: document order is significant (the first node is the fallback entry). */
  nodes: CompiledNode[];
  metadata: FlowMetadata;
}
