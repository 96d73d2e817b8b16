/**
 * The recent turns of a studio conversation, node by node with the state before each node: what
 * "Replay from here" starts from. Bounded per conversation; older turns drop off.
 */
import type { DebugFrame, RecordedStep, RecordedTurn } from '../../shared/api/debug';
import type { BotMessage, TurnStatus } from '../../shared/api/chat';
import type { JsonValue } from '../../shared/flow/compiled';
import { cloneJson, type ExecutionState } from '../engine/state';
import type { NodeFailure } from '../engine/step-gate';
import { flowStateView } from './flow-state';

export const DEFAULT_RECORDED_TURNS = 20;

export interface StepRecord {
  step: number;
  flowId: string;
  flowPath: string | null;
  nodeId: string;
  component: string;
  input: JsonValue;
  /** The whole execution state before the node ran (egress and memory included), for a replay. */
  state: ExecutionState;
  callStack: DebugFrame[];
  resumedSubmit: boolean;
  output?: JsonValue;
  error?: NodeFailure;
}

export interface TurnRecord {
  conversationId: string;
  turnId: string;
  status: TurnStatus;
  replies: BotMessage[];
  steps: StepRecord[];
}

export class TurnRecordings {
  private readonly turns: TurnRecord[] = [];

  constructor(private readonly limit = DEFAULT_RECORDED_TURNS) {}

  add(turn: TurnRecord): void {
    if (this.limit <= 0) return;
    this.turns.push(turn);
    if (this.turns.length > this.limit) this.turns.shift();
  }

  get(turnId: string): TurnRecord | undefined {
    return this.turns.find((t) => t.turnId === turnId);
  }
}

export function recordedTurnView(turn: TurnRecord): RecordedTurn {
  return {
    conversationId: turn.conversationId,
    turnId: turn.turnId,
    status: turn.status,
    replies: cloneJson(turn.replies),
    steps: turn.steps.map(recordedStepView),
  };
}

function recordedStepView(step: StepRecord): RecordedStep {
  return {
    step: step.step,
    flowId: step.flowId,
    flowPath: step.flowPath,
    nodeId: step.nodeId,
    component: step.component,
    input: cloneJson(step.input),
    state: flowStateView(step.state),
    callStack: step.callStack.map((f) => ({ ...f })),
    ...(step.output !== undefined ? { output: cloneJson(step.output) } : {}),
    ...(step.error ? { error: { ...step.error } } : {}),
  };
}
