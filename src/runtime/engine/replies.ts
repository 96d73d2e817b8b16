/**
 * From the engine's output to the messages a user sees (runtime.md §8): `finalizeWith` merges the
 * turn's egress with the final payload, and `repliesFrom` turns any accepted output shape into
 * text and adaptive-card replies.
 */
import { decode } from 'cbor-x';
import type { BotMessage, CardAction, ReplyAttachment } from '../../shared/api/chat';
import type { JsonValue } from '../../shared/flow/compiled';

/** Upstream's `finalize_with`: egress items first, then the final value (arrays flattened). */
export function finalizeWith(egress: JsonValue[], final: JsonValue | undefined): JsonValue {
  if (egress.length === 0) return final ?? null;
  if (final === undefined || final === null) return [...egress];
  if (Array.isArray(final)) return [...egress, ...final];
  return [...egress, final];
}

export function repliesFrom(output: JsonValue): BotMessage[] {
  const replies: BotMessage[] = [];
  collect(output, replies, 0);
  return replies;
}

const MAX_DEPTH = 16;

function collect(item: JsonValue, out: BotMessage[], depth: number): void {
  if (depth > MAX_DEPTH || item === null || item === undefined) return;
  if (Array.isArray(item)) {
    for (const element of item) collect(element, out, depth + 1);
    return;
  }
  if (typeof item === 'string') {
    if (item.length > 0) out.push({ type: 'text', text: item });
    return;
  }
  if (typeof item !== 'object') return;
  if (Array.isArray(item.messages)) return collect(item.messages, out, depth + 1);
  if (Array.isArray(item.events)) return collect(item.events, out, depth + 1);
  if (item.type === 'text' && typeof item.text === 'string') {
    out.push({ type: 'text', text: item.text });
    return;
  }
  if (item.type === 'adaptive_card') {
    const card = cardOf(item.card);
    if (card) out.push({ type: 'adaptive_card', card });
    return;
  }
  if (isObject(item.message)) return collectEnvelope(item.message, out);
  const rendered = cardOf(item.renderedCard);
  if (rendered) {
    out.push({ type: 'adaptive_card', card: rendered });
    return;
  }
  if (Array.isArray(item.card_cbor)) {
    if (typeof item.text === 'string' && item.text.length > 0) out.push({ type: 'text', text: item.text });
    const card = decodeCardCbor(item.card_cbor);
    if (card) out.push({ type: 'adaptive_card', card });
    return;
  }
  const text = fallbackText(item);
  if (text !== null && text.length > 0) out.push({ type: 'text', text });
}

/**
 * A `ChannelMessageEnvelope` reply: its text, then its adaptive card; the last of them carries the
 * envelope's further attachments (hero cards, images) and suggested actions, as the webchat provider
 * puts them on one activity (channels.md §2.3). An envelope of attachments alone is a reply without text.
 */
function collectEnvelope(envelope: { [key: string]: JsonValue }, out: BotMessage[]): void {
  const metadata = isObject(envelope.metadata) ? envelope.metadata : {};
  const extensions = isObject(envelope.extensions) ? envelope.extensions : {};
  const messages: BotMessage[] = [];
  if (typeof envelope.text === 'string' && envelope.text.length > 0) messages.push({ type: 'text', text: envelope.text });
  const card = cardOf(metadata.adaptive_card) ?? cardOf(extensions.adaptive_card);
  if (card) messages.push({ type: 'adaptive_card', card });
  const attachments = [...attachmentsOf(envelope.attachments), ...attachmentsOf(extensions.attachments)];
  const suggestedActions = suggestedActionsOf(extensions.suggested_actions);
  if (attachments.length > 0 || suggestedActions) {
    if (messages.length === 0) messages.push({ type: 'text', text: '' });
    const last = messages[messages.length - 1] as BotMessage;
    if (attachments.length > 0) last.attachments = attachments;
    if (suggestedActions) last.suggestedActions = suggestedActions;
  }
  out.push(...messages);
}

/** Attachments in the Direct Line shape, or the envelope's own `{mime_type, url, name}`; anything else is dropped. */
function attachmentsOf(value: JsonValue | undefined): ReplyAttachment[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): ReplyAttachment[] => {
    if (!isObject(item)) return [];
    if (typeof item.contentType === 'string') {
      return [
        {
          contentType: item.contentType,
          ...(item.content !== undefined ? { content: item.content } : {}),
          ...(typeof item.contentUrl === 'string' ? { contentUrl: item.contentUrl } : {}),
          ...(typeof item.name === 'string' ? { name: item.name } : {}),
        },
      ];
    }
    if (typeof item.mime_type === 'string' && typeof item.url === 'string') {
      return [{ contentType: item.mime_type, contentUrl: item.url, ...(typeof item.name === 'string' ? { name: item.name } : {}) }];
    }
    return [];
  });
}

/** `{actions: [...]}` (or the bare list) of card actions that name their type; null when there are none. */
function suggestedActionsOf(value: JsonValue | undefined): { actions: CardAction[] } | null {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.actions) ? value.actions : [];
  const actions = list.filter((action): action is { [key: string]: JsonValue } => isObject(action) && typeof action.type === 'string') as unknown as CardAction[];
  return actions.length > 0 ? { actions } : null;
}

function fallbackText(item: { [key: string]: JsonValue }): string | null {
  if (Array.isArray(item.messages)) {
    const texts = item.messages.flatMap((m) => (isObject(m) && typeof m.text === 'string' ? [m.text] : []));
    if (texts.length > 0) return texts.join('\n');
  }
  const result = isObject(item.result) ? item.result : null;
  if (result && Array.isArray(result.content)) {
    const texts = result.content.flatMap((c) => (isObject(c) && typeof c.text === 'string' ? [c.text] : []));
    if (texts.length > 0) return texts.join('\n');
  }
  if (result && result.structured_content !== undefined && result.structured_content !== null) {
    const content = result.structured_content;
    return typeof content === 'string' ? content : JSON.stringify(content);
  }
  if (isObject(item.payload) && typeof item.payload.text === 'string') return item.payload.text;
  if (typeof item.text === 'string') return item.text;
  return null;
}

function cardOf(value: JsonValue | undefined): Record<string, unknown> | null {
  if (isObject(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function decodeCardCbor(bytes: JsonValue[]): Record<string, unknown> | null {
  if (!bytes.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return null;
  try {
    const card: unknown = decode(Uint8Array.from(bytes as number[]));
    return typeof card === 'object' && card !== null && !Array.isArray(card) ? (card as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The card a user sees when a turn fails (the webchat provider's error card, version 1.5). */
export function errorCard(kind: string, message: string): BotMessage {
  return {
    type: 'adaptive_card',
    card: {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Something went wrong', weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'TextBlock', text: message, wrap: true },
        { type: 'TextBlock', text: `kind: ${kind}`, isSubtle: true, wrap: true },
      ],
    },
  };
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
