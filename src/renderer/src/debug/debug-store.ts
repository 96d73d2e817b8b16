/**
 * The debugger's side of the chat panel's conversation: the turn paused now (node, resolved input,
 * flow state, session, call stack), the commands that move it on, and edits made before it does.
 */
import { create } from 'zustand';
import type { DebugCommand, DebugFlowState, PausedTurn } from '../../../shared/api';
import { studio } from '../api/studio';
import { useChat } from '../store/chat-store';
import { messageOf } from '../store/errors';
import type { JsonDraft } from './json-draft';

/** A command that moves a paused turn on; Run to here also names a node. */
export type StepCommand = Exclude<DebugCommand, 'runToHere'>;

/** An edit waiting to be sent with the next command: a draft the user typed, parsed. */
export interface PendingEdit {
  input?: unknown;
  state?: DebugFlowState;
}

interface DebugState {
  paused: PausedTurn | null;
  /** A command is on its way to the back end. */
  sending: boolean;
  /** Why the last command or edit was refused, in words a designer can act on. */
  error: string | null;
  /** Drafts of the JSON editors that do not parse: no command goes out while there are any. */
  invalidDrafts: Record<'input' | 'state', string | null>;
  /** Parsed drafts not yet sent: they go out before the next command, so the node runs with them. */
  pending: PendingEdit;
  setDraft(part: 'input' | 'state', draft: JsonDraft): void;
  run(command: StepCommand): Promise<void>;
  runToHere(nodeId: string, flowPath?: string): Promise<void>;
  /** Sends the pending edits now; true when the node will run with them. */
  applyEdits(): Promise<boolean>;
  /** Reads the conversation's paused turn again (after a reload, or another conversation). */
  sync(conversationId: string | null): Promise<void>;
}

const NO_DRAFTS = { input: null, state: null };
const PART_NAMES = { input: 'the node input', state: 'the flow state' } as const;

export const useDebug = create<DebugState>((set, get) => {
  const methods: Record<StepCommand, (params: { conversationId: string; pauseId?: string }) => Promise<null>> = {
    continue: (params) => studio.debugContinue(params),
    stepOver: (params) => studio.debugStepOver(params),
    stepInto: (params) => studio.debugStepInto(params),
    stepOut: (params) => studio.debugStepOut(params),
    stop: (params) => studio.debugStop(params),
  };

  /** Runs `send` for the paused turn, after its pending edits; false when nothing was sent. */
  async function moveOn(send: (paused: PausedTurn) => Promise<unknown>, keepsEdits: boolean): Promise<boolean> {
    const { paused, sending, invalidDrafts } = get();
    if (!paused || sending) return false;
    const invalid = invalidDrafts.input ?? invalidDrafts.state;
    if (invalid && keepsEdits) {
      set({ error: `Not sent, ${invalid}. Fix the JSON (or put the value back) to go on.` });
      return false;
    }
    set({ sending: true, error: null });
    try {
      if (keepsEdits && !(await sendEdits(paused))) return false;
      await send(paused);
      return true;
    } catch (error) {
      set({ error: messageOf(error) });
      return false;
    } finally {
      set({ sending: false });
    }
  }

  async function sendEdits(paused: PausedTurn): Promise<boolean> {
    const { pending } = get();
    if (pending.input === undefined && pending.state === undefined) return true;
    try {
      const edited = await studio.debugEdit({ conversationId: paused.conversationId, pauseId: paused.pauseId, ...pending });
      set({ paused: edited, pending: {} });
      return true;
    } catch (error) {
      set({ error: `The edit was refused: ${messageOf(error)}` });
      return false;
    }
  }

  return {
    paused: null,
    sending: false,
    error: null,
    invalidDrafts: NO_DRAFTS,
    pending: {},

    setDraft(part, draft) {
      set((state) => {
        const pending = { ...state.pending };
        if (draft.ok && draft.changed) pending[part] = draft.value as DebugFlowState;
        else delete pending[part];
        return { pending, invalidDrafts: { ...state.invalidDrafts, [part]: draft.ok ? null : `${PART_NAMES[part]}: ${draft.message}` } };
      });
    },

    async run(command) {
      // Stop throws the edits away with the turn; every other command runs the node with them.
      await moveOn((paused) => methods[command]({ conversationId: paused.conversationId, pauseId: paused.pauseId }), command !== 'stop');
    },

    async runToHere(nodeId, flowPath) {
      const conversation = useChat.getState().conversation;
      if (!conversation) return;
      const target = { nodeId, ...(flowPath ? { flowPath } : {}) };
      if (get().paused) {
        await moveOn((paused) => studio.debugRunToHere({ conversationId: paused.conversationId, pauseId: paused.pauseId, ...target }), true);
        return;
      }
      // Not paused: the conversation's next turn stops there.
      try {
        await studio.debugRunToHere({ conversationId: conversation.conversationId, ...target });
        set({ error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async applyEdits() {
      const { paused, invalidDrafts } = get();
      if (!paused) return false;
      const invalid = invalidDrafts.input ?? invalidDrafts.state;
      if (invalid) {
        set({ error: `Not applied, ${invalid}.` });
        return false;
      }
      set({ error: null });
      return sendEdits(paused);
    },

    async sync(conversationId) {
      if (!conversationId) {
        set({ paused: null, pending: {}, invalidDrafts: NO_DRAFTS, error: null });
        return;
      }
      try {
        const paused = await studio.getPausedTurn({ conversationId });
        if (useChat.getState().conversation?.conversationId === conversationId) set({ paused, pending: {}, invalidDrafts: NO_DRAFTS });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
  };
});

studio.on('debugPaused', (paused) => {
  if (paused.conversationId !== useChat.getState().conversation?.conversationId) return;
  useDebug.setState({ paused, pending: {}, invalidDrafts: NO_DRAFTS, error: null });
});

studio.on('debugResumed', ({ conversationId, pauseId }) => {
  const { paused } = useDebug.getState();
  if (paused?.conversationId !== conversationId || paused.pauseId !== pauseId) return;
  useDebug.setState({ paused: null, pending: {}, invalidDrafts: NO_DRAFTS });
});

// Another conversation (another flow, a restart) has its own paused turn, or none.
useChat.subscribe((state, previous) => {
  const id = state.conversation?.conversationId ?? null;
  if (id !== (previous.conversation?.conversationId ?? null)) void useDebug.getState().sync(id);
});

/** The node the turn is paused at, when it is a node of the flow with this id. */
export function usePausedNodeIn(flowId: string | null): string | null {
  return useDebug((state) => (state.paused && flowId !== null && state.paused.flowId === flowId ? state.paused.nodeId : null));
}

export function isPaused(): boolean {
  return useDebug.getState().paused !== null;
}
