import { create } from 'zustand';
import type { BotMessage, ConversationInfo } from '../../../shared/api';
import { studio } from '../api/studio';

export type TranscriptEntry =
  | { key: number; from: 'user'; text: string }
  | { key: number; from: 'bot'; message: BotMessage };

interface ChatState {
  conversation: ConversationInfo | null;
  transcript: TranscriptEntry[];
  busy: boolean;
  error: string | null;
  start(flowPath: string): Promise<void>;
  restart(): Promise<void>;
  send(text: string): Promise<void>;
}

let nextKey = 1;

export const useChat = create<ChatState>((set, get) => ({
  conversation: null,
  transcript: [],
  busy: false,
  error: null,

  async start(flowPath) {
    set({ conversation: null, transcript: [], error: null });
    try {
      set({ conversation: await studio.startConversation({ flowPath }) });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },

  async restart() {
    const current = get().conversation;
    if (current) await get().start(current.flowPath);
  },

  async send(text) {
    const conversation = get().conversation;
    if (!conversation) return;
    set((state) => ({ busy: true, error: null, transcript: [...state.transcript, { key: nextKey++, from: 'user', text }] }));
    try {
      const turn = await studio.sendMessage({ conversationId: conversation.conversationId, text });
      if (turn.status === 'failed') set({ error: turn.error ?? 'the flow failed' });
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ busy: false });
    }
  },
}));

// Replies arrive as events, whichever channel started the turn.
studio.on('reply', (event) => {
  if (event.conversationId !== useChat.getState().conversation?.conversationId) return;
  useChat.setState((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'bot', message: event.message }] }));
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
