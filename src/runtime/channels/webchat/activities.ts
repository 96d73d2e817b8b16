/**
 * Translation between Direct Line activities and the runner: validation of what a client posts
 * (channels.md §2.1, §2.3), the user message it carries, and the bot activities of replies.
 */
import { ADAPTIVE_CARD_TYPE } from '../../../shared/directline/activity';
import type { JsonValue } from '../../../shared/flow/compiled';
import type { InboundMessage } from '../../chat/envelope';

export { ADAPTIVE_CARD_TYPE, BOT_FROM, botActivity, errorActivity } from '../../../shared/directline/activity';

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
const CARD_TYPES = new Set([ADAPTIVE_CARD_TYPE, 'application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.thumbnail']);
const MAX_ATTACHMENT_CONTENT = 512 * 1024;
const MAX_CHANNEL_DATA = 64 * 1024;
const MAX_TEXT = 64 * 1024;


/**
 * The activity types of the Bot Framework schema. A client's activity must name one: an activity
 * without a type is no activity, and a flow must not run on it.
 */
const ACTIVITY_TYPES = new Set([
  'message',
  'contactRelationUpdate',
  'conversationUpdate',
  'typing',
  'endOfConversation',
  'event',
  'invoke',
  'invokeResponse',
  'deleteUserData',
  'messageUpdate',
  'messageDelete',
  'installationUpdate',
  'messageReaction',
  'suggestion',
  'trace',
  'handoff',
  'command',
  'commandResult',
]);

/** Activity fields handed to the flow as envelope extensions, by their extension name (channels.md §2.5). */
const EXTENSION_FIELDS: ReadonlyArray<[field: string, extension: string]> = [
  ['attachments', 'attachments'],
  ['entities', 'entities'],
  ['name', 'name'],
  ['inputHint', 'input_hint'],
  ['speak', 'speak'],
  ['suggestedActions', 'suggested_actions'],
];

/**
 * Client bookkeeping in `channelData`: Web Chat matches the echo of its own message by
 * `clientActivityID` and marks card-button posts with `postBack`. The echo keeps them (or Web Chat
 * shows the message twice); the flow never sees them, so no reply can carry them back.
 */
const CLIENT_CHANNEL_DATA_KEYS = ['clientActivityID', 'clientActivityId', 'postBack', 'attachmentSizes'];

export type PostedActivity =
  | { ok: true; activity: Record<string, unknown> & { type: string }; message: InboundMessage | null }
  | { ok: false; message: string };

/** Checks a posted activity and extracts the user message (null for activities that are not messages). */
export function readPostedActivity(body: unknown, subject: string): PostedActivity {
  if (!isObject(body)) return { ok: false, message: 'invalid json payload: an activity must be a JSON object' };
  const problem = activityProblem(body);
  if (problem) return { ok: false, message: problem };
  // The server numbers activities and knows who sent them: a client's own id, watermark and sender id are not kept.
  const { id: _id, watermark: _watermark, ...fields } = body;
  const activity = { ...fields, type: body.type as string, from: { ...(isObject(body.from) ? body.from : {}), id: subject, role: 'user' } };
  if (activity.type !== 'message') return { ok: true, activity, message: null };
  const extensions = extensionsOf(body);
  const value = body.value;
  const message: InboundMessage = {
    text: typeof body.text === 'string' ? body.text : '',
    // A messageBack or postBack may carry a plain value rather than Action.Submit data.
    ...(value !== undefined && value !== null ? { submit: isObject(value) ? value : { value } } : {}),
    ...(typeof body.locale === 'string' ? { locale: body.locale } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
  return { ok: true, activity, message };
}

/** What is wrong with a posted activity, in the words of the Direct Line error body; null when nothing is. */
function activityProblem(posted: Record<string, unknown>): string | null {
  if (posted.type === undefined) return 'invalid json payload: the activity has no `type` (for a user message it is "message")';
  if (typeof posted.type !== 'string' || !ACTIVITY_TYPES.has(posted.type)) {
    return `invalid json payload: unknown activity type ${JSON.stringify(posted.type)}; expected one of ${[...ACTIVITY_TYPES].join(', ')}`;
  }
  if (posted.text !== undefined && posted.text !== null && typeof posted.text !== 'string') return 'invalid json payload: `text` must be a string';
  if (typeof posted.text === 'string' && posted.text.length > MAX_TEXT) return `text too large: at most ${MAX_TEXT} characters`;
  if (posted.attachments !== undefined && posted.attachments !== null) {
    if (!Array.isArray(posted.attachments)) return 'invalid json payload: `attachments` must be an array';
    for (const [index, attachment] of (posted.attachments as unknown[]).entries()) {
      const problem = attachmentProblem(attachment);
      if (problem) return `attachments[${index}]: ${problem}`;
    }
  }
  if (posted.channelData !== undefined && posted.channelData !== null) {
    const serialized = JSON.stringify(posted.channelData);
    if (serialized === undefined) return 'channelData is not serialisable';
    if (serialized.length > MAX_CHANNEL_DATA) return 'channelData too large';
  }
  return null;
}

function extensionsOf(posted: Record<string, unknown>): Record<string, JsonValue> {
  const extensions: Record<string, JsonValue> = {};
  if (isObject(posted.channelData)) {
    const channelData = Object.fromEntries(Object.entries(posted.channelData).filter(([key]) => !CLIENT_CHANNEL_DATA_KEYS.includes(key)));
    if (Object.keys(channelData).length > 0) extensions.channel_data = channelData as JsonValue;
  }
  for (const [field, extension] of EXTENSION_FIELDS) {
    const value = posted[field];
    if (value !== undefined && value !== null) extensions[extension] = value as JsonValue;
  }
  return extensions;
}

/**
 * An attachment a channel can show: a known content type with either inline `content` (an object,
 * or a string for text types) or a `contentUrl`; cards carry their card object.
 */
function attachmentProblem(attachment: unknown): string | null {
  if (!isObject(attachment)) return 'invalid json payload: an attachment must be an object';
  const { contentType, content, contentUrl, name } = attachment;
  if (typeof contentType !== 'string' || !ALLOWED_ATTACHMENT_TYPES.has(contentType)) {
    return `unsupported attachment content type: ${String(contentType)}`;
  }
  if (name !== undefined && typeof name !== 'string') return 'invalid json payload: an attachment `name` must be a string';
  if (contentUrl !== undefined && typeof contentUrl !== 'string') return 'invalid json payload: an attachment `contentUrl` must be a string';
  if (content === undefined && contentUrl === undefined) return 'invalid json payload: an attachment needs `content` or `contentUrl`';
  if (content !== undefined) {
    if (typeof content !== 'string' && !isObject(content)) return 'invalid json payload: an attachment `content` must be an object or a string';
    const size = typeof content === 'string' ? content.length : (JSON.stringify(content)?.length ?? 0);
    if (size > MAX_ATTACHMENT_CONTENT) return 'attachment too large';
    if (CARD_TYPES.has(contentType) && !isObject(content)) return `invalid json payload: a ${contentType} attachment carries its card as an object`;
    if (contentType === ADAPTIVE_CARD_TYPE && (content as Record<string, unknown>).type !== 'AdaptiveCard') {
      return 'invalid json payload: an adaptive card attachment must have `type: "AdaptiveCard"`';
    }
  }
  return null;
}

/** The `conversationUpdate` of a client joining its conversation: the user is the member added. */
export function joinActivity(subject: string): Record<string, unknown> & { type: string } {
  const user = { id: subject, role: 'user' };
  return { type: 'conversationUpdate', from: user, membersAdded: [user] };
}

/**
 * What the flow gets when a client joins: no text, and the lifecycle markers of the webchat
 * provider's auto-start (`event_type: channel.user.entered`, `autoStart: "true"`), by which a flow
 * tells a join from a message and decides what to say, if anything.
 */
export function joinMessage(scope: { tenant: string; conversationId: string; subject: string }): InboundMessage {
  const reason = 'conversation_started';
  return {
    text: '',
    metadata: {
      event_type: 'channel.user.entered',
      autoStart: 'true',
      provider: 'webchat',
      reason,
      idempotency_key: ['lifecycle.user_entered', 'webchat', scope.tenant, scope.conversationId, scope.subject, reason].join(':'),
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
