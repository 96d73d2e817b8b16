/** Writes a conversation as a transcript test (the format of `transcript-format.ts`). */
import path from 'node:path';
import { stringify } from 'yaml';
import type { BotMessage, TranscriptTurn } from '../../shared/api/chat';

export function transcriptYaml(transcriptPath: string, flowPath: string, turns: TranscriptTurn[]): string {
  const flow = path.posix.relative(path.posix.dirname(transcriptPath), flowPath) || path.posix.basename(flowPath);
  const doc = {
    flow,
    turns: turns.map((turn) => ({
      ...('text' in turn.user ? { user: turn.user.text } : { submit: turn.user.submit }),
      bot: turn.replies.map(expectationOf),
      ...(turn.status === 'completed' ? {} : { status: turn.status }),
    })),
  };
  return stringify(doc, { lineWidth: 0 });
}

function expectationOf(reply: BotMessage): Record<string, unknown> {
  if (reply.type === 'text') {
    const looksLikeRegex = reply.text.length >= 2 && reply.text.startsWith('/') && reply.text.endsWith('/');
    return { text: looksLikeRegex ? { equals: reply.text } : reply.text };
  }
  const first = firstText(reply.card);
  return { card: first ? { contains: first } : { equals: reply.card } };
}

/** The first text of a card, depth first: what a reader recognises the card by. */
export function firstText(value: unknown): string | null {
  for (const text of cardTexts(value)) if (text.trim().length > 0) return text;
  return null;
}

/** Every user-visible string of a card (`text`, `title`, `value`...), depth first. */
export function* cardTexts(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    for (const item of value) yield* cardTexts(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && TEXT_KEYS.has(key)) yield item;
      else yield* cardTexts(item);
    }
  }
}

const TEXT_KEYS = new Set(['text', 'title', 'value', 'label', 'placeholder', 'fallbackText', 'altText', 'speak']);
