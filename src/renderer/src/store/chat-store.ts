import { create } from 'zustand';
import type { BotMessage, ConversationInfo, SessionInspection, TraceEvent, TurnResult } from '../../../shared/api';
import { studio } from '../api/studio';

export type TranscriptEntry =
  | { key: number; from: 'user'; text: string }
  | { key: number; from: 'bot'; message: BotMessage }
  | { key: number; from: 'system'; text: string; tone: 'info' | 'error' };

export interface ChatSettings {
  flowPath: string | null;
  tenant: string;
  user: string;
}

/** What the canvas highlights of the latest turn. */
export interface RunHighlight {
  flowPath: string | null;
  visited: string[];
  active: string | null;
  parked: string | null;
}

interface ChatState {
  settings: ChatSettings;
  conversation: ConversationInfo | null;
  transcript: TranscriptEntry[];
  /** Trace events of this conversation, oldest first (the back end keeps a bounded history too). */
  trace: TraceEvent[];
  session: SessionInspection | null;
  highlight: RunHighlight;
  busy: boolean;
  error: string | null;
  start(settings?: Partial<ChatSettings>): Promise<void>;
  restart(): Promise<void>;
  send(text: string): Promise<void>;
  submit(data: Record<string, unknown>): Promise<void>;
  refreshSession(): Promise<void>;
  saveTranscript(path: string): Promise<string>;
}

const MAX_TRACE_EVENTS = 2_000;
const noHighlight: RunHighlight = { flowPath: null, visited: [], active: null, parked: null };
let nextKey = 1;

export const useChat = create<ChatState>((set, get) => {
  async function runTurn(userEntry: TranscriptEntry, request: () => Promise<TurnResult>) {
    set((state) => ({
      busy: true,
      error: null,
      transcript: [...state.transcript, userEntry],
      highlight: { ...state.highlight, visited: [], active: null },
    }));
    try {
      const turn = await request();
      if (turn.status === 'failed') {
        const text = turn.error ?? 'the flow failed';
        set((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'system', text, tone: 'error' }] }));
      }
      set((state) => ({ highlight: { ...state.highlight, active: null, parked: turn.parked?.nodeId ?? null } }));
      await get().refreshSession();
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ busy: false });
    }
  }

  return {
    settings: { flowPath: null, tenant: 'demo', user: 'designer' },
    conversation: null,
    transcript: [],
    trace: [],
    session: null,
    highlight: noHighlight,
    busy: false,
    error: null,

    async start(partial = {}) {
      const settings = { ...get().settings, ...partial };
      set({ settings, conversation: null, transcript: [], trace: [], session: null, highlight: noHighlight, error: null });
      try {
        const conversation = await studio.startConversation({
          ...(settings.flowPath ? { flowPath: settings.flowPath } : {}),
          tenant: settings.tenant,
          user: settings.user,
        });
        set({ conversation, highlight: { ...noHighlight, flowPath: conversation.flowPath } });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async restart() {
      await get().start();
    },

    async send(text) {
      const conversation = get().conversation;
      if (!conversation) return;
      await runTurn({ key: nextKey++, from: 'user', text }, () => studio.sendMessage({ conversationId: conversation.conversationId, text }));
    },

    async submit(data) {
      const conversation = get().conversation;
      if (!conversation) return;
      const shown = Object.entries(data)
        .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(', ');
      await runTurn({ key: nextKey++, from: 'user', text: `[submit] ${shown}` }, () =>
        studio.sendMessage({ conversationId: conversation.conversationId, submit: data }),
      );
    },

    async refreshSession() {
      const conversation = get().conversation;
      if (!conversation) return;
      try {
        set({ session: await studio.inspectSession({ conversationId: conversation.conversationId }) });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },

    async saveTranscript(path) {
      const conversation = get().conversation;
      if (!conversation) throw new Error('no conversation to save');
      const file = await studio.saveTranscript({ conversationId: conversation.conversationId, path });
      return file.path;
    },
  };
});

/** The live run as the canvas shows it: visited nodes, the running one, the one the flow is parked at. */
export function useRunHighlight(): RunHighlight {
  return useChat((state) => state.highlight);
}

// Replies and trace events arrive as events, whichever channel started the turn.
studio.on('reply', (event) => {
  if (event.conversationId !== useChat.getState().conversation?.conversationId) return;
  useChat.setState((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'bot', message: event.message }] }));
});

studio.on('trace', ({ conversationId, event }) => {
  if (conversationId !== useChat.getState().conversation?.conversationId) return;
  useChat.setState((state) => ({
    trace: [...state.trace, event].slice(-MAX_TRACE_EVENTS),
    highlight: nextHighlight(state.highlight, event),
  }));
});

function nextHighlight(current: RunHighlight, event: TraceEvent): RunHighlight {
  switch (event.type) {
    case 'turn_start':
      return { ...current, visited: [], active: null, parked: null };
    case 'node_start':
      return { ...current, active: event.nodeId, visited: current.visited.includes(event.nodeId) ? current.visited : [...current.visited, event.nodeId] };
    case 'wait':
      return { ...current, active: null, parked: event.nextNode };
    case 'turn_end':
      return { ...current, active: null };
    default:
      return current;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
