/**
 * A 0.6 component's own setup questions: what its `qa-spec` operation answers (greentic-types
 * `ComponentQaSpec`: mode, title, questions, defaults) read as the studio's questions, and what its
 * `apply-answers` operation answers (`{ok, config, errors}`) read as the step's new configuration.
 * Labels are i18n texts (`{key, fallback}`); without a fallback the question's id stands in.
 */
import type { JsonValue } from './compiled';
import type { Question, QuestionKind } from './dev-flows';
import { isObject } from './json';

/** greentic-types `QaMode`. */
export type QaMode = 'default' | 'setup' | 'update' | 'remove';

/** The operations a component exports its setup through, besides its own. */
export const QA_SPEC_OP = 'qa-spec';
export const APPLY_ANSWERS_OP = 'apply-answers';

export interface SetupSpec {
  /** Null when the component gives only an untranslated key. */
  title: string | null;
  description: string | null;
  questions: Question[];
}

/** Reads a `qa-spec` answer; throws with what is wrong when it is not a `ComponentQaSpec`. */
export function readQaSpec(spec: unknown): SetupSpec {
  if (!isObject(spec) || !Array.isArray(spec.questions)) throw new Error('the component\'s qa-spec is not a QA spec (no questions list)');
  const defaults = isObject(spec.defaults) ? spec.defaults : {};
  const questions = spec.questions.map((entry, index) => {
    if (!isObject(entry) || typeof entry.id !== 'string' || entry.id.length === 0) throw new Error(`qa-spec question ${index + 1} has no id`);
    return questionOf(entry, defaults);
  });
  return { title: textOf(spec.title), description: textOf(spec.description), questions };
}

function questionOf(entry: Record<string, unknown>, defaults: Record<string, unknown>): Question {
  const id = entry.id as string;
  const kind = isObject(entry.kind) ? entry.kind : {};
  const options = kind.type === 'choice' && Array.isArray(kind.options) ? kind.options.flatMap((option) => (isObject(option) && typeof option.value === 'string' ? [option.value] : [])) : [];
  const question: Question = { id, prompt: textOf(entry.label) ?? id, kind: kindOf(kind.type), required: entry.required === true, choices: options };
  const given = entry.default ?? defaults[id];
  if (given !== undefined && given !== null) question.default = given;
  return question;
}

function kindOf(type: unknown): QuestionKind {
  if (type === 'bool') return 'bool';
  if (type === 'number') return 'float';
  if (type === 'choice') return 'choice';
  return 'string';
}

/** An i18n text's fallback; null when it has none (the key is for a translation table the studio does not have). */
function textOf(text: unknown): string | null {
  if (typeof text === 'string') return text;
  return isObject(text) && typeof text.fallback === 'string' && text.fallback.length > 0 ? text.fallback : null;
}

export type AppliedAnswers = { ok: true; config: JsonValue; warnings: string[] } | { ok: false; problems: string[] };

/** Reads an `apply-answers` answer: the configuration to keep, or the component's reasons for refusing the answers. */
export function readAppliedAnswers(output: unknown): AppliedAnswers {
  if (!isObject(output)) return { ok: false, problems: ['the component answered apply-answers with something that is not a result'] };
  const problems = messagesOf(output.errors);
  if (output.ok === false || problems.length > 0) return { ok: false, problems: problems.length > 0 ? problems : ['the component refused the answers'] };
  if (!('config' in output)) return { ok: false, problems: ['the component answered apply-answers without a config'] };
  return { ok: true, config: output.config as JsonValue, warnings: messagesOf(output.warnings) };
}

/** Upstream's QA errors are `{key, fields?, message?}`: the message, else the key with the fields it names. */
function messagesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => {
    if (typeof entry === 'string') return entry;
    if (!isObject(entry)) return JSON.stringify(entry);
    const fields = Array.isArray(entry.fields) ? entry.fields.filter((field): field is string => typeof field === 'string') : [];
    const text = typeof entry.message === 'string' ? entry.message : typeof entry.key === 'string' ? entry.key : JSON.stringify(entry);
    return fields.length > 0 ? `${text} (${fields.join(', ')})` : text;
  });
}
