/**
 * Translation between Direct Line activities and the runner: validation of what a client posts
 * (channels.md §2.1, §2.3), the user message it carries, and the bot activities of replies.
 */
import type { BotMessage } from '../../../shared/api/chat';
import type { InboundMessage } from '../../chat/envelope';

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

const ALLOWED_ATTACHMENT_TYPES = new Set([
  'text/plain',
  'application/json',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/csv',
  'text/markdown',
  ADAPTIVE_CARD_TYPE,
  'application/vnd.microsoft.card.hero',
  'application/vnd.microsoft.card.thumbnail',
]);
const MAX_ATTACHMENT_CONTENT = 512 * 1024;
const MAX_CHANNEL_DATA = 64 * 1024;
const MAX_TEXT = 64 * 1024;

/** Shared by every bot activity: activities are only ever serialised, never changed. */
export const BOT_FROM = Object.freeze({ id: 'bot', name: 'Bot', role: 'bot' } as const);

export type PostedActivity =
  | { ok: true; activity: Record<string, unknown> & { type: string }; message: InboundMessage | null }
  | { ok: false; message: string };

/** Checks a posted activity and extracts the user message (null for non-message activities). */
export function readPostedActivity(body: unknown, subject: string): PostedActivity {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'invalid json payload: an activity must be a JSON object' };
  const posted = body as Record<string, unknown>;
  const type = posted.type ?? 'message';
  if (typeof type !== 'string' || type.length === 0 || type.length > 64) return { ok: false, message: 'invalid json payload: `type` must be a string' };
  if (posted.text !== undefined && posted.text !== null && typeof posted.text !== 'string') return { ok: false, message: 'invalid json payload: `text` must be a string' };
  if (typeof posted.text === 'string' && posted.text.length > MAX_TEXT) return { ok: false, message: 'text too large' };
  if (posted.attachments !== undefined) {
    if (!Array.isArray(posted.attachments)) return { ok: false, message: 'invalid json payload: `attachments` must be an array' };
    for (const attachment of posted.attachments as unknown[]) {
      const problem = attachmentProblem(attachment);
      if (problem) return { ok: false, message: problem };
    }
  }
  let channelData: Record<string, unknown> | undefined;
  if (posted.channelData !== undefined && posted.channelData !== null) {
    const serialized = JSON.stringify(posted.channelData);
    if (serialized === undefined) return { ok: false, message: 'channelData is not serialisable' };
    if (serialized.length > MAX_CHANNEL_DATA) return { ok: false, message: 'channelData too large' };
    if (typeof posted.channelData === 'object' && !Array.isArray(posted.channelData)) {
      // Web Chat takes a bot activity carrying its clientActivityID for its own echo.
      const { clientActivityID: _client, postBack: _postBack, ...rest } = posted.channelData as Record<string, unknown>;
      channelData = rest;
    }
  }
  const value = posted.value;
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    return { ok: false, message: 'invalid json payload: `value` must be an object' };
  }
  // The server numbers and names activities: a client's own id and watermark are dropped.
  const { id: _id, watermark: _watermark, ...fields } = posted;
  const activity: Record<string, unknown> & { type: string } = {
    ...fields,
    type,
    from: { ...(isObject(posted.from) ? posted.from : {}), id: subject, role: 'user' },
    ...(channelData !== undefined ? { channelData } : {}),
  };
  if (type !== 'message') return { ok: true, activity, message: null };
  const message: InboundMessage = {
    text: typeof posted.text === 'string' ? posted.text : '',
    ...(value !== undefined && value !== null ? { submit: value as Record<string, unknown> } : {}),
    ...(typeof posted.locale === 'string' ? { locale: posted.locale } : {}),
    ...(channelData && Object.keys(channelData).length > 0 ? { extensions: { channel_data: channelData as never } } : {}),
  };
  return { ok: true, activity, message };
}

function attachmentProblem(attachment: unknown): string | null {
  if (!isObject(attachment)) return 'invalid json payload: an attachment must be an object';
  if (typeof attachment.contentType !== 'string' || !ALLOWED_ATTACHMENT_TYPES.has(attachment.contentType)) {
    return `unsupported attachment content type: ${String(attachment.contentType)}`;
  }
  if (typeof attachment.content === 'string' && attachment.content.length > MAX_ATTACHMENT_CONTENT) return 'attachment too large';
  return null;
}

/** The bot activity of one reply (channels.md §2.3). */
export function botActivity(reply: BotMessage, replyToId: string | undefined): Record<string, unknown> & { type: string } {
  const activity: Record<string, unknown> & { type: string } = { type: 'message', from: BOT_FROM };
  if (replyToId) activity.replyToId = replyToId;
  if (reply.type === 'text') activity.text = reply.text;
  else activity.attachments = [{ contentType: ADAPTIVE_CARD_TYPE, content: reply.card }];
  return activity;
}

/** A failed turn: an `event` activity carrying the error card, as the webchat provider appends it. */
export function errorActivity(card: BotMessage, message: string, kind: string, replyToId: string | undefined): Record<string, unknown> & { type: string } {
  return {
    type: 'event',
    name: 'error',
    from: BOT_FROM,
    value: { kind, message },
    ...(replyToId ? { replyToId } : {}),
    ...(card.type === 'adaptive_card' ? { attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content: card.card }] } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
