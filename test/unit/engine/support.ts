import type { TraceEvent } from '../../../src/shared/api/trace';
import { compileFlow, type CompiledFlow } from '../../../src/shared/flow';
import type { JsonValue } from '../../../src/shared/flow/compiled';
import { BuiltinHost } from '../../../src/runtime/components/builtin';
import { CompositeHost } from '../../../src/runtime/components/composite';
import type { ComponentHost } from '../../../src/runtime/components/host';
import { FlowCatalog } from '../../../src/runtime/engine/catalog';
import { FlowEngine, type EngineOptions, type TurnOutcome } from '../../../src/runtime/engine/engine';
import type { FlowSnapshot } from '../../../src/runtime/engine/state';
import { flowInput, type InboundMessage } from '../../../src/runtime/chat/envelope';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';

/** Compiles `.ygtc` text with the flow core, failing the test on any error. */
export function flow(text: string): CompiledFlow {
  const result = compileFlow(text);
  if (!result.flow) throw new Error(`test flow does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.flow;
}

export const scope = { env: 'local', tenant: 'acme', user: 'alice', sessionId: 'session-1' };

export function message(m: InboundMessage, tenant = 'acme'): JsonValue {
  return flowInput({ env: 'local', tenant, channel: 'test', conversation: 'c1', user: 'alice', userVerified: false }, m);
}

/** Runs turns of one conversation against a set of flows, carrying the snapshot between turns. */
export class Harness {
  readonly engine: FlowEngine;
  readonly catalog: FlowCatalog;
  readonly trace: TraceEvent[] = [];
  snapshot: FlowSnapshot | null = null;

  constructor(
    flows: CompiledFlow[],
    options: Partial<EngineOptions> & { extraHosts?: ComponentHost[] } = {},
    private readonly flowId = flows[0]?.id ?? 'main',
  ) {
    const { extraHosts = [], ...engineOptions } = options;
    this.catalog = new FlowCatalog('test.pack', flows);
    this.engine = new FlowEngine({
      host: new CompositeHost([new BuiltinHost(), ...extraHosts]),
      stateStore: new MemoryStateStore(),
      ...engineOptions,
    });
  }

  async say(m: InboundMessage | string, tenant = 'acme'): Promise<TurnOutcome> {
    const inbound = typeof m === 'string' ? { text: m } : m;
    const outcome = await this.engine.runTurn({
      catalog: this.catalog,
      flowId: this.flowId,
      input: message(inbound, tenant),
      snapshot: this.snapshot,
      scope: { ...scope, tenant },
      observer: (event) => this.trace.push(event),
    });
    if (outcome.status === 'waiting') this.snapshot = outcome.snapshot;
    else if (outcome.status === 'completed') this.snapshot = null;
    return outcome;
  }
}

export function texts(outcome: TurnOutcome): string[] {
  return outcome.replies.map((r) => (r.type === 'text' ? r.text : `card:${JSON.stringify(r.card)}`));
}
