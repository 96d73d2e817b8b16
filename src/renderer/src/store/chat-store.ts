import { create } from 'zustand';
import type { BotMessage, ConversationInfo, RemoteConversationInfo, SessionInspection, TraceEvent, TurnResult } from '../../../shared/api';
import type { KNOWN_PLATFORMS } from '../../../shared/nats/subjects';
import { studio } from '../api/studio';

export type TranscriptEntry =
  | { key: number; from: 'user'; text: string }
  | { key: number; from: 'bot'; message: BotMessage }
  | { key: number; from: 'system'; text: string; tone: 'info' | 'error' };

/** Who answers the chat: the embedded runner, or whichever runner serves the NATS subjects of the scope. */
export type ChatTarget = 'embedded' | 'remote';

export interface ChatSettings {
  target: ChatTarget;
  flowPath: string | null;
  tenant: string;
  user: string;
  /** The NATS scope of the remote target (with tenant and user above). */
  env: string;
  team: string;
  platform: (typeof KNOWN_PLATFORMS)[number];
}

/** What the canvas highlights of the latest turn. */
export interface RunHighlight {
  flowPath: string | null;
  visited: string[];
  active: string | null;
  parked: string | null;
  /** The node a trace file says failed. */
  failed?: string | null;
}

interface ChatState {
  settings: ChatSettings;
  conversation: ConversationInfo | null;
  /** The conversation with a remote runner over NATS, when that is the target. */
  remote: RemoteConversationInfo | null;
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
  /** A card's Action.Submit: its data goes to the flow, its title shows in the chat. */
  submit(data: Record<string, unknown>, title?: string): Promise<void>;
  refreshSession(): Promise<void>;
  saveTranscript(path: string): Promise<string>;
}

const MAX_TRACE_EVENTS = 2_000;
/** How long a remote message waits for a first reply before the transcript says none came. */
const REMOTE_REPLY_WAIT_MS = 5_000;
const noHighlight: RunHighlight = { flowPath: null, visited: [], active: null, parked: null };
let nextKey = 1;
let remoteReplyTimer: ReturnType<typeof setTimeout> | undefined;

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
        // Stop in the debugger is the designer's own doing; a paused turn that timed out is not.
        const tone = turn.errorCode === 'debug_stopped' ? 'info' : 'error';
        set((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'system', text, tone }] }));
      }
      set((state) => ({ highlight: { ...state.highlight, active: null, parked: turn.parked?.nodeId ?? null } }));
      await get().refreshSession();
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ busy: false });
    }
  }

  /** Publishes one message to the remote runner; its replies arrive as `reply` events. */
  async function sendRemote(remote: RemoteConversationInfo, userEntry: TranscriptEntry, input: { text?: string; submit?: Record<string, unknown> }) {
    set((state) => ({ busy: true, error: null, transcript: [...state.transcript, userEntry] }));
    try {
      await studio.sendRemoteMessage({ conversationId: remote.conversationId, ...input });
      clearTimeout(remoteReplyTimer);
      remoteReplyTimer = setTimeout(() => {
        if (get().remote?.conversationId !== remote.conversationId) return;
        const text = `No reply within ${REMOTE_REPLY_WAIT_MS / 1000} s: is a runner serving ${remote.ingressSubject}?`;
        set((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'system', text, tone: 'info' }] }));
      }, REMOTE_REPLY_WAIT_MS);
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ busy: false });
    }
  }

  async function begin(settings: ChatSettings) {
    const previousRemote = get().remote;
    clearTimeout(remoteReplyTimer);
    if (previousRemote) void studio.endRemoteConversation({ conversationId: previousRemote.conversationId }).catch(() => undefined);
    set({ settings, conversation: null, remote: null, transcript: [], trace: [], session: null, highlight: noHighlight, error: null });
    try {
      if (settings.target === 'remote') {
        const { env, tenant, team, platform, user } = settings;
        set({ remote: await studio.startRemoteConversation({ env, tenant, team, platform, user }) });
        return;
      }
      const conversation = await studio.startConversation({
        ...(settings.flowPath ? { flowPath: settings.flowPath } : {}),
        tenant: settings.tenant,
        user: settings.user,
      });
      set({ conversation, highlight: { ...noHighlight, flowPath: conversation.flowPath } });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  }

  return {
    settings: { target: 'embedded', flowPath: null, tenant: 'demo', user: 'designer', env: 'dev', team: 'default', platform: 'webchat' },
    conversation: null,
    remote: null,
    transcript: [],
    trace: [],
    session: null,
    highlight: noHighlight,
    busy: false,
    error: null,

    async start(partial = {}) {
      const { settings: current, remote } = get();
      const settings = { ...current, ...partial };
      // Opening another flow does not concern a remote runner: its conversation goes on.
      if (remote && settings.target === 'remote' && sameRemoteScope(current, settings)) {
        set({ settings });
        return;
      }
      await begin(settings);
    },

    async restart() {
      await begin(get().settings);
    },

    async send(text) {
      const remote = get().remote;
      if (remote) return sendRemote(remote, { key: nextKey++, from: 'user', text }, { text });
      const conversation = get().conversation;
      if (!conversation) return;
      await runTurn({ key: nextKey++, from: 'user', text }, () => studio.sendMessage({ conversationId: conversation.conversationId, text }));
    },

    async submit(data, title) {
      // The user sees what they clicked, as in any chat; the flow gets the data.
      const shown = title?.trim() || Object.entries(data).map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
      const remote = get().remote;
      if (remote) return sendRemote(remote, { key: nextKey++, from: 'user', text: shown }, { submit: data });
      const conversation = get().conversation;
      if (!conversation) return;
      await runTurn({ key: nextKey++, from: 'user', text: shown }, () => studio.sendMessage({ conversationId: conversation.conversationId, submit: data }));
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

function sameRemoteScope(a: ChatSettings, b: ChatSettings): boolean {
  return a.target === b.target && (['env', 'tenant', 'team', 'platform', 'user'] as const).every((field) => a[field] === b[field]);
}

// Replies and trace events arrive as events, whichever channel started the turn.
studio.on('reply', (event) => {
  const { conversation, remote } = useChat.getState();
  if (event.conversationId !== conversation?.conversationId && event.conversationId !== remote?.conversationId) return;
  if (event.conversationId === remote?.conversationId) clearTimeout(remoteReplyTimer);
  useChat.setState((state) => ({ transcript: [...state.transcript, { key: nextKey++, from: 'bot', message: event.message }] }));
});

// The back end ends remote conversations with their NATS connection: say so rather than fail the next send.
studio.on('natsStatus', ({ state }) => {
  if (!useChat.getState().remote || (state !== 'closed' && state !== 'connecting')) return;
  clearTimeout(remoteReplyTimer);
  const text = 'The NATS connection closed, and with it this conversation with the remote runner. Restart to begin another.';
  useChat.setState((current) => ({ remote: null, transcript: [...current.transcript, { key: nextKey++, from: 'system', text, tone: 'error' }] }));
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
