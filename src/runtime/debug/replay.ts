/**
 * "Replay from here": a recorded turn re-run from one of its node executions, with the state it
 * had then (optionally edited), beside the conversation; the result puts each node's new output
 * next to the recorded one.
 */
import { StudioError } from '../../shared/api';
import type { TraceEvent } from '../../shared/api/chat';
import type { ReplayNodeComparison, ReplayResult } from '../../shared/api/debug';
import type { JsonValue } from '../../shared/flow/compiled';
import type { ChatRuntime } from '../chat/chat-runtime';
import type { StateStore } from '../sessions/state-store';
import type { NodeFailure, StateEdit, StepGate } from '../engine/step-gate';
import { withStateEdit } from './flow-state';
import { jsonDifferences } from './json-diff';
import { OverlayStateStore } from './overlay-state-store';
import type { StepRecord, TurnRecord } from './recordings';

export interface ReplayRequest {
  recorded: TurnRecord;
  step: number;
  input?: JsonValue;
  state?: StateEdit;
}

interface NodeResult {
  flowId: string;
  nodeId: string;
  output?: JsonValue;
  error?: NodeFailure;
}

export async function replayRecordedTurn(runtime: ChatRuntime, studioState: StateStore | undefined, request: ReplayRequest): Promise<ReplayResult> {
  const { recorded, step } = request;
  const index = recorded.steps.findIndex((s) => s.step === step);
  const from = recorded.steps[index];
  if (!from) {
    throw new StudioError('not_found', `turn ${recorded.turnId} has no node execution ${step}: it ran ${recorded.steps.length} node${recorded.steps.length === 1 ? '' : 's'}`);
  }
  const replayed: Array<NodeResult & { step: number }> = [];
  const gate: StepGate = {
    beforeNode: (stop) => {
      replayed.push({ step: stop.step, flowId: stop.flowId, nodeId: stop.nodeId });
      if (stop.step !== 1 || (request.input === undefined && request.state === undefined)) return undefined;
      return { action: 'run', ...(request.input !== undefined ? { input: request.input } : {}), ...(request.state ? { state: request.state } : {}) };
    },
    afterNode: (step, result) => {
      const last = replayed.findLast((n) => n.step === step);
      if (!last) return;
      if ('output' in result) last.output = result.output;
      else last.error = result.error;
    },
  };
  const trace: TraceEvent[] = [];
  const callers = callersOf(recorded.steps, index);
  // The called flows' results reach their callers as `node_end` events of their `flow.call` nodes, innermost first.
  const returns = [...callers].reverse();
  const observer = (event: TraceEvent) => {
    trace.push(event);
    const caller = returns[0];
    if (event.type !== 'node_end' || !caller || event.flowId !== caller.flowId || event.nodeId !== caller.nodeId) return;
    if (replayed.some((n) => n.flowId === caller.flowId && n.nodeId === caller.nodeId && n.output === undefined && n.error === undefined)) return;
    returns.shift();
    replayed.push({ step: 0, flowId: event.flowId, nodeId: event.nodeId, output: event.output as JsonValue });
  };
  const outcome = await runtime.sideRun(
    recorded.conversationId,
    {
      flowId: from.flowId,
      nodeId: from.nodeId,
      // The edited state is also where the run starts, so the first node's input renders from it;
      // the gate's decision repeats it only to mark the edit in the trace.
      state: withStateEdit(from.state, request.state),
      resumedSubmit: from.resumedSubmit,
      callers: callers.map((c) => ({ flowId: c.flowId, nodeId: c.nodeId, state: c.state, resumedSubmit: c.resumedSubmit })),
    },
    { gate, stateStore: new OverlayStateStore(studioState), observer },
  );
  const replies = { recorded: recorded.replies, replayed: outcome.replies };
  const replyDifferences = jsonDifferences(replies.recorded, replies.replayed);
  return {
    conversationId: recorded.conversationId,
    turnId: recorded.turnId,
    replayTurnId: outcome.turnId,
    from: { step: from.step, flowId: from.flowId, nodeId: from.nodeId },
    edited: { input: request.input !== undefined, state: request.state !== undefined },
    status: outcome.status,
    ...(outcome.status === 'failed' ? { error: { code: outcome.error.code, message: outcome.error.message } } : {}),
    replies: { ...replies, same: replyDifferences.length === 0, differences: replyDifferences },
    nodes: compare(recordedSegment(recorded.steps, index, callers), replayed.map(({ step: _step, ...node }) => node)),
    trace,
  };
}

/** For a node inside called flows: the recorded `flow.call` executions waiting for it, outermost first. */
function callersOf(steps: StepRecord[], index: number): StepRecord[] {
  const stack = steps[index]?.callStack ?? [];
  return stack.slice(0, -1).map((frame, depth) => {
    const call = steps.slice(0, index).findLast((s) => s.flowId === frame.flowId && s.nodeId === frame.nodeId && s.callStack.length === depth + 1);
    if (!call) throw new StudioError('internal', `the recording has no flow.call ${frame.flowId}/${frame.nodeId} for this node`);
    return call;
  });
}

/**
 * The recorded executions a replay from `index` goes through: that one and those after it, each
 * caller's `flow.call` result placed where its called flow returned.
 */
function recordedSegment(steps: StepRecord[], index: number, callers: StepRecord[]): NodeResult[] {
  const result = (s: StepRecord): NodeResult => ({ flowId: s.flowId, nodeId: s.nodeId, ...(s.output !== undefined ? { output: s.output } : {}), ...(s.error ? { error: s.error } : {}) });
  let depth = steps[index]?.callStack.length ?? 1;
  const segment: NodeResult[] = [];
  for (const s of steps.slice(index)) {
    while (s.callStack.length < depth) {
      depth -= 1;
      const caller = callers[depth - 1];
      if (caller) segment.push(result(caller));
    }
    segment.push(result(s));
  }
  return segment;
}

/** Pairs recorded and replayed nodes along their longest common sequence, so a changed route does not shift every pair. */
function compare(recorded: NodeResult[], replayed: NodeResult[]): ReplayNodeComparison[] {
  const key = (n: NodeResult) => `${n.flowId}\u0000${n.nodeId}`;
  const lengths = Array.from({ length: recorded.length + 1 }, () => new Array<number>(replayed.length + 1).fill(0));
  for (let i = recorded.length - 1; i >= 0; i -= 1) {
    for (let j = replayed.length - 1; j >= 0; j -= 1) {
      const row = lengths[i] as number[];
      const next = lengths[i + 1] as number[];
      row[j] = key(recorded[i] as NodeResult) === key(replayed[j] as NodeResult) ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const out: ReplayNodeComparison[] = [];
  let i = 0;
  let j = 0;
  while (i < recorded.length || j < replayed.length) {
    const r = recorded[i];
    const p = replayed[j];
    if (r && p && key(r) === key(p)) {
      out.push(comparison(r, p));
      i += 1;
      j += 1;
    } else if (r && (!p || (lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0))) {
      out.push(comparison(r, undefined));
      i += 1;
    } else if (p) {
      out.push(comparison(undefined, p));
      j += 1;
    }
  }
  return out;
}

function comparison(recorded: NodeResult | undefined, replayed: NodeResult | undefined): ReplayNodeComparison {
  const node = (recorded ?? replayed) as NodeResult;
  const result = (n: NodeResult) => ({ ...(n.output !== undefined ? { output: n.output } : {}), ...(n.error ? { error: { ...n.error } } : {}) });
  const differences = jsonDifferences(recorded ? result(recorded) : undefined, replayed ? result(replayed) : undefined);
  return {
    flowId: node.flowId,
    nodeId: node.nodeId,
    ...(recorded ? { recorded: result(recorded) } : {}),
    ...(replayed ? { replayed: result(replayed) } : {}),
    same: differences.length === 0,
    differences,
  };
}
