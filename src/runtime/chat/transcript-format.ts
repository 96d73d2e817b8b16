/**
 * Transcript tests: conversations written down in YAML, replayed against the runner.
 *
 *   flow: ../flows/main.ygtc         # relative to the transcript file
 *   tenant: acme                     # optional; also `user`, `team`
 *   turns:
 *     - user: hi
 *       bot:
 *         - text: "Hello!"           # exact text, or /a regular expression/
 *     - submit: { action: about }    # an adaptive card Action.Submit
 *       bot:
 *         - card: { contains: "About" }
 *
 * A text expectation may also be `{contains: s}`, `{matches: regex}` or `{equals: s}`; a card
 * expectation `{contains: s}` (some text of the card contains s) or `{equals: {...card}}`. A turn may
 * add `status: completed | waiting | failed`.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';

const textExpectation = z.union([
  z.string(),
  z.object({ contains: z.string() }).strict(),
  z.object({ matches: z.string() }).strict(),
  z.object({ equals: z.string() }).strict(),
]);

const cardExpectation = z.union([
  z.object({ contains: z.string() }).strict(),
  z.object({ equals: z.record(z.string(), z.unknown()) }).strict(),
]);

const replyExpectation = z.union([
  z.object({ text: textExpectation }).strict(),
  z.object({ card: cardExpectation }).strict(),
]);

const turnBase = {
  bot: z.array(replyExpectation).default([]),
  status: z.enum(['completed', 'waiting', 'failed']).optional(),
};

const transcriptTurn = z.union([
  z.object({ user: z.union([z.string(), z.number(), z.boolean()]).transform(String), ...turnBase }).strict(),
  z.object({ submit: z.record(z.string(), z.unknown()), ...turnBase }).strict(),
]);

const transcriptSchema = z
  .object({
    name: z.string().optional(),
    flow: z.string().min(1),
    tenant: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    turns: z.array(transcriptTurn).min(1),
  })
  .strict();

export type Transcript = z.infer<typeof transcriptSchema>;
export type TranscriptTurnSpec = Transcript['turns'][number];
export type ReplyExpectation = z.infer<typeof replyExpectation>;

export const MAX_TRANSCRIPT_BYTES = 1024 * 1024;

export class TranscriptFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'TranscriptFormatError';
  }
}

export function parseTranscript(text: string, file: string): Transcript {
  if (text.length > MAX_TRANSCRIPT_BYTES) throw new TranscriptFormatError(file, 'transcript is larger than 1 MiB');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new TranscriptFormatError(file, `not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  const parsed = transcriptSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'transcript';
    throw new TranscriptFormatError(file, `${where}: ${issue?.message ?? 'invalid transcript'}`);
  }
  for (const [index, turn] of parsed.data.turns.entries()) {
    for (const expectation of turn.bot) {
      if ('text' in expectation) {
        const pattern = regexSource(expectation.text);
        if (pattern !== null) {
          try {
            new RegExp(pattern);
          } catch (error) {
            throw new TranscriptFormatError(file, `turns.${index}: invalid regular expression ${pattern}: ${(error as Error).message}`);
          }
        }
      }
    }
  }
  return parsed.data;
}

/** The regular expression of a text expectation, or null when it is not one. */
export function regexSource(expectation: z.infer<typeof textExpectation>): string | null {
  if (typeof expectation === 'string') {
    return expectation.length >= 2 && expectation.startsWith('/') && expectation.endsWith('/') ? expectation.slice(1, -1) : null;
  }
  return 'matches' in expectation ? expectation.matches : null;
}
