import { describe, expect, it } from 'vitest';
import {
  answerPath,
  answerProblem,
  answerProblems,
  answersFromPayload,
  defaultAnswers,
  devFlowsOf,
  isVisible,
  parseAnswer,
  preferredDevFlow,
  type Question,
} from '../../../src/shared/flow';
import { askingDevFlow, CARD_QUESTIONS } from '../../support/dev-flows';

/** greentic-flow's fixture manifest (`tests/fixtures/manifests/component.manifest.json`): answers placed by `writes_to`. */
const CARD_DEV_FLOWS = { default: askingDevFlow(CARD_QUESTIONS, { id: 'cfg', type: 'component-config', start: 'ask' }) };

/** The shape greentic-component's `flow update` generates: a `default` that emits defaults, a `custom` that asks first. */
const GENERATED_DEV_FLOWS = {
  custom: {
    format: 'flow-ir-json',
    graph: {
      id: 'component-demo.custom',
      kind: 'component-config',
      nodes: {
        ask_config: {
          questions: {
            fields: [
              { id: 'kind', prompt: 'Answer type', type: 'enum', options: ['Text', 'Number'], default: 'Text' },
              { id: 'threshold', prompt: 'Threshold:', type: 'number', default: 0.42 },
              { id: 'title', prompt: 'Greeting shown to users', type: 'string', default: 'Hello world' },
            ],
          },
          routing: [{ to: 'emit_config' }],
        },
        emit_config: { template: '{"node_id": "component-demo", "node": {"handle_message": {"input": {"title": "{{state.title}}"}}}}' },
      },
    },
  },
  default: {
    format: 'flow-ir-json',
    graph: { id: 'component-demo.default', kind: 'component-config', nodes: { emit_config: { template: '{}' } } },
  },
};

function question(overrides: Partial<Question> & Pick<Question, 'id'>): Question {
  return { prompt: overrides.id, kind: 'string', required: true, choices: [], ...overrides };
}

describe("a component's dev_flows questions", () => {
  it('reads the questions of every questions node as greentic-flow does, with its kind spellings and required rule', () => {
    const [flow] = devFlowsOf(CARD_DEV_FLOWS);
    expect(flow).toEqual({
      name: 'default',
      emitsStep: false,
      problem: null,
      questions: [
        { id: 'asset_path', prompt: 'Asset path', kind: 'string', required: true, choices: [], writesTo: 'card_spec.asset_path' },
        { id: 'needs_interaction', prompt: 'Needs interaction?', kind: 'bool', required: false, default: false, choices: [], writesTo: 'interaction.enabled' },
      ],
    });
    const kinds = devFlowsOf({
      f: {
        graph: {
          nodes: {
            q: {
              questions: {
                fields: ['bool', 'boolean', 'int', 'integer', 'float', 'number', 'choice', 'enum', 'string', 'anything'].map((type) => ({ id: type, type })),
              },
            },
          },
        },
      },
    })[0]?.questions.map((q) => q.kind);
    expect(kinds).toEqual(['bool', 'bool', 'int', 'int', 'float', 'float', 'choice', 'choice', 'string', 'string']);
  });

  it('takes an explicit required, a null default, show_if and greentic-qa constraints as written', () => {
    const [flow] = devFlowsOf({
      x: {
        graph: {
          nodes: {
            q: {
              questions: {
                fields: [
                  { id: 'a', default: 'x', required: true, constraint: { pattern: '^[a-z]+$', min_len: 2, max_len: 5 } },
                  { id: 'b', default: null },
                  { id: 'c', required: false, show_if: { id: 'a', equals: 'y' }, constraint: { min: 1, max: 10 } },
                ],
              },
            },
          },
        },
      },
    });
    expect(flow?.questions.map(({ id, required, default: value, showIf, constraint }) => ({ id, required, value, showIf, constraint }))).toEqual([
      { id: 'a', required: true, value: 'x', showIf: undefined, constraint: { pattern: '^[a-z]+$', minLen: 2, maxLen: 5 } },
      { id: 'b', required: false, value: null, showIf: undefined, constraint: undefined },
      { id: 'c', required: false, value: undefined, showIf: { id: 'a', equals: 'y' }, constraint: { min: 1, max: 10 } },
    ]);
  });

  it('keeps flows that ask or emit a step, says why a broken one cannot be read, and ignores the rest', () => {
    const flows = devFlowsOf({
      ...GENERATED_DEV_FLOWS,
      graphless: { format: 'flow-ir-json' },
      plain: { graph: { nodes: [{ id: 'start', type: 'start' }] } },
      broken: { graph: { nodes: { ask: { questions: {} } } } },
      nameless: { graph: { nodes: { ask: { questions: { fields: [{ prompt: 'who?' }] } } } } },
    });
    expect(flows.map(({ name, emitsStep, problem, questions }) => [name, emitsStep, problem, questions.map((q) => q.id)])).toEqual([
      ['custom', true, null, ['kind', 'threshold', 'title']],
      ['default', true, null, []],
      ['broken', false, 'questions node missing fields array', []],
      ['nameless', false, 'questions field missing id', []],
    ]);
    expect(devFlowsOf(null)).toEqual([]);
    expect(devFlowsOf([CARD_DEV_FLOWS])).toEqual([]);
  });

  it("opens on the operation's flow, then default, then custom, preferring one that asks something", () => {
    const flows = devFlowsOf({ ...GENERATED_DEV_FLOWS, run: CARD_DEV_FLOWS.default });
    expect(preferredDevFlow(flows, 'run')?.name).toBe('run');
    // The generated `default` asks nothing: its `custom` sibling's questions are what the form shows.
    expect(preferredDevFlow(flows, 'other')?.name).toBe('custom');
    expect(preferredDevFlow(devFlowsOf({ default: GENERATED_DEV_FLOWS.default }), null)?.name).toBe('default');
    expect(preferredDevFlow([], 'run')).toBeNull();
  });
});

describe('answers to the questions', () => {
  it('shows a question by its show_if: a boolean, or another answer equal to a value', () => {
    const mode = question({ id: 'asset_path', showIf: { id: 'mode', equals: 'asset' } });
    expect(isVisible(mode, { mode: 'asset' })).toBe(true);
    expect(isVisible(mode, { mode: 'url' })).toBe(false);
    expect(isVisible(mode, {})).toBe(false);
    expect(isVisible(question({ id: 'x', showIf: false }), {})).toBe(false);
    expect(isVisible(question({ id: 'x', showIf: { id: 'mode' } }), {})).toBe(true);
  });

  it('checks required, type, choice and constraint, only for the questions shown', () => {
    const questions = [
      question({ id: 'name', constraint: { pattern: '^[a-z]+$', maxLen: 4 } }),
      question({ id: 'count', kind: 'int', constraint: { min: 1, max: 9 } }),
      question({ id: 'ratio', kind: 'float', required: false }),
      question({ id: 'on', kind: 'bool', required: false }),
      question({ id: 'colour', kind: 'choice', choices: ['red', 'blue'] }),
      question({ id: 'hidden', showIf: { id: 'on', equals: true } }),
    ];
    const codes = (answers: Record<string, unknown>) => Object.fromEntries([...answerProblems(questions, answers)].map(([id, problem]) => [id, problem.code]));
    expect(codes({})).toEqual({ name: 'missing_required', count: 'missing_required', colour: 'missing_required' });
    expect(codes({ name: 'Ada', count: 2.5, ratio: 'x', on: 'yes', colour: 'green' })).toEqual({
      name: 'pattern_mismatch',
      count: 'type_mismatch',
      ratio: 'type_mismatch',
      on: 'type_mismatch',
      colour: 'enum_mismatch',
    });
    expect(codes({ name: 'abcde', count: 0, colour: 'red', on: true })).toEqual({ name: 'max_length', count: 'min', hidden: 'missing_required' });
    expect(codes({ name: 'ab', count: 10, colour: 'blue' })).toEqual({ count: 'max' });
    expect(codes({ name: 'ab', count: 3, ratio: 0.5, on: false, colour: 'blue' })).toEqual({});
    expect(answerProblem(questions[4] as Question, 'green')?.message).toBe('must be one of "red", "blue"');
    expect(answerProblem(question({ id: 'short', constraint: { minLen: 3 } }), 'ab')).toEqual({ code: 'min_length', message: 'at least 3 characters' });
  });

  it('lets a text question whose default is of another type take that type', () => {
    expect(answerProblem(question({ id: 'temperature', default: 0.2 }), 0.5)).toBeNull();
    expect(answerProblem(question({ id: 'name' }), 5)?.code).toBe('type_mismatch');
  });

  it('reads typed text as its question reads it', () => {
    expect(parseAnswer(question({ id: 'n', kind: 'int' }), ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseAnswer(question({ id: 'n', kind: 'int' }), '4.2')).toEqual({ ok: false, message: 'expected a whole number' });
    expect(parseAnswer(question({ id: 'n', kind: 'float' }), '4.2')).toEqual({ ok: true, value: 4.2 });
    expect(parseAnswer(question({ id: 'n', kind: 'float' }), 'many')).toEqual({ ok: false, message: 'expected a number' });
    expect(parseAnswer(question({ id: 's' }), ' as typed ')).toEqual({ ok: true, value: ' as typed ' });
  });

  it('places each answer at its writes_to path, else under its id, and reads it back from there', () => {
    const [flow] = devFlowsOf(CARD_DEV_FLOWS);
    const questions = flow?.questions ?? [];
    expect(questions.map(answerPath)).toEqual([
      ['card_spec', 'asset_path'],
      ['interaction', 'enabled'],
    ]);
    expect(answerPath(question({ id: 'x', writesTo: 'items[0].name' }))).toEqual(['items', 0, 'name']);
    expect(answerPath(question({ id: 'plain' }))).toEqual(['plain']);
    expect(answersFromPayload(questions, { card_spec: { asset_path: 'assets/cards/card.json' }, interaction: {} })).toEqual({ asset_path: 'assets/cards/card.json' });
    expect(answersFromPayload([question({ id: 'x', writesTo: 'items[1]' })], { items: ['a', 'b'] })).toEqual({ x: 'b' });
    expect(answersFromPayload(questions, 'not a mapping')).toEqual({});
  });

  it('fills in the defaults of the unanswered questions shown, including those a default reveals', () => {
    const questions = [
      question({ id: 'mode', kind: 'choice', choices: ['asset', 'url'], default: 'asset' }),
      question({ id: 'asset_path', default: 'assets/card.json', showIf: { id: 'mode', equals: 'asset' } }),
      question({ id: 'url', default: 'https://example.com', showIf: { id: 'mode', equals: 'url' } }),
      question({ id: 'name' }),
    ];
    expect(defaultAnswers(questions, {})).toEqual({ mode: 'asset', asset_path: 'assets/card.json' });
    expect(defaultAnswers(questions, { mode: 'url', name: 'n' })).toEqual({ url: 'https://example.com' });
  });
});
