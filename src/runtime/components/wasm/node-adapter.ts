import type { JsonValue } from '../../../shared/flow/compiled';
import type { ComponentDescription, NodeError, OperationInfo } from '../host';
import { descriptorExportName, nodeExportName, type ComponentAbi } from './abi';
import { decodeCbor } from './cbor';
import { envelope06, execCtx0405, type InvocationEnvelope06, type InvokeRequest } from './envelope';

export type InvokeResult = { ok: true; output: JsonValue } | { ok: false; error: NodeError };

interface Node06 {
  describe?: () => Descriptor06;
  invoke(op: string, envelope: InvocationEnvelope06): { ok: boolean; outputCbor: Uint8Array };
}

interface Node0405 {
  getManifest?: () => string;
  invoke(ctx: ReturnType<typeof execCtx0405>, op: string, input: string): { tag: 'ok'; val: string } | { tag: 'err'; val: NodeError0405 };
}

interface NodeError06 {
  code: string;
  message: string;
  retryable: boolean;
  backoffMs?: bigint;
  details?: Uint8Array;
}

interface NodeError0405 {
  code: string;
  message: string;
  retryable: boolean;
  backoffMs?: bigint;
  details?: string;
}

type SchemaSource06 = { tag: 'inline-cbor'; val: Uint8Array } | { tag: 'cbor-schema-id' | 'ref-pack-path' | 'ref-uri'; val: string };

interface Descriptor06 {
  name: string;
  version: string;
  summary?: string;
  ops: Array<{ name: string; summary?: string; input: { schema: SchemaSource06 }; output: { schema: SchemaSource06 } }>;
}

/**
 * Calls the node interface of an instantiated component in its ABI. Returns the decoded output or the
 * component's node-error; a trap or host failure propagates as an exception for the runner to classify.
 */
export function invokeNode(abi: ComponentAbi, root: Record<string, unknown>, request: InvokeRequest): InvokeResult {
  return abi === '0.6' ? invoke06(node06(root), request) : invoke0405(node0405(root, abi), request);
}

function invoke06(node: Node06, request: InvokeRequest): InvokeResult {
  let result: { ok: boolean; outputCbor: Uint8Array };
  try {
    result = node.invoke(request.operation, envelope06(request));
  } catch (error) {
    // jco throws the err case of the export's result as an error carrying it in `payload`.
    if (hasPayload(error)) return { ok: false, error: nodeError06(error.payload as NodeError06) };
    throw error;
  }
  let output: JsonValue;
  try {
    output = decodeCbor(result.outputCbor);
  } catch {
    return invalidOutput('the component returned output that is not CBOR');
  }
  if (result.ok) return { ok: true, output };
  // A guest that sets ok: false on the invocation itself (not in its output) failed the node.
  const reported = isObject(output) && isObject(output.error) ? output.error : {};
  return {
    ok: false,
    error: {
      code: typeof reported.code === 'string' ? reported.code : 'component_error',
      message: typeof reported.message === 'string' ? reported.message : 'component reported ok: false',
      retryable: false,
      details: output,
    },
  };
}

function invoke0405(node: Node0405, request: InvokeRequest): InvokeResult {
  const result = node.invoke(execCtx0405(request), request.operation, JSON.stringify(request.input));
  if (result.tag === 'err') return { ok: false, error: nodeError0405(result.val) };
  try {
    return { ok: true, output: JSON.parse(result.val) as JsonValue };
  } catch {
    return invalidOutput('the component returned output that is not JSON');
  }
}

function invalidOutput(message: string): InvokeResult {
  return { ok: false, error: { code: 'invalid_output', message, retryable: false } };
}

/** What `describe()` (0.6) or `get-manifest` (0.4/0.5) says about the operations, when exported. */
export function describeNode(abi: ComponentAbi, root: Record<string, unknown>, id: string): ComponentDescription | null {
  if (abi === '0.6') {
    const node = node06(root);
    return typeof node.describe === 'function' ? fromDescriptor06(node.describe(), id) : null;
  }
  const node = node0405(root, abi);
  if (typeof node.getManifest !== 'function') return null;
  return fromManifestJson(node.getManifest(), id);
}

/** Bounds what a describe() may hand back, so a runaway guest cannot flood the runner's thread. */
export const MAX_DESCRIBE_CBOR_BYTES = 4 * 1024 * 1024;

/** The bytes of `component-descriptor.describe()` as the component returned them; null when it has no such export. */
export function describeCbor(root: Record<string, unknown>): Uint8Array | null {
  const name = descriptorExportName(Object.keys(root));
  const describe = name ? (root[name] as { describe?: unknown }).describe : undefined;
  if (typeof describe !== 'function') return null;
  const bytes: unknown = describe();
  if (!(bytes instanceof Uint8Array)) throw new Error('component-descriptor.describe() did not return bytes');
  if (bytes.length > MAX_DESCRIBE_CBOR_BYTES) throw new Error(`component-descriptor.describe() returned ${bytes.length} bytes, above the ${MAX_DESCRIBE_CBOR_BYTES}-byte limit`);
  return bytes;
}

function fromDescriptor06(descriptor: Descriptor06, id: string): ComponentDescription {
  return {
    id,
    version: descriptor.version,
    operations: descriptor.ops.map((op) => ({ name: op.name, inputSchema: schemaJson(op.input.schema), outputSchema: schemaJson(op.output.schema) })),
  };
}

function schemaJson(source: SchemaSource06): JsonValue {
  if (source.tag === 'inline-cbor') {
    try {
      return decodeCbor(source.val);
    } catch {
      return { $comment: 'inline schema is not valid CBOR' };
    }
  }
  return { $ref: source.val };
}

function fromManifestJson(text: string, id: string): ComponentDescription | null {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(manifest)) return null;
  const operations: OperationInfo[] = Array.isArray(manifest.operations)
    ? manifest.operations.filter(isObject).flatMap((op) =>
        typeof op.name === 'string' ? [{ name: op.name, inputSchema: op.input_schema ?? null, outputSchema: op.output_schema ?? null }] : [],
      )
    : [];
  const description: ComponentDescription = { id, operations };
  if (typeof manifest.version === 'string') description.version = manifest.version;
  if (manifest.config_schema !== undefined) description.configSchema = manifest.config_schema;
  if (manifest.dev_flows !== undefined) description.devFlows = manifest.dev_flows;
  return description;
}

function node06(root: Record<string, unknown>): Node06 {
  return root[nodeExportName('0.6')] as Node06;
}

function node0405(root: Record<string, unknown>, abi: ComponentAbi): Node0405 {
  return root[nodeExportName(abi)] as Node0405;
}

function hasPayload(error: unknown): error is { payload: unknown } {
  return error instanceof Error && Object.prototype.hasOwnProperty.call(error, 'payload');
}

function nodeError06(payload: NodeError06): NodeError {
  const error: NodeError = { code: payload.code, message: payload.message, retryable: payload.retryable };
  if (payload.backoffMs !== undefined) error.backoffMs = Number(payload.backoffMs);
  if (payload.details !== undefined) error.details = detailsJson(payload.details);
  return error;
}

function nodeError0405(payload: NodeError0405): NodeError {
  const error: NodeError = { code: payload.code, message: payload.message, retryable: payload.retryable };
  if (payload.backoffMs !== undefined) error.backoffMs = Number(payload.backoffMs);
  if (payload.details !== undefined) {
    try {
      error.details = JSON.parse(payload.details) as JsonValue;
    } catch {
      error.details = payload.details;
    }
  }
  return error;
}

/** node-error details are bytes: CBOR when they decode as such, else UTF-8 text. */
function detailsJson(bytes: Uint8Array): JsonValue {
  try {
    return decodeCbor(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
