/**
 * Answers to a dev flow's questions: which questions are shown, what is wrong with an answer, and
 * where in a step's payload each answer lives. Visibility and the required rule are greentic-flow's
 * (`questions.rs`: `show_if`, `writes_to`, hidden questions are never required); the type, choice
 * and constraint checks, and their codes, are greentic-qa's (`validate.rs`).
 */
import type { Question } from './dev-flows';
import { isObject, showValue } from './json';

export type Answers = Record<string, unknown>;

export type AnswerProblemCode = 'missing_required' | 'type_mismatch' | 'enum_mismatch' | 'pattern_mismatch' | 'min_length' | 'max_length' | 'min' | 'max';

export interface AnswerProblem {
  code: AnswerProblemCode;
  message: string;
}

export function isVisible(question: Question, answers: Answers): boolean {
  const rule = question.showIf;
  if (typeof rule === 'boolean') return rule;
  if (!isObject(rule) || typeof rule.id !== 'string' || !('equals' in rule)) return true;
  return rule.id in answers && sameValue(answers[rule.id], rule.equals);
}

/** What is wrong with the answer to one question (undefined: not answered), or null. */
export function answerProblem(question: Question, value: unknown): AnswerProblem | null {
  if (value === undefined) return question.required ? { code: 'missing_required', message: 'an answer is required' } : null;
  const typeProblem = typeMismatch(question, value);
  if (typeProblem) return { code: 'type_mismatch', message: typeProblem };
  if (question.kind === 'choice' && question.choices.length > 0 && !question.choices.some((choice) => sameValue(choice, value))) {
    return { code: 'enum_mismatch', message: `must be one of ${question.choices.map((choice) => showValue(choice)).join(', ')}` };
  }
  return constraintProblem(question, value);
}

/** The problems of the shown questions, by question id; hidden questions are neither asked nor checked. */
export function answerProblems(questions: readonly Question[], answers: Answers): Map<string, AnswerProblem> {
  const problems = new Map<string, AnswerProblem>();
  for (const question of questions) {
    if (!isVisible(question, answers)) continue;
    const problem = answerProblem(question, answers[question.id]);
    if (problem) problems.set(question.id, problem);
  }
  return problems;
}

export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** An answer typed as text, read as its question's kind reads it (a number question wants a number). */
export function parseAnswer(question: Question, text: string): ParsedAnswer {
  const trimmed = text.trim();
  if (question.kind === 'int') {
    return /^[+-]?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? { ok: true, value: Number(trimmed) } : { ok: false, message: 'expected a whole number' };
  }
  if (question.kind === 'float') {
    const number = Number(trimmed);
    return trimmed !== '' && Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: 'expected a number' };
  }
  return { ok: true, value: text };
}

/** `writes_to` split into keys and list indexes (`a.b[0].c`), else the question's id. */
export function answerPath(question: Question): Array<string | number> {
  if (question.writesTo === undefined) return [question.id];
  const path: Array<string | number> = [];
  for (const [, key, index] of question.writesTo.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    path.push(index !== undefined ? Number(index) : (key as string));
  }
  return path.length > 0 ? path : [question.id];
}

/** The answers a payload already holds, read where each question writes its answer. */
export function answersFromPayload(questions: readonly Question[], payload: unknown): Answers {
  const answers: Answers = {};
  for (const question of questions) {
    const value = valueAt(payload, answerPath(question));
    if (value !== undefined) answers[question.id] = value;
  }
  return answers;
}

/** The shown, unanswered questions that have a default, with it: what pressing Enter at each prompt gives upstream. */
export function defaultAnswers(questions: readonly Question[], answers: Answers): Answers {
  const filled: Answers = { ...answers };
  // A default can reveal a question whose `show_if` it satisfies, which may have a default too.
  for (let changed = true; changed; ) {
    changed = false;
    for (const question of questions) {
      if (question.id in filled || question.default === undefined || !isVisible(question, filled)) continue;
      filled[question.id] = question.default;
      changed = true;
    }
  }
  return Object.fromEntries(Object.entries(filled).filter(([id]) => !(id in answers)));
}

function valueAt(target: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = target;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

function typeMismatch(question: Question, value: unknown): string | null {
  switch (question.kind) {
    case 'bool':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? null : 'expected a whole number';
    case 'float':
      return typeof value === 'number' ? null : 'expected a number';
    case 'string':
      // A text question whose default is of another type takes that type (greentic-flow's answers schema).
      return typeof value === 'string' || (question.default !== undefined && question.default !== null && typeof value === typeof question.default) ? null : 'expected text';
    case 'choice':
      return null;
  }
}

function constraintProblem(question: Question, value: unknown): AnswerProblem | null {
  const constraint = question.constraint;
  if (!constraint) return null;
  if (typeof value === 'string') {
    if (constraint.pattern !== undefined && !matches(constraint.pattern, value)) return { code: 'pattern_mismatch', message: `must match ${constraint.pattern}` };
    // greentic-qa counts bytes of UTF-8; characters are what a user sees and types.
    const length = [...value].length;
    if (constraint.minLen !== undefined && length < constraint.minLen) return { code: 'min_length', message: `at least ${constraint.minLen} characters` };
    if (constraint.maxLen !== undefined && length > constraint.maxLen) return { code: 'max_length', message: `at most ${constraint.maxLen} characters` };
  }
  if (typeof value === 'number') {
    if (constraint.min !== undefined && value < constraint.min) return { code: 'min', message: `at least ${constraint.min}` };
    if (constraint.max !== undefined && value > constraint.max) return { code: 'max', message: `at most ${constraint.max}` };
  }
  return null;
}

/** Unanchored, as Rust's `Regex::is_match`; a pattern JavaScript cannot compile is not enforced (upstream skips one it cannot compile). */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
