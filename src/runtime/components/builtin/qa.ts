/**
 * `qa.process`: asks its questions one per turn and records the answers. The first run sends the
 * welcome and the first question and parks the flow at the node; each later turn records the
 * user's answer (asking again when it does not fit) until every question has one, then the node
 * completes with the answers keyed by question id.
 */
import { z } from 'zod';
import type { JsonValue } from '../../../shared/flow/compiled';
import type { ComponentOutcome } from '../host';
import { nodeError } from '../host';
import type { BuiltinComponent } from './builtin';

const question = z.object({
  id: z.string().min(1),
  prompt: z.string(),
  answer_type: z.string().optional(),
  max_words: z.number().int().positive().optional(),
  optional: z.boolean().optional(),
});
type Question = z.infer<typeof question>;

const qaInput = z.object({
  welcome: z.string().optional(),
  questions: z.array(question).min(1),
});

const qaMemory = z.object({ next: z.number().int().nonnegative(), answers: z.record(z.string(), z.unknown()) });
type QaMemory = z.infer<typeof qaMemory>;

/** Words that leave an optional question unanswered. */
const SKIP_WORDS = new Set(['', 'skip', '-', 'no', 'none', 'n/a']);

export const qaComponent: BuiltinComponent = {
  ids: ['qa', 'component-qa', 'ai.greentic.component-qa'],
  operations: ['process'],
  describe: {
    id: 'qa',
    operations: [{ name: 'process', inputSchema: z.toJSONSchema(qaInput) as JsonValue }],
  },
  run(invocation) {
    const parsed = qaInput.safeParse(invocation.input);
    if (!parsed.success) {
      return nodeError('invalid_input', `qa.process input is invalid: ${parsed.error.issues.map(describeIssue).join('; ')}`);
    }
    const { welcome, questions } = parsed.data;
    const memory = qaMemory.safeParse(invocation.memory);
    if (!memory.success) {
      const first = questions[0] as Question;
      return ask(welcome ? [welcome, first.prompt] : [first.prompt], { next: 0, answers: {} });
    }
    const progress = memory.data;
    const current = questions[progress.next];
    if (!current) return done(progress.answers);
    const answer = checkAnswer(current, messageText(invocation.turnInput));
    if ('problem' in answer) return ask([answer.problem, current.prompt], progress);
    const answers = { ...progress.answers, [current.id]: answer.value };
    const next = questions[progress.next + 1];
    if (!next) return done(answers);
    return ask([next.prompt], { next: progress.next + 1, answers });
  },
};

function ask(texts: string[], memory: QaMemory): ComponentOutcome {
  return {
    ok: true,
    output: { messages: texts.map((text) => ({ type: 'text', text })) },
    awaitUser: { reason: 'waiting for an answer' },
    memory: memory as JsonValue,
  };
}

function done(answers: Record<string, unknown>): ComponentOutcome {
  return { ok: true, output: answers as JsonValue };
}

function checkAnswer(q: Question, raw: string): { value: JsonValue } | { problem: string } {
  const text = raw.trim();
  if (q.optional && SKIP_WORDS.has(text.toLowerCase())) return { value: null };
  if (text.length === 0) return { problem: 'Please type an answer.' };
  if (q.max_words !== undefined && text.split(/\s+/).length > q.max_words) {
    return { problem: `Please answer in at most ${q.max_words} word${q.max_words === 1 ? '' : 's'}.` };
  }
  switch (q.answer_type) {
    case 'number':
    case 'integer': {
      const value = Number(text.replace(',', '.'));
      if (!Number.isFinite(value) || (q.answer_type === 'integer' && !Number.isInteger(value))) {
        return { problem: `Please answer with ${q.answer_type === 'integer' ? 'a whole number' : 'a number'}.` };
      }
      return { value };
    }
    case 'boolean':
    case 'yes_no': {
      const lower = text.toLowerCase();
      if (['yes', 'y', 'true'].includes(lower)) return { value: true };
      if (['no', 'n', 'false'].includes(lower)) return { value: false };
      return { problem: 'Please answer yes or no.' };
    }
    default:
      return { value: text };
  }
}

/** The user's text in a flow input envelope (`{input: {text}}`), or in a bare message. */
function messageText(turnInput: JsonValue): string {
  if (turnInput === null || typeof turnInput !== 'object' || Array.isArray(turnInput)) return '';
  const message = turnInput.input !== null && typeof turnInput.input === 'object' && !Array.isArray(turnInput.input) ? turnInput.input : turnInput;
  return typeof message.text === 'string' ? message.text : '';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`;
}
