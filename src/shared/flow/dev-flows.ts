/**
 * The questions a component asks about a step of it, as the `dev_flows` of its manifest declare
 * them. Read as greentic-flow reads them (`questions.rs` `extract_questions_from_flow`): every node
 * of a dev flow's graph that has `questions.fields` contributes its fields, in node order. A dev flow
 * with a `template` node is a config flow (`config_flow.rs`): running it emits the whole step, which
 * is how `update-step --mode config` rebuilds a step; one without only has its answers placed into
 * the step's payload (`update-step --mode default`).
 */
import { isObject } from './json';

/** greentic-flow's question kinds; `type` spellings map to them as upstream maps them. */
export type QuestionKind = 'string' | 'bool' | 'int' | 'float' | 'choice';

/** greentic-qa's per-question constraint (`pattern`, `min`, `max`, `min_len`, `max_len`). */
export interface QuestionConstraint {
  pattern?: string;
  min?: number;
  max?: number;
  minLen?: number;
  maxLen?: number;
}

export interface Question {
  id: string;
  /** `prompt`, else the id. */
  prompt: string;
  kind: QuestionKind;
  /** `required` as written, else true exactly when the question gives no `default`. */
  required: boolean;
  /** Absent when the question gives none (a `default: null` is a default). */
  default?: unknown;
  /** `options` of a choice, as JSON values. */
  choices: unknown[];
  /** `true` / `false`, or `{id, equals}`: shown only while that answer equals the value. */
  showIf?: unknown;
  /** Where the answer goes inside the payload (`card_spec.asset_path`, `items[0].name`); else the payload's key named by the id. */
  writesTo?: string;
  constraint?: QuestionConstraint;
}

export interface DevFlow {
  /** Its key in `dev_flows` (`default`, `custom`, an operation name, ...). */
  name: string;
  questions: Question[];
  /** Has a `template` node: running the flow emits the whole step instead of answering into it. */
  emitsStep: boolean;
  /** Why its questions cannot be read; upstream refuses such a flow with this message. */
  problem: string | null;
}

/** The dev flows of a manifest's `dev_flows` value that ask something or emit a step, in manifest order. */
export function devFlowsOf(devFlows: unknown): DevFlow[] {
  if (!isObject(devFlows)) return [];
  return Object.entries(devFlows).flatMap(([name, entry]): DevFlow[] => {
    const graph = isObject(entry) ? entry.graph : undefined;
    if (!isObject(graph)) return [];
    const flow = { name, ...readGraph(graph) };
    return flow.questions.length > 0 || flow.emitsStep || flow.problem ? [flow] : [];
  });
}

function readGraph(graph: Record<string, unknown>): Omit<DevFlow, 'name'> {
  const nodes = isObject(graph.nodes) ? Object.values(graph.nodes) : [];
  const emitsStep = nodes.some((node) => isObject(node) && typeof node.template === 'string');
  const questions: Question[] = [];
  for (const node of nodes) {
    if (!isObject(node) || !('questions' in node)) continue;
    const fields = isObject(node.questions) ? node.questions.fields : undefined;
    if (!Array.isArray(fields)) return { questions: [], emitsStep, problem: 'questions node missing fields array' };
    for (const field of fields) {
      const question = isObject(field) ? readQuestion(field) : null;
      if (!question) return { questions: [], emitsStep, problem: 'questions field missing id' };
      questions.push(question);
    }
  }
  return { questions, emitsStep, problem: null };
}

function readQuestion(field: Record<string, unknown>): Question | null {
  if (typeof field.id !== 'string') return null;
  const hasDefault = 'default' in field;
  const question: Question = {
    id: field.id,
    prompt: typeof field.prompt === 'string' ? field.prompt : field.id,
    kind: kindOf(field.type),
    required: typeof field.required === 'boolean' ? field.required : !hasDefault,
    choices: Array.isArray(field.options) ? [...(field.options as unknown[])] : [],
  };
  if (hasDefault) question.default = field.default;
  if ('show_if' in field) question.showIf = field.show_if;
  if (typeof field.writes_to === 'string') question.writesTo = field.writes_to;
  const constraint = constraintOf(field.constraint);
  if (constraint) question.constraint = constraint;
  return question;
}

function kindOf(type: unknown): QuestionKind {
  switch (type) {
    case 'bool':
    case 'boolean':
      return 'bool';
    case 'int':
    case 'integer':
      return 'int';
    case 'float':
    case 'number':
      return 'float';
    case 'choice':
    case 'enum':
      return 'choice';
    default:
      return 'string';
  }
}

function constraintOf(value: unknown): QuestionConstraint | null {
  if (!isObject(value)) return null;
  const constraint: QuestionConstraint = {};
  if (typeof value.pattern === 'string') constraint.pattern = value.pattern;
  if (typeof value.min === 'number') constraint.min = value.min;
  if (typeof value.max === 'number') constraint.max = value.max;
  if (typeof value.min_len === 'number') constraint.minLen = value.min_len;
  if (typeof value.max_len === 'number') constraint.maxLen = value.max_len;
  return Object.keys(constraint).length > 0 ? constraint : null;
}

/**
 * The dev flow a step's form opens on: upstream looks for `dev_flows.<operation>`, then `default`
 * (answers), then `custom` (config mode). The first of those that asks something wins, so that a
 * generated `default`, which only emits defaults, yields to the `custom` flow's questions.
 */
export function preferredDevFlow(flows: readonly DevFlow[], operation: string | null): DevFlow | null {
  const order = [...new Set([operation, 'default', 'custom'].filter((name): name is string => name !== null))];
  const ranked = [...order.flatMap((name) => flows.filter((flow) => flow.name === name)), ...flows.filter((flow) => !order.includes(flow.name))];
  return ranked.find((flow) => flow.questions.length > 0) ?? ranked[0] ?? null;
}
