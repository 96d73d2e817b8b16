import { z } from 'zod';
import { method } from './define';
import type { TraceEvent } from './trace';

export type { TraceEvent, TraceEventType } from './trace';

/** A Bot Framework card action: a quick reply or a card button (`imBack`, `postBack`, `messageBack`, `openUrl`, ...). */
export interface CardAction {
  type: string;
  title?: string;
  value?: unknown;
  text?: string;
  displayText?: string;
  image?: string;
}

/** A card or file shown with a reply, in its Direct Line shape: a hero or thumbnail card, an image. */
export interface ReplyAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

/** What a flow may add to a reply through its envelope's extensions (channels.md §2.3). */
export interface ReplyExtras {
  /** Quick replies offered with the reply until the user answers (Direct Line `suggestedActions`). */
  suggestedActions?: { actions: CardAction[] };
  /** Cards and files after the reply's own text or adaptive card. */
  attachments?: ReplyAttachment[];
}

export type BotMessage =
  | ({ type: 'text'; text: string } & ReplyExtras)
  | ({ type: 'adaptive_card'; card: Record<string, unknown> } & ReplyExtras);

export type TurnStatus = 'completed' | 'waiting' | 'failed';

/** Where a conversation's flow is parked, waiting for the next message. */
export interface ParkedAt {
  flowId: string;
  nodeId: string;
  /** True when the node waits for a card submit (it runs again with the submitted data). */
  awaitingSubmit: boolean;
  reason: string;
}

export interface TurnResult {
  conversationId: string;
  /** The turn's id: every trace event of the turn carries it. */
  turnId: string;
  status: TurnStatus;
  replies: BotMessage[];
  /** Set when the turn ended parked. */
  parked?: ParkedAt;
  /** Set when the turn failed: what went wrong, in words a designer can act on. */
  error?: string;
  /** The failure's code (`step_limit`, `component_unavailable`, ...), when the turn failed. */
  errorCode?: string;
}

export interface ConversationInfo {
  conversationId: string;
  flowId: string;
  flowPath: string;
  tenant: string;
  team?: string;
  user: string;
  /** The canonical session key `{tenant}:{provider}:{conversation}:{user}`. */
  sessionKey: string;
  /** Which channel runs it: `studio` (the chat panel), `webchat` (Direct Line), `cli`. */
  provider: string;
}

/** What the session inspector shows about one conversation's session. */
export interface SessionInspection {
  sessionKey: string;
  env: string;
  tenant: string;
  team?: string;
  provider: string;
  conversation: string;
  user: string;
  flowId: string;
  revision: number;
  updatedAt: number;
  expiresAt: number;
  /** Null when no flow is parked. */
  parked: ParkedAt | null;
  /** The parked run's state: inputs, node outputs, session variables. Null when nothing is parked. */
  state: {
    entry: unknown;
    input: unknown;
    nodes: Record<string, { ok: boolean; payload: unknown; meta: unknown }>;
    vars: Record<string, unknown>;
  } | null;
}

/** One exchange of a conversation, kept so it can be saved as a transcript test. */
export interface TranscriptTurn {
  user: { text: string } | { submit: Record<string, unknown> };
  replies: BotMessage[];
  status: TurnStatus;
}

export interface TranscriptFile {
  /** Project-relative path of the written transcript. */
  path: string;
  text: string;
}

/** What a node would have the flow do after it: go on along its routes, wait, jump, or end the turn with a reply. */
export type NodeRunNext =
  | { action: 'continue' }
  | { action: 'wait'; reason: string }
  | { action: 'park'; reason: string }
  | { action: 'jump'; flow: string; node?: string }
  | { action: 'respond' };

/** A log line a node wrote while it ran ("Run this node" shows them). */
export interface NodeRunLog {
  source: 'stdout' | 'stderr' | 'telemetry' | 'host';
  text: string;
  fields?: Array<[string, string]>;
}

/** One node run on its own: its output (or its error), its logs, and what it would do next. */
export type NodeRunResult = {
  flowId: string;
  nodeId: string;
  /** The component or built-in that ran (`templating.handlebars`, `session.wait`, ...). */
  component: string | null;
  durationMs: number;
  logs: NodeRunLog[];
} & (
  | { status: 'ok'; output: unknown; next: NodeRunNext; replies: BotMessage[] }
  | { status: 'failed'; error: { code: string; message: string } }
);

const id = z.string().min(1).max(256);
const conversationRef = z.object({ conversationId: id }).strict();
const flowPath = z.string().min(1).max(4096);
const nodeId = z.string().min(1).max(256);

export const chatMethods = {
  /** Opens a conversation with a flow of the open project (by default the app flow). */
  startConversation: method<ConversationInfo>()(
    z
      .object({
        flowPath: flowPath.optional(),
        tenant: id.optional(),
        team: id.optional(),
        user: id.optional(),
      })
      .strict(),
  ),
  /** One user turn: a typed text or an adaptive card submit. Replies also arrive as `reply` events. */
  sendMessage: method<TurnResult>()(
    z
      .object({
        conversationId: id,
        text: z.string().max(64 * 1024).optional(),
        submit: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .refine((p) => p.text !== undefined || p.submit !== undefined, 'either text or submit is required'),
  ),
  /** Forgets the session (parked flow, trace, history) and starts over with the same settings. */
  restartConversation: method<ConversationInfo>()(conversationRef),
  endConversation: method<null>()(conversationRef),
  listConversations: method<ConversationInfo[]>()(z.object({}).strict()),
  /** The conversation's kept trace events, oldest first (bounded; older turns drop off). */
  getTrace: method<TraceEvent[]>()(conversationRef),
  inspectSession: method<SessionInspection | null>()(conversationRef),
  /** Every live session of the runner, optionally of one tenant. */
  listSessions: method<SessionInspection[]>()(z.object({ tenant: id.optional() }).strict()),
  /** Pinned outputs of a flow's nodes, by node id (stored in a studio sidecar, never in the flow). */
  getPinnedOutputs: method<Record<string, unknown>>()(z.object({ flowPath }).strict()),
  setPinnedOutput: method<Record<string, unknown>>()(
    z.object({ flowPath, nodeId, output: z.unknown().refine((v) => v !== undefined, 'output is required') }).strict(),
  ),
  clearPinnedOutput: method<Record<string, unknown>>()(z.object({ flowPath, nodeId }).strict()),
  /**
   * Runs one node of a flow on the input given (as its templates would render it), without running
   * the flow and without reading or writing any session; pinned outputs are ignored.
   */
  runNode: method<NodeRunResult>()(
    z.object({ flowPath, nodeId, input: z.unknown().refine((v) => v !== undefined, 'input is required'), tenant: id.optional(), user: id.optional() }).strict(),
  ),
  /** Writes the conversation so far as a transcript test (YAML) into the project. */
  saveTranscript: method<TranscriptFile>()(
    z.object({ conversationId: id, path: z.string().min(1).max(4096).regex(/\.ya?ml$/, 'a transcript file ends in .yaml or .yml') }).strict(),
  ),
};
