/**
 * The Direct Line activity of a bot reply (channels.md §2.3), as the webchat channel appends it and
 * as the studio's chat panel shows it: isomorphic, so that both show the same JSON. The conversation
 * log adds `id`, `timestamp`, `conversation` and `watermark` when it appends one.
 */
import type { BotMessage } from '../api/chat';

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Shared by every bot activity: activities are only ever serialised, never changed. */
export const BOT_FROM = Object.freeze({ id: 'bot', name: 'Bot', role: 'bot' } as const);

export type OutgoingActivity = Record<string, unknown> & { type: string };

/** The bot activity of one reply; `replyToId` names the activity it answers. */
export function botActivity(reply: BotMessage, replyToId: string | undefined): OutgoingActivity {
  const activity: OutgoingActivity = { type: 'message', from: BOT_FROM };
  if (replyToId) activity.replyToId = replyToId;
  if (reply.type === 'text' && reply.text.length > 0) activity.text = reply.text;
  const attachments = [...(reply.type === 'adaptive_card' ? [{ contentType: ADAPTIVE_CARD_TYPE, content: reply.card }] : []), ...(reply.attachments ?? [])];
  if (attachments.length > 0) activity.attachments = attachments;
  if (reply.suggestedActions) activity.suggestedActions = reply.suggestedActions;
  return activity;
}

/** A failed turn: an `event` activity carrying the error card, as the webchat provider appends it. */
export function errorActivity(card: BotMessage, message: string, kind: string, replyToId: string | undefined): OutgoingActivity {
  return {
    type: 'event',
    name: 'error',
    from: BOT_FROM,
    value: { kind, message },
    ...(replyToId ? { replyToId } : {}),
    ...(card.type === 'adaptive_card' ? { attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content: card.card }] } : {}),
  };
}
