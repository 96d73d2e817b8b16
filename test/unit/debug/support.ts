import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TraceEvent } from '../../../src/shared/api/trace';
import type { Breakpoint, FlowBreakpoints, PausedTurn } from '../../../src/shared/api/debug';
import type { CompiledFlow } from '../../../src/shared/flow';
import type { JsonValue } from '../../../src/shared/flow/compiled';
import type { InboundMessage } from '../../../src/runtime/chat/envelope';
import { FlowDebugger } from '../../../src/runtime/debug/debugger';
import type { TurnOutcome } from '../../../src/runtime/engine/engine';
import { Harness, message, scope } from '../engine/support';
import { repoRoot } from '../../support/conformance';

export const CONVERSATION = 'c1';

/** Breakpoints by flow id, as a debugger lookup keyed by the flow's path (`<id>.ygtc`). */
export type BreakpointSpec = Record<string, { breakpoints: Breakpoint[]; breakOnError?: boolean }>;

export const pathOf = (flowId: string) => `${flowId}.ygtc`;

/** A queue of the debugger's pauses: `next()` resolves with the next one, whenever it comes. */
export class Pauses {
  readonly all: PausedTurn[] = [];
  private taken = 0;
  private waiters: Array<(p: PausedTurn) => void> = [];

  push(paused: PausedTurn): void {
    this.all.push(paused);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.taken += 1;
      waiter(paused);
    }
  }

  next(): Promise<PausedTurn> {
    const ready = this.all[this.taken];
    if (ready) {
      this.taken += 1;
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** The engine harness with a debugger gate on every turn (as a studio conversation has). */
export class DebugHarness extends Harness {
  readonly pauses = new Pauses();
  readonly resumed: string[] = [];
  readonly debugger: FlowDebugger;
  settings = { pausedTurnTimeoutMs: 60_000 };
  private readonly breakpoints = new Map<string, FlowBreakpoints>();

  constructor(
    private readonly flows: CompiledFlow[],
    spec: BreakpointSpec = {},
    options: ConstructorParameters<typeof Harness>[1] = {},
  ) {
    super(flows, options);
    this.setBreakpoints(spec);
    this.debugger = new FlowDebugger({
      breakpoints: { forFlow: async (flowPath) => this.breakpoints.get(flowPath) ?? { flowPath, breakpoints: [], breakOnError: false } },
      settings: () => this.settings,
      onPaused: (p) => this.pauses.push(p),
      onResumed: (e) => this.resumed.push(e.command),
    });
  }

  setBreakpoints(spec: BreakpointSpec): void {
    this.breakpoints.clear();
    for (const [flowId, b] of Object.entries(spec)) {
      this.breakpoints.set(pathOf(flowId), { flowPath: pathOf(flowId), breakpoints: b.breakpoints, breakOnError: b.breakOnError ?? false });
    }
  }

  override async say(m: InboundMessage | string, tenant = 'acme'): Promise<TurnOutcome> {
    return this.run(message(typeof m === 'string' ? { text: m } : m, tenant), { tenant });
  }

  /** One turn with this flow input; `debug: false` runs it without the debugger, as a channel does. */
  async run(input: JsonValue, options: { tenant?: string; debug?: boolean } = {}): Promise<TurnOutcome> {
    const turn =
      options.debug === false
        ? undefined
        : await this.debugger.beginTurn({ conversationId: CONVERSATION, flowPaths: this.flows.map((f) => pathOf(f.id)), flowPathOf: pathOf, session: null });
    const outcome = await this.engine.runTurn({
      catalog: this.catalog,
      flowId: this.flows[0]?.id ?? 'main',
      input,
      snapshot: this.snapshot,
      scope: { ...scope, tenant: options.tenant ?? 'acme' },
      observer: (event) => this.trace.push(event),
      ...(turn ? { gate: turn.gate } : {}),
    });
    turn?.finish({ turnId: outcome.turnId, status: outcome.status, replies: outcome.replies });
    if (outcome.status === 'waiting') this.snapshot = outcome.snapshot;
    else if (outcome.status === 'completed') this.snapshot = null;
    return outcome;
  }

  /** Answers every pause with Continue, as soon as it comes. */
  continueAlways(): void {
    const loop = async (): Promise<void> => {
      for (;;) {
        await this.pauses.next();
        this.debugger.command(CONVERSATION, 'continue');
      }
    };
    void loop();
  }
}

/** Every node of a flow with a plain breakpoint. */
export function everyNode(...flows: CompiledFlow[]): BreakpointSpec {
  return Object.fromEntries(flows.map((f) => [f.id, { breakpoints: f.nodes.map((n) => ({ nodeId: n.id })) }]));
}

/** A trace without what differs between any two runs (ids and clocks). */
export function comparableTrace(trace: TraceEvent[]): unknown[] {
  return trace.map((event) => {
    const { turnId: _turnId, at: _at, ...rest } = event as TraceEvent & { durationMs?: number };
    if ('durationMs' in rest) delete (rest as { durationMs?: number }).durationMs;
    return rest;
  });
}

export function nodeStarts(trace: TraceEvent[]): string[] {
  return trace.flatMap((e) => (e.type === 'node_start' ? [`${e.flowId}/${e.nodeId}`] : []));
}

/**
 * A copy of the sample project to debug in. Its WASM component gets more wall time than the
 * sample's 2 s: on a busy machine the first call, which compiles the component, can take longer.
 */
export function sampleProjectCopy(): string {
  const project = mkdtempSync(path.join(tmpdir(), 'studio-debug-'));
  cpSync(path.join(repoRoot, 'resources', 'sample-project'), project, { recursive: true });
  const manifest = path.join(project, 'components', 'text-tools', 'component.manifest.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"wall_time_ms": 2000', '"wall_time_ms": 30000'));
  return project;
}
