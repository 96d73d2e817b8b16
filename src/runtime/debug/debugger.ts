/**
 * The flow debugger of studio conversations: gives each turn a step gate that pauses at
 * breakpoints, while stepping and at failed nodes (break on error), holds the paused turn until a
 * command or the paused-turn timeout, applies edits, and records each turn for replays.
 */
import { randomUUID } from 'node:crypto';
import { StudioError } from '../../shared/api';
import type { BotMessage, SessionInspection, TurnStatus } from '../../shared/api/chat';
import type {
  DebugCommand,
  DebugFrame,
  DebugResumedEvent,
  DebugSettings,
  FlowBreakpoints,
  PausedTurn,
  PauseReason,
} from '../../shared/api/debug';
import type { JsonValue } from '../../shared/flow/compiled';
import type { GateDecision, NodeFailure, NodeStop, StateEdit, StepGate } from '../engine/step-gate';
import { breakpointPauses } from './breakpoint-match';
import { flowStateView, withStateEdit } from './flow-state';
import { DEFAULT_RECORDED_TURNS, TurnRecordings, type StepRecord, type TurnRecord } from './recordings';

export const DEFAULT_PAUSED_TURN_TIMEOUT_MS = 10 * 60 * 1000;

/** Where a flow's breakpoints come from: the studio's sidecars, or the CLI's own list. */
export interface BreakpointLookup {
  forFlow(flowPath: string): Promise<FlowBreakpoints>;
}

export interface FlowDebuggerOptions {
  breakpoints: BreakpointLookup;
  settings: () => DebugSettings;
  onPaused?: (paused: PausedTurn) => void;
  onResumed?: (event: DebugResumedEvent) => void;
  recordedTurnLimit?: number;
}

/** What a debugged turn knows about its conversation. */
export interface DebugTurnContext {
  conversationId: string;
  /** The project paths of the flows the turn may run (the conversation's catalog). */
  flowPaths: string[];
  /** The project path of a flow id of the turn's catalog (null: not a project file). */
  flowPathOf(flowId: string): string | null;
  /** The session as it was before the turn. */
  session: SessionInspection | null;
}

export interface DebugTurn {
  gate: StepGate;
  finish(result: { turnId: string; status: TurnStatus; replies: BotMessage[] }): void;
}

/** What the chat runtime needs of a debugger. */
export interface TurnDebugging {
  beginTurn(context: DebugTurnContext): Promise<DebugTurn>;
  /** Stops a paused turn of the conversation and forgets its recordings and hit counts. */
  forget(conversationId: string): void;
}

interface RunTarget {
  flowPath: string;
  nodeId: string;
}

type Mode = { kind: 'run' } | { kind: 'over'; depth: number } | { kind: 'into' } | { kind: 'out'; depth: number };

interface Pause {
  view: PausedTurn;
  turn: TurnState;
  edits: { input?: JsonValue; state?: StateEdit };
  settle(decision: GateDecision, command: DebugResumedEvent['command']): void;
}

interface TurnState {
  mode: Mode;
  runTo: RunTarget | null;
}

interface ConversationDebug {
  hits: Map<string, number>;
  armedRunTo: RunTarget | null;
  pause: Pause | null;
  recordings: TurnRecordings;
}

export class FlowDebugger implements TurnDebugging {
  private readonly conversations = new Map<string, ConversationDebug>();
  /** The breakpoints of every turn under way, by flow path: a change reaches a paused turn at once. */
  private readonly liveBreakpoints = new Set<Map<string, FlowBreakpoints>>();

  constructor(private readonly options: FlowDebuggerOptions) {}

  async beginTurn(context: DebugTurnContext): Promise<DebugTurn> {
    const conversation = this.conversation(context.conversationId);
    const breakpoints = new Map<string, FlowBreakpoints>();
    for (const flowPath of new Set(context.flowPaths)) breakpoints.set(flowPath, await this.options.breakpoints.forFlow(flowPath));
    this.liveBreakpoints.add(breakpoints);
    const turn: TurnState = { mode: { kind: 'run' }, runTo: conversation.armedRunTo };
    conversation.armedRunTo = null;
    let steps: StepRecord[] = [];

    const record = (stop: NodeStop, flowPath: string | null, decision: GateDecision | undefined): GateDecision | undefined => {
      if (stop.step === 1) steps = []; // a retried attempt starts over
      const edit = decision?.action === 'run' ? decision : undefined;
      steps.push({
        step: stop.step,
        flowId: stop.flowId,
        flowPath,
        nodeId: stop.nodeId,
        component: stop.component,
        input: edit?.input !== undefined ? edit.input : stop.input,
        state: withStateEdit(stop.state, edit?.state),
        callStack: frames(stop, context),
        resumedSubmit: stop.resumedSubmit,
      });
      return decision;
    };

    const gate: StepGate = {
      beforeNode: (stop) => {
        const flowPath = context.flowPathOf(stop.flowId);
        const reason = this.reasonToPause(conversation, turn, breakpoints, stop, flowPath);
        if (!reason) return record(stop, flowPath, undefined);
        return this.pause(context, conversation, turn, stop, flowPath, reason).then((decision) => record(stop, flowPath, decision) as GateDecision);
      },
      onNodeError: (stop, failure) => {
        const flowPath = context.flowPathOf(stop.flowId);
        if (!flowPath || !breakpoints.get(flowPath)?.breakOnError) return undefined;
        return this.pause(context, conversation, turn, stop, flowPath, 'error', failure);
      },
      afterNode: (step, result) => {
        const recorded = steps.findLast((s) => s.step === step);
        if (!recorded) return;
        if ('output' in result) recorded.output = result.output;
        else recorded.error = result.error;
      },
    };
    return {
      gate,
      finish: ({ turnId, status, replies }) => {
        this.liveBreakpoints.delete(breakpoints);
        const done: TurnRecord = { conversationId: context.conversationId, turnId, status, replies, steps };
        conversation.recordings.add(done);
      },
    };
  }

  forget(conversationId: string): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return;
    conversation.pause?.settle(stopDecision(conversation.pause.view, 'the conversation was restarted or ended'), 'stop');
    this.conversations.delete(conversationId);
  }

  /** A flow's breakpoints changed: turns under way use them from their next node on, and hit counts start again. */
  async breakpointsChanged(flowPath: string): Promise<void> {
    const prefix = `${flowPath}\u0000`;
    for (const conversation of this.conversations.values()) {
      for (const key of [...conversation.hits.keys()]) if (key.startsWith(prefix)) conversation.hits.delete(key);
    }
    const current = await this.options.breakpoints.forFlow(flowPath);
    for (const live of this.liveBreakpoints) if (live.has(flowPath)) live.set(flowPath, current);
  }

  paused(conversationId: string): PausedTurn | null {
    return this.conversations.get(conversationId)?.pause?.view ?? null;
  }

  /** Resumes the paused turn of a conversation with a command. */
  command(conversationId: string, command: Exclude<DebugCommand, 'runToHere'>, pauseId?: string): void {
    const pause = this.requirePause(conversationId, pauseId);
    const depth = pause.view.callStack.length;
    if (command === 'stop') {
      pause.settle(stopDecision(pause.view, 'stopped in the debugger'), 'stop');
      return;
    }
    pause.turn.mode =
      command === 'stepOver' ? { kind: 'over', depth } : command === 'stepInto' ? { kind: 'into' } : command === 'stepOut' ? { kind: 'out', depth } : { kind: 'run' };
    pause.settle(runDecision(pause), command);
  }

  /** Runs on to a node: from the paused node, or (not paused) in the conversation's next turn. */
  runToHere(conversationId: string, target: { flowPath?: string; nodeId: string }, fallbackFlowPath: string, pauseId?: string): void {
    const conversation = this.conversation(conversationId);
    const pause = conversation.pause;
    if (!pause) {
      if (pauseId !== undefined) throw notPaused(conversationId);
      conversation.armedRunTo = { flowPath: target.flowPath ?? fallbackFlowPath, nodeId: target.nodeId };
      return;
    }
    if (pauseId !== undefined && pause.view.pauseId !== pauseId) throw stalePause(conversationId);
    pause.turn.mode = { kind: 'run' };
    pause.turn.runTo = { flowPath: target.flowPath ?? pause.view.flowPath ?? fallbackFlowPath, nodeId: target.nodeId };
    pause.settle(runDecision(pause), 'runToHere');
  }

  /** Edits the paused node's input and/or flow state; returns the pause as it now is. */
  edit(conversationId: string, edit: { input?: JsonValue; state?: StateEdit }, pauseId?: string): PausedTurn {
    const pause = this.requirePause(conversationId, pauseId);
    if (pause.view.reason === 'error') {
      throw new StudioError('conflict', `node ${pause.view.nodeId} has already failed: its input and the flow state can no longer be edited (continue or stop the turn)`);
    }
    if (edit.input !== undefined) pause.edits.input = edit.input;
    if (edit.state !== undefined) pause.edits.state = { ...pause.edits.state, ...edit.state };
    const state = { ...pause.view.state, ...(edit.state as Partial<PausedTurn['state']> | undefined) };
    pause.view = {
      ...pause.view,
      ...(edit.input !== undefined ? { input: edit.input } : {}),
      state,
      edited: { input: pause.view.edited.input || edit.input !== undefined, state: pause.view.edited.state || edit.state !== undefined },
    };
    return pause.view;
  }

  recorded(conversationId: string, turnId: string): TurnRecord {
    const turn = this.conversations.get(conversationId)?.recordings.get(turnId);
    if (!turn) throw new StudioError('not_found', `turn ${turnId} of conversation ${conversationId} is not recorded (only the latest turns of studio conversations are kept)`);
    return turn;
  }

  private reasonToPause(
    conversation: ConversationDebug,
    turn: TurnState,
    breakpoints: Map<string, FlowBreakpoints>,
    stop: NodeStop,
    flowPath: string | null,
  ): PauseReason | null {
    const breakpoint = flowPath ? breakpoints.get(flowPath)?.breakpoints.find((b) => b.nodeId === stop.nodeId) : undefined;
    // Counted first: a hit while stepping still counts towards the hit count.
    const atBreakpoint = breakpoint !== undefined && breakpointPauses(breakpoint, stop, conversation.hits, `${flowPath}\u0000${stop.nodeId}`);
    if (atBreakpoint) return 'breakpoint';
    if (turn.runTo && turn.runTo.flowPath === flowPath && turn.runTo.nodeId === stop.nodeId) {
      turn.runTo = null;
      return 'run_to_here';
    }
    const depth = stop.callStack.length;
    const { mode } = turn;
    if (mode.kind === 'into' || (mode.kind === 'over' && depth <= mode.depth) || (mode.kind === 'out' && depth < mode.depth)) return 'step';
    return null;
  }

  private pause(
    context: DebugTurnContext,
    conversation: ConversationDebug,
    turn: TurnState,
    stop: NodeStop,
    flowPath: string | null,
    reason: PauseReason,
    failure?: NodeFailure,
  ): Promise<GateDecision> {
    const timeoutMs = this.options.settings().pausedTurnTimeoutMs;
    const pausedAt = Date.now();
    const view: PausedTurn = {
      conversationId: context.conversationId,
      turnId: stop.turnId,
      pauseId: randomUUID(),
      step: stop.step,
      flowId: stop.flowId,
      flowPath,
      nodeId: stop.nodeId,
      component: stop.component,
      reason,
      ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
      input: structuredClone(stop.input),
      state: flowStateView(stop.state),
      session: context.session,
      callStack: frames(stop, context),
      edited: { input: false, state: false },
      pausedAt,
      timeoutAt: pausedAt + timeoutMs,
    };
    return new Promise<GateDecision>((resolve) => {
      const timer = setTimeout(() => {
        const message = `the turn stayed paused at node ${stop.nodeId} (flow ${stop.flowId}) for longer than ${timeoutMs} ms and was ended; the session is as it was before the turn`;
        pause.settle({ action: 'stop', reason: 'timeout', message }, 'timeout');
      }, timeoutMs);
      const pause: Pause = {
        view,
        turn,
        edits: {},
        settle: (decision, command) => {
          clearTimeout(timer);
          if (conversation.pause === pause) conversation.pause = null;
          this.options.onResumed?.({ conversationId: context.conversationId, turnId: stop.turnId, pauseId: pause.view.pauseId, command });
          resolve(decision);
        },
      };
      conversation.pause = pause;
      this.options.onPaused?.(view);
    });
  }

  private requirePause(conversationId: string, pauseId: string | undefined): Pause {
    const pause = this.conversations.get(conversationId)?.pause;
    if (!pause) throw notPaused(conversationId);
    if (pauseId !== undefined && pause.view.pauseId !== pauseId) throw stalePause(conversationId);
    return pause;
  }

  private conversation(conversationId: string): ConversationDebug {
    let conversation = this.conversations.get(conversationId);
    if (!conversation) {
      conversation = { hits: new Map(), armedRunTo: null, pause: null, recordings: new TurnRecordings(this.options.recordedTurnLimit ?? DEFAULT_RECORDED_TURNS) };
      this.conversations.set(conversationId, conversation);
    }
    return conversation;
  }
}

function frames(stop: NodeStop, context: DebugTurnContext): DebugFrame[] {
  return stop.callStack.map((f) => ({ flowId: f.flowId, flowPath: context.flowPathOf(f.flowId), nodeId: f.nodeId }));
}

function runDecision(pause: Pause): GateDecision {
  if (pause.view.reason === 'error') return { action: 'run' };
  return { action: 'run', ...(pause.edits.input !== undefined ? { input: pause.edits.input } : {}), ...(pause.edits.state ? { state: pause.edits.state } : {}) };
}

function stopDecision(view: PausedTurn, why: string): GateDecision {
  return { action: 'stop', reason: 'stopped', message: `${why} at node ${view.nodeId} (flow ${view.flowId}); the session is as it was before the turn` };
}

function notPaused(conversationId: string): StudioError {
  return new StudioError('conflict', `conversation ${conversationId} is not paused in the debugger`);
}

function stalePause(conversationId: string): StudioError {
  return new StudioError('conflict', `conversation ${conversationId} has paused again since: look at the new pause before you resume it`);
}
