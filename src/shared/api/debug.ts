/**
 * The flow debugger: breakpoints on nodes, a turn held before a node runs (studio conversations
 * only: the chat panel and the CLI; Direct Line and NATS conversations never pause), stepping,
 * edit-and-continue, and replaying a recorded turn from one of its nodes in a side run.
 */
import { z } from 'zod';
import type { BotMessage, SessionInspection, TraceEvent, TurnStatus } from './chat';
import { method } from './define';

/** A breakpoint on one node of a flow. */
export interface Breakpoint {
  nodeId: string;
  /**
   * Pause only when this holds: the flow condition grammar (runtime.md §5.3, `path == value` or
   * `path != value`) evaluated against the node's context (see `BreakpointContext`).
   */
  condition?: string;
  /** Pause from the n-th hit on (a hit: the node is reached and the condition, if any, holds). */
  hitCount?: number;
  /** A disabled breakpoint is kept but never pauses (default true). */
  enabled?: boolean;
}

/** The breakpoints of one flow, as stored in its sidecar `<flow>.ygtc.breakpoints.json`. */
export interface FlowBreakpoints {
  /** Project-relative path of the flow. */
  flowPath: string;
  breakpoints: Breakpoint[];
  /** Pause at any node of this flow that fails (before its error route or the turn's failure). */
  breakOnError: boolean;
}

/**
 * What a breakpoint condition is evaluated against, before the node runs: the top-level fields of
 * the node's resolved input, and `input` (the whole resolved input), `entry` / `in`, `prev`,
 * `node` (earlier nodes' payloads by id), `state` (`entry`, `input`, `nodes`, `vars`), `vars`
 * and `response` (the message's metadata plus its `text`), as routing conditions see them.
 */
export type BreakpointContext = Record<string, unknown>;

/** The flow state of a paused node, as the debugger shows and edits it. */
export interface DebugFlowState {
  /** Input of the conversation's first turn of this flow run. */
  entry: unknown;
  /** Input of the current turn. */
  input: unknown;
  /** Outputs of the nodes that ran before, by node id. */
  nodes: Record<string, { ok: boolean; payload: unknown; meta: unknown }>;
  /** Session variables. */
  vars: Record<string, unknown>;
}

/** One level of the call stack: a flow and the node it is at (for callers, the `flow.call` node). */
export interface DebugFrame {
  flowId: string;
  /** Project-relative path of the flow file, when the flow comes from the project. */
  flowPath: string | null;
  nodeId: string;
}

export type PauseReason = 'breakpoint' | 'step' | 'run_to_here' | 'error';

/** A turn held before a node runs (or, with reason `error`, after it failed). */
export interface PausedTurn {
  conversationId: string;
  turnId: string;
  /** Changes at every pause; a command may name it so it never acts on a newer pause. */
  pauseId: string;
  /** 1-based count of node executions in this turn (the `step` of the node's `node_start` event). */
  step: number;
  flowId: string;
  flowPath: string | null;
  nodeId: string;
  /** The component or built-in that runs the node. */
  component: string;
  reason: PauseReason;
  /** Set when `reason` is `error`: why the node failed. */
  error?: { code: string; message: string };
  /** The node's input with its templates rendered (after any edit). */
  input: unknown;
  state: DebugFlowState;
  /** The conversation's session as it was before this turn (null: no session yet). */
  session: SessionInspection | null;
  /** Outermost flow first; the last frame is the paused node. */
  callStack: DebugFrame[];
  /** What was edited at this pause so far. */
  edited: { input: boolean; state: boolean };
  /** Epoch milliseconds. */
  pausedAt: number;
  /** When the paused turn ends by itself (epoch milliseconds), leaving the session as it was. */
  timeoutAt: number;
}

export type DebugCommand = 'continue' | 'stepOver' | 'stepInto' | 'stepOut' | 'stop' | 'runToHere';

export interface DebugResumedEvent {
  conversationId: string;
  turnId: string;
  pauseId: string;
  command: DebugCommand | 'timeout';
}

export type BreakpointsChangedEvent = FlowBreakpoints;

export interface DebugSettings {
  /** How long a turn may stay paused before it ends by itself (milliseconds). */
  pausedTurnTimeoutMs: number;
}

/** One node execution of a recorded turn: what a replay from there starts with. */
export interface RecordedStep {
  step: number;
  flowId: string;
  flowPath: string | null;
  nodeId: string;
  component: string;
  /** The node's resolved input as it ran. */
  input: unknown;
  /** The flow state just before the node ran. */
  state: DebugFlowState;
  callStack: DebugFrame[];
  /** What the node returned, or why it failed. */
  output?: unknown;
  error?: { code: string; message: string };
}

export interface RecordedTurn {
  conversationId: string;
  turnId: string;
  status: TurnStatus;
  replies: BotMessage[];
  steps: RecordedStep[];
}

/** One difference between a recorded and a replayed value, at a JSON pointer. */
export interface JsonDifference {
  /** RFC 6901 pointer into the value ("" for the whole value). */
  path: string;
  kind: 'changed' | 'added' | 'removed';
  recorded?: unknown;
  replayed?: unknown;
}

/** A node of the replay beside the same node of the recorded turn. */
export interface ReplayNodeComparison {
  flowId: string;
  nodeId: string;
  /** Absent when the recorded turn did not run this node at this point. */
  recorded?: { output?: unknown; error?: { code: string; message: string } };
  /** Absent when the replay did not reach this node. */
  replayed?: { output?: unknown; error?: { code: string; message: string } };
  same: boolean;
  differences: JsonDifference[];
}

export interface ReplayResult {
  conversationId: string;
  /** The recorded turn that was replayed. */
  turnId: string;
  /** The side run's own turn id (its trace events carry it). */
  replayTurnId: string;
  from: { step: number; flowId: string; nodeId: string };
  /** True when the start input or state was edited for the replay. */
  edited: { input: boolean; state: boolean };
  status: TurnStatus;
  error?: { code: string; message: string };
  replies: { recorded: BotMessage[]; replayed: BotMessage[]; same: boolean; differences: JsonDifference[] };
  /** Node by node from the start node on, in the order they ran. */
  nodes: ReplayNodeComparison[];
  /** The side run's trace (it never reaches the conversation's trace or any session). */
  trace: TraceEvent[];
}

const id = z.string().min(1).max(256);
const flowPath = z.string().min(1).max(4096);
const nodeId = z.string().min(1).max(256);
const conversationRef = z.object({ conversationId: id, pauseId: id.optional() }).strict();
const MAX_BREAKPOINTS = 1000;
const MAX_PAUSED_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export const breakpointSchema = z
  .object({
    nodeId,
    condition: z.string().min(1).max(4096).optional(),
    hitCount: z.number().int().positive().max(1_000_000).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const flowStateEditSchema = z
  .object({
    entry: z.unknown().optional(),
    input: z.unknown().optional(),
    nodes: z.record(z.string(), z.object({ ok: z.boolean(), payload: z.unknown(), meta: z.unknown() }).strict()).optional(),
    vars: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** An edit of the paused node's input and/or flow state; parts left out stay as they are. */
const editParams = z
  .object({ conversationId: id, pauseId: id.optional(), input: z.unknown().optional(), state: flowStateEditSchema.optional() })
  .strict()
  .refine((p) => p.input !== undefined || p.state !== undefined, 'either input or state is required');

export const debugMethods = {
  /** The breakpoints of a flow (none when it has no sidecar). */
  getBreakpoints: method<FlowBreakpoints>()(z.object({ flowPath }).strict()),
  /** Replaces a flow's breakpoints; a condition outside the §5.3 grammar is refused. Pushes `breakpointsChanged`. */
  setBreakpoints: method<FlowBreakpoints>()(
    z.object({ flowPath, breakpoints: z.array(breakpointSchema).max(MAX_BREAKPOINTS), breakOnError: z.boolean().optional() }).strict(),
  ),
  getDebugSettings: method<DebugSettings>()(z.object({}).strict()),
  setDebugSettings: method<DebugSettings>()(
    z.object({ pausedTurnTimeoutMs: z.number().int().min(1).max(MAX_PAUSED_TIMEOUT_MS) }).strict(),
  ),
  /** The conversation's paused turn, or null when it is not paused. */
  getPausedTurn: method<PausedTurn | null>()(z.object({ conversationId: id }).strict()),
  /** Runs on until the next breakpoint or the end of the turn. */
  debugContinue: method<null>()(conversationRef),
  /** Runs this node (a `flow.call` with its whole called flow) and pauses before the next one in this turn. */
  debugStepOver: method<null>()(conversationRef),
  /** Pauses before the very next node, inside a called flow when this node calls one. */
  debugStepInto: method<null>()(conversationRef),
  /** Runs to the end of the current called flow and pauses before the caller's next node. */
  debugStepOut: method<null>()(conversationRef),
  /** Ends the turn here (trace: `debug_stop`); the session stays as it was before the turn. */
  debugStop: method<null>()(conversationRef),
  /**
   * Runs on until `nodeId` of `flowPath` (default: the paused flow, or the conversation's flow) is
   * reached; breakpoints on the way still pause. When the conversation is not paused, its next
   * turn stops there.
   */
  debugRunToHere: method<null>()(z.object({ conversationId: id, pauseId: id.optional(), flowPath: flowPath.optional(), nodeId }).strict()),
  /** Edits the paused node's input and/or flow state; the node then runs with them (trace: `debug_edit`). */
  debugEdit: method<PausedTurn>()(editParams),
  /** A recent turn of the conversation with the state before each of its nodes (bounded: older turns drop off). */
  getRecordedTurn: method<RecordedTurn>()(z.object({ conversationId: id, turnId: id }).strict()),
  /**
   * Re-runs a recorded turn from one of its node executions (`step`), with the state it had then,
   * optionally edited, in a side run that changes no session; compares with what was recorded.
   */
  replayTurn: method<ReplayResult>()(
    z.object({ conversationId: id, turnId: id, step: z.number().int().positive(), input: z.unknown().optional(), state: flowStateEditSchema.optional() }).strict(),
  ),
};
