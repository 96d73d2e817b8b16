import type { BotMessage } from '../../../shared/api';
import type { AcceptedIngress, TenantCtx } from './ingress';

/** `OutMessage` (spec/channels.md §4.3), what the runner publishes for egress workers. */
export interface OutMessage {
  ctx: TenantCtx;
  tenant: string;
  platform: string;
  chat_id: string;
  thread_id: string | null;
  kind: 'text' | 'card';
  text: string | null;
  message_card: null;
  /** Upstream's adaptive-card `MessageCard`: the card itself under `adaptive`. */
  adaptive_card?: { allow_markdown: true; adaptive: Record<string, unknown> };
  meta: Record<string, unknown>;
}

/** What a user sees when their turn failed; the reason travels in `meta` for logs, not in the chat. */
export const TURN_FAILED_TEXT = 'Sorry, something went wrong while handling your message.';

/**
 * The egress messages answering one ingress message, in reply order. Each carries a `meta.msg_id`
 * unique to the reply, used as the JetStream de-duplication id.
 */
export function outMessagesFor(source: AcceptedIngress, replies: BotMessage[], extraMeta: Record<string, string> = {}): OutMessage[] {
  const { message } = source;
  const chatId = message.payload.chat_id ?? message.session_id;
  const threadId = message.payload.thread_id ?? null;
  // Every field is written out: on this per-reply path `{ ...base, kind, ... }` costs Node 20's V8
  // some microseconds per object, more than the rest of the function.
  return replies.map((reply, index) => {
    const meta = { ...extraMeta, source_msg_id: source.msgId, msg_id: `${source.msgId}:${index}`, session_key: source.turn.sessionKey };
    const card = reply.type === 'adaptive_card';
    const out: OutMessage = {
      ctx: message.tenant,
      tenant: message.tenant.tenant,
      platform: message.channel_id,
      chat_id: chatId,
      thread_id: threadId,
      kind: card ? 'card' : 'text',
      text: card ? null : reply.text,
      message_card: null,
      meta,
    };
    if (card) out.adaptive_card = { allow_markdown: true, adaptive: reply.card };
    return out;
  });
}
