/** A step's answers to its component's questions: read from its payload, and written back into it. */
import {
  answerPath,
  answersFromPayload,
  removePayloadField,
  setPayloadField,
  type Answers,
  type DevFlow,
  type EditResult,
  type FlowSource,
  type Question,
} from '../../../shared/flow';

/**
 * The answers the step holds now, where `update-step` would have put them. A config flow's answers
 * may sit under `input` as well: greentic-component's generated config flows emit them there.
 */
export function answersOfStep(flow: DevFlow, answersRoot: unknown): Answers {
  const direct = answersFromPayload(flow.questions, answersRoot);
  if (!flow.emitsStep || !isRecord(answersRoot) || !isRecord(answersRoot.input)) return direct;
  return { ...answersFromPayload(flow.questions, answersRoot.input), ...direct };
}

/**
 * Writes answers into the payload, each at its `writes_to` path or under its id (upstream merges
 * answers into the payload's top level); undefined removes one. One edit, so one undo step.
 */
export function writeAnswers(source: FlowSource, nodeId: string, at: readonly string[], answers: ReadonlyArray<[Question, unknown]>): EditResult {
  let result: EditResult = { ok: true, text: typeof source === 'string' ? source : source.text };
  let current: FlowSource = source;
  for (const [question, value] of answers) {
    const path = [...at, ...answerPath(question)];
    result = value === undefined ? removePayloadField(current, nodeId, path) : setPayloadField(current, nodeId, path, value);
    if (!result.ok) return result;
    current = result.text;
  }
  return result;
}

export function valueAt(target: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), target);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
