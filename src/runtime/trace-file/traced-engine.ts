/**
 * An engine that also writes upstream's `trace.json` (`--trace-out`): every turn is recorded on the
 * side of whatever observer the caller has, and the file is rewritten with the latest turn's
 * trace once the turn ends, as upstream's runner does with `--trace always`.
 */
import type { TraceEvent } from '../../shared/api/trace';
import { writeFileAtomic } from '../fs/atomic';
import { FlowEngine, type EngineOptions, type TurnOutcome, type TurnRequest } from '../engine/engine';
import type { FlowCatalog } from '../engine/catalog';
import { UpstreamTraceRecorder } from './trace-recorder';

export interface TraceOutOptions {
  /** The file written after each turn. */
  path: string;
  /** Record each node's invocation (`invocation_json`), so that `replay` can run it again. */
  captureInputs: boolean;
  /** What `replay` opens to run the trace again: the project folder or the pack file. */
  packRef: string;
  resolvedDigest?: string;
  flowVersion: string;
  /** Who wrote the trace (`runner_version`). */
  runnerVersion?: string;
  /** Told when a trace could not be written; the turn's result is not affected. */
  onWriteError?: (error: unknown) => void;
}

export class TracedEngine extends FlowEngine {
  /** Serialises the writes, so that the file always ends up with the latest turn. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    options: EngineOptions,
    private readonly traceOut: TraceOutOptions,
  ) {
    super(options);
  }

  override async runTurn(request: TurnRequest): Promise<TurnOutcome> {
    const recorder = new UpstreamTraceRecorder({
      packRef: this.traceOut.packRef,
      ...(this.traceOut.resolvedDigest ? { resolvedDigest: this.traceOut.resolvedDigest } : {}),
      flowVersion: this.traceOut.flowVersion,
      captureInputs: this.traceOut.captureInputs,
      ...(this.traceOut.runnerVersion ? { runnerVersion: this.traceOut.runnerVersion } : {}),
      address: addressIn(request.catalog),
    });
    const outer = request.observer;
    const observer = (event: TraceEvent): void => {
      recorder.add(event);
      outer?.(event);
    };
    const outcome = await super.runTurn({ ...request, observer });
    const text = `${JSON.stringify(recorder.trace(), null, 2)}\n`;
    this.writes = this.writes.then(() => writeFileAtomic(this.traceOut.path, text)).catch((error: unknown) => this.traceOut.onWriteError?.(error));
    await this.writes;
    return outcome;
  }
}

/** Upstream names a node by its IR component id and operation (`component.exec` + `qa.process`, `emit.response`, ...). */
function addressIn(catalog: FlowCatalog) {
  return (flowId: string, nodeId: string) => {
    const node = catalog.get(flowId)?.node(nodeId);
    return { componentId: node?.component.id ?? 'unknown', operation: node?.component.operation ?? 'unknown' };
  };
}
