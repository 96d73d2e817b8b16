/**
 * Upstream's run trace (`trace.json`, `trace_version: 1`), as greentic-runner writes it with
 * `--trace-out` and reads it in `greentic-runner replay`: one flow run, its last steps, each with
 * BLAKE3 hashes of the node's input and output and, with input capture on, the invocation itself.
 */

export const TRACE_VERSION = 1;
export const TRACE_HASH_ALGORITHM = 'blake3';
/** Steps a trace keeps: the latest ones, as upstream's recorder buffers them. */
export const TRACE_STEP_BUFFER = 20;
/** Upstream's default file name for `--trace-out`. */
export const DEFAULT_TRACE_FILE = 'trace.json';
/** A trace file larger than this is refused before it is parsed. */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;

export interface TraceHash {
  algorithm: string;
  value: string;
}

export interface TraceStepError {
  code: string;
  message: string;
  details: unknown;
}

export interface UpstreamTraceStep {
  node_id: string;
  component_id: string;
  operation: string;
  input_hash: TraceHash;
  /** `{component_id, operation, payload}`, with `--trace-capture-inputs`. */
  invocation_json?: { component_id?: string; operation?: string; payload?: unknown; [key: string]: unknown };
  invocation_path?: string;
  output_hash?: TraceHash;
  state_delta_hash?: TraceHash;
  duration_ms: number;
  validation_issues?: unknown[];
  error?: TraceStepError;
  /**
   * The node's output, written by the studio with `--trace-capture-inputs` so the run inspector can
   * show it; upstream's runner neither writes nor needs it (unknown fields are ignored there).
   */
  output_json?: unknown;
}

export interface UpstreamTrace {
  trace_version: number;
  runner_version?: string;
  git_sha?: string;
  pack: { pack_ref: string; resolved_digest?: string };
  flow: { id: string; version: string };
  steps: UpstreamTraceStep[];
}

/** A trace file that is not upstream's trace: the message says what is wrong and where. */
export class TraceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFormatError';
  }
}

/** Reads and checks a `trace.json` text; throws `TraceFormatError` naming the first bad field. */
export function parseUpstreamTrace(text: string): UpstreamTrace {
  if (text.length > MAX_TRACE_BYTES) throw new TraceFormatError(`trace is larger than ${MAX_TRACE_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TraceFormatError(`failed to parse trace.json: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = record(value, 'trace');
  const version = root.trace_version;
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new TraceFormatError('trace_version: expected a whole number');
  if (version !== TRACE_VERSION) throw new TraceFormatError(`trace_version ${version} is not supported (expected ${TRACE_VERSION})`);
  const pack = record(root.pack, 'pack');
  const flow = record(root.flow, 'flow');
  if (!Array.isArray(root.steps)) throw new TraceFormatError('steps: expected an array');
  return {
    trace_version: version,
    ...optionalString(root, 'runner_version', 'runner_version'),
    ...optionalString(root, 'git_sha', 'git_sha'),
    pack: { pack_ref: string(pack.pack_ref, 'pack.pack_ref'), ...optionalString(pack, 'resolved_digest', 'pack.resolved_digest') },
    flow: { id: string(flow.id, 'flow.id'), version: string(flow.version, 'flow.version') },
    steps: root.steps.map((step, index) => parseStep(step, `steps[${index}]`)),
  };
}

function parseStep(value: unknown, where: string): UpstreamTraceStep {
  const step = record(value, where);
  const node_id = string(step.node_id, `${where}.node_id`);
  const component_id = string(step.component_id, `${where}.component_id`);
  const operation = string(step.operation, `${where}.operation`);
  const input_hash = hash(step.input_hash, `${where}.input_hash`);
  const duration = step.duration_ms;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0) throw new TraceFormatError(`${where}.duration_ms: expected a whole number of milliseconds`);
  const parsed: UpstreamTraceStep = { node_id, component_id, operation, input_hash, duration_ms: duration };
  if (present(step.invocation_json)) parsed.invocation_json = record(step.invocation_json, `${where}.invocation_json`);
  if (present(step.invocation_path)) parsed.invocation_path = string(step.invocation_path, `${where}.invocation_path`);
  if (present(step.output_hash)) parsed.output_hash = hash(step.output_hash, `${where}.output_hash`);
  if (present(step.state_delta_hash)) parsed.state_delta_hash = hash(step.state_delta_hash, `${where}.state_delta_hash`);
  if (present(step.validation_issues)) {
    if (!Array.isArray(step.validation_issues)) throw new TraceFormatError(`${where}.validation_issues: expected an array`);
    parsed.validation_issues = step.validation_issues;
  }
  if (present(step.error)) {
    const error = record(step.error, `${where}.error`);
    parsed.error = { code: string(error.code, `${where}.error.code`), message: string(error.message, `${where}.error.message`), details: error.details ?? null };
  }
  if ('output_json' in step) parsed.output_json = step.output_json;
  return parsed;
}

function hash(value: unknown, where: string): TraceHash {
  const fields = record(value, where);
  return { algorithm: string(fields.algorithm, `${where}.algorithm`), value: string(fields.value, `${where}.value`) };
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TraceFormatError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TraceFormatError(`${where}: expected a string`);
  return value;
}

function optionalString<K extends string>(fields: Record<string, unknown>, key: K, where: string): Partial<Record<K, string>> {
  const value = fields[key];
  if (!present(value)) return {};
  return { [key]: string(value, where) } as Partial<Record<K, string>>;
}

/** The index (0-based) of the first failing step, or -1. */
export function firstFailingStep(trace: UpstreamTrace): number {
  return trace.steps.findIndex((step) => step.error !== undefined);
}
