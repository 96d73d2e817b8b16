/**
 * Turns the engine's trace events of one turn into upstream's `trace.json` steps, the way
 * greentic-runner's recorder does: a step per node run (hashes of its input and output, its time,
 * its error), the latest `TRACE_STEP_BUFFER` of them, and the invocation when inputs are captured.
 */
import type { TraceEvent } from '../../shared/api/trace';
import { TRACE_STEP_BUFFER, TRACE_VERSION, type UpstreamTrace, type UpstreamTraceStep } from '../../shared/trace/upstream-trace';
import { traceHash } from '../../shared/trace/trace-hash';

/** How a node names its component in upstream's IR: the node's component id and operation. */
export type NodeAddress = (flowId: string, nodeId: string) => { componentId: string; operation: string };

export interface TraceRecorderOptions {
  packRef: string;
  resolvedDigest?: string;
  flowVersion: string;
  captureInputs: boolean;
  runnerVersion?: string;
  address: NodeAddress;
}

interface InFlight {
  step: UpstreamTraceStep;
  payload: unknown;
  startedAt: number;
}

export class UpstreamTraceRecorder {
  private readonly steps: UpstreamTraceStep[] = [];
  private inFlight: InFlight | null = null;
  private flowId = '';
  private failed = false;

  constructor(private readonly options: TraceRecorderOptions) {}

  /** Feeds one engine event of the turn. */
  add(event: TraceEvent): void {
    switch (event.type) {
      case 'turn_start':
        if (!this.flowId) this.flowId = event.flowId;
        break;
      case 'node_start':
        this.finishInFlight();
        this.inFlight = { step: this.startStep(event.flowId, event.nodeId, event.input), payload: event.input, startedAt: event.at };
        break;
      case 'node_end':
        if (this.inFlight) {
          const { step } = this.inFlight;
          step.output_hash = traceHash(event.output);
          step.duration_ms = Math.max(0, Math.round(event.durationMs));
          if (this.options.captureInputs) step.output_json = event.output ?? null;
          this.push(step);
          this.inFlight = null;
        }
        break;
      case 'node_error': {
        const step = this.inFlight?.step ?? this.startStep(event.flowId, event.nodeId, null);
        if (this.inFlight) step.duration_ms = Math.max(0, Math.round(event.at - this.inFlight.startedAt));
        step.error = { code: 'node_error', message: event.message, details: { code: event.code } };
        this.push(step);
        this.inFlight = null;
        this.failed = true;
        break;
      }
      case 'turn_end':
        if (event.status === 'failed' && event.error && !this.failed) this.flowFailure(event.error, event.at);
        break;
      default:
        break;
    }
  }

  /** True when a step failed or the turn failed. */
  get hasFailure(): boolean {
    return this.failed;
  }

  /** The trace of the turn so far. */
  trace(): UpstreamTrace {
    return {
      trace_version: TRACE_VERSION,
      ...(this.options.runnerVersion ? { runner_version: this.options.runnerVersion } : {}),
      pack: { pack_ref: this.options.packRef, ...(this.options.resolvedDigest ? { resolved_digest: this.options.resolvedDigest } : {}) },
      flow: { id: this.flowId, version: this.options.flowVersion },
      steps: this.steps.map(inUpstreamOrder),
    };
  }

  private startStep(flowId: string, nodeId: string, payload: unknown): UpstreamTraceStep {
    const { componentId, operation } = this.options.address(flowId, nodeId);
    return {
      node_id: nodeId,
      component_id: componentId,
      operation,
      input_hash: traceHash(payload),
      ...(this.options.captureInputs ? { invocation_json: { component_id: componentId, operation, payload: payload ?? null } } : {}),
      duration_ms: 0,
    };
  }

  /** A turn that failed outside a node's run: the node then running gets the error, else an `unknown` step. */
  private flowFailure(error: { code: string; message: string; nodeId?: string }, at: number): void {
    if (this.inFlight) {
      const { step, startedAt } = this.inFlight;
      step.duration_ms = Math.max(0, Math.round(at - startedAt));
      step.error = { code: 'node_error', message: error.message, details: { code: error.code } };
      this.push(step);
      this.inFlight = null;
    } else {
      this.push({
        node_id: 'unknown',
        component_id: 'unknown',
        operation: 'unknown',
        input_hash: traceHash(null),
        duration_ms: 0,
        error: { code: 'flow_error', message: error.message, details: { code: error.code } },
      });
    }
    this.failed = true;
  }

  /** A node that started and neither ended nor failed (a parked wait reports no node_end) is dropped. */
  private finishInFlight(): void {
    this.inFlight = null;
  }

  private push(step: UpstreamTraceStep): void {
    this.steps.push(step);
    if (this.steps.length > TRACE_STEP_BUFFER) this.steps.splice(0, this.steps.length - TRACE_STEP_BUFFER);
  }
}

/** The step's fields in the order upstream's serializer writes them, so the files read alike. */
function inUpstreamOrder(step: UpstreamTraceStep): UpstreamTraceStep {
  const { node_id, component_id, operation, input_hash, invocation_json, invocation_path, output_hash, state_delta_hash, duration_ms, validation_issues, error, output_json } = step;
  return {
    node_id,
    component_id,
    operation,
    input_hash,
    ...(invocation_json ? { invocation_json } : {}),
    ...(invocation_path ? { invocation_path } : {}),
    ...(output_hash ? { output_hash } : {}),
    ...(state_delta_hash ? { state_delta_hash } : {}),
    duration_ms,
    ...(validation_issues && validation_issues.length > 0 ? { validation_issues } : {}),
    ...(error ? { error } : {}),
    ...('output_json' in step ? { output_json } : {}),
  };
}
