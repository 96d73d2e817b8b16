/**
 * `replay <trace.json>`: runs the recorded steps of an upstream trace again against the pack the
 * trace names (or `--pack`), and compares each output's hash with the recorded one, as
 * `greentic-runner replay` does: same lines, same stop at the failing step.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CompiledNode, JsonValue } from '../../shared/flow/compiled';
import { firstFailingStep, MAX_TRACE_BYTES, parseUpstreamTrace, type UpstreamTrace, type UpstreamTraceStep } from '../../shared/trace/upstream-trace';
import { hashMatches, traceHash } from '../../shared/trace/trace-hash';
import { nodeKind } from '../engine/kinds';
import { DEFAULT_TURN_WALL_TIME_MS } from '../engine/engine';
import type { ComponentHost } from '../components/host';
import { openReplayPack, type ReplayPack } from './replay-pack';

/** One component call of a replay gets as long as a whole studio turn. */
const REPLAY_STEP_TIMEOUT_MS = DEFAULT_TURN_WALL_TIME_MS;

/** The trace or the pack cannot be had: a usage or I/O problem. */
export class ReplaySetupError extends Error {}

/** A step could not be run again (upstream: `replay failed at step N`). */
export class ReplayStepError extends Error {}

export interface ReplayOptions {
  /** Overrides the trace's `pack.pack_ref`: a project folder or a `.gtpack`. */
  pack?: string;
  /** Runs only this step (1-based). */
  step?: number;
  /** Prints one line. */
  print(line: string): void;
}

export interface ReplaySummary {
  replayed: number;
  matched: number;
  diverged: number;
}

export async function loadTrace(file: string): Promise<UpstreamTrace> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new ReplaySetupError(`failed to read trace ${file}: no such file`);
  if (stat.size > MAX_TRACE_BYTES) throw new ReplaySetupError(`failed to read trace ${file}: larger than ${MAX_TRACE_BYTES} bytes`);
  const text = await fs.readFile(file, 'utf8').catch((error: unknown) => {
    throw new ReplaySetupError(`failed to read trace ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    return parseUpstreamTrace(text);
  } catch (error) {
    throw new ReplaySetupError(error instanceof Error ? error.message : String(error));
  }
}

export async function replayTrace(file: string, options: ReplayOptions): Promise<ReplaySummary> {
  const trace = await loadTrace(file);
  if (options.step !== undefined && (options.step < 1 || options.step > trace.steps.length)) {
    throw new ReplaySetupError(`--step ${options.step}: the trace has ${trace.steps.length} step${trace.steps.length === 1 ? '' : 's'}`);
  }
  const location = await packPath(trace, options.pack, path.dirname(path.resolve(file)));
  const pack = await openReplayPack(location).catch((error: unknown) => {
    throw new ReplaySetupError(`failed to load pack for replay: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    return await replaySteps(trace, pack.host, options);
  } finally {
    await pack.close();
  }
}

async function replaySteps(trace: UpstreamTrace, host: ComponentHost, options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { replayed: 0, matched: 0, diverged: 0 };
  const target = options.step === undefined ? undefined : options.step - 1;
  const last = trace.steps.length - 1;
  const failing = firstFailingStep(trace);
  for (const [index, step] of trace.steps.entries()) {
    if (target !== undefined && index !== target) continue;
    options.print(`step ${index + 1}: ${step.component_id} ${step.operation}`);
    if (!step.invocation_json) {
      options.print('  missing invocation_json; skipping replay');
      if (target !== undefined) break;
      continue;
    }
    let output: JsonValue;
    try {
      output = await replayStep(trace, step, host);
    } catch (error) {
      throw new ReplayStepError(`replay failed at step ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
    summary.replayed += 1;
    if (!step.output_hash) options.print('  output hash missing; skipping compare');
    else if (hashMatches(output, step.output_hash)) {
      summary.matched += 1;
      options.print('  output hash matches');
    } else {
      summary.diverged += 1;
      options.print(`  divergence: expected output hash ${step.output_hash.value}, got ${traceHash(output).value}`);
    }
    if (index === failing) {
      options.print('  stopping at failing step');
      break;
    }
    if (index === last) options.print('  reached end of trace');
  }
  return summary;
}

/** Upstream runs no control node again (their output counts as null); a component runs with the recorded payload. */
async function replayStep(trace: UpstreamTrace, step: UpstreamTraceStep, host: ComponentHost): Promise<JsonValue> {
  const payload = (step.invocation_json?.payload ?? null) as JsonValue;
  const node: CompiledNode = {
    id: step.node_id,
    component: { id: step.component_id, pack_alias: null, operation: step.operation === 'unknown' ? null : step.operation },
    input: { mapping: payload },
    output: { mapping: null },
    routing: 'end',
    telemetry: { attributes: {} },
  };
  const kind = nodeKind(node, payload);
  if (kind.kind === 'emit' || kind.kind === 'native') return null;
  if (kind.kind === 'invalid') throw new Error(kind.message);
  if (!host.supports(kind.componentId, kind.operation)) {
    throw new Error(`component invoke failed: component \`${kind.componentId}\` (operation \`${kind.operation}\`) is not in the pack`);
  }
  const outcome = await host.invoke({
    componentId: kind.componentId,
    operation: kind.operation,
    input: kind.input,
    config: kind.config,
    turnInput: null,
    memory: undefined,
    signal: AbortSignal.timeout(REPLAY_STEP_TIMEOUT_MS),
    ctx: { env: 'replay', tenant: 'replay', flowId: trace.flow.id, nodeId: step.node_id, traceId: randomUUID(), i18nId: 'en', attempt: 1, deadlineMs: Date.now() + REPLAY_STEP_TIMEOUT_MS },
  });
  if (!outcome.ok) throw new Error(`component invoke failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.output;
}

/** `--pack`, else the trace's `pack_ref` as a path (relative ones from the trace's folder, then the working folder). */
async function packPath(trace: UpstreamTrace, override: string | undefined, traceFolder: string): Promise<string> {
  if (override !== undefined) {
    if (!(await fs.stat(override).catch(() => null))) throw new ReplaySetupError(`--pack: no such file or folder: ${override}`);
    return override;
  }
  const ref = trace.pack.pack_ref;
  for (const candidate of path.isAbsolute(ref) ? [ref] : [path.resolve(ref), path.resolve(traceFolder, ref)]) {
    if (await fs.stat(candidate).catch(() => null)) return candidate;
  }
  throw new ReplaySetupError(`pack path not found; provide --pack (trace pack_ref was ${ref})`);
}

export type { ReplayPack };
