import { useEffect, useMemo, useState } from 'react';
import {
  answerProblems,
  defaultAnswers,
  isVisible,
  parseAnswer,
  preferredDevFlow,
  type AnswerProblem,
  type Answers,
  type DevFlow,
  type IrNode,
  readAppliedAnswers,
  readQaSpec,
  setPayloadField,
  type QaMode,
  type Question,
  type SetupSpec,
} from '../../../shared/flow';
import { isObject } from '../../../shared/flow/json';
import { showValue } from '../../../shared/flow/json';
import { studio } from '../api/studio';
import type { NodeQuestions } from '../catalog/op-schema';
import { useEditor } from '../store/editor-store';
import { messageOf } from '../store/errors';
import { CommitField } from './CommitField';
import { applyEmittedStep } from './emitted-step';
import { answersOfStep, valueAt, writeAnswers } from './step-answers';

interface QuestionsFormProps {
  node: IrNode;
  questions: NodeQuestions;
}

/** The questions a step's component asks: those of its `dev_flows`, and a 0.6 component's own setup questions. */
export function QuestionsForm({ node, questions }: QuestionsFormProps) {
  return (
    <>
      {questions.flows.length > 0 && <DevFlowQuestions node={node} questions={questions} />}
      {questions.setup && <ComponentSetup node={node} component={questions.component} />}
    </>
  );
}

/**
 * The questions the step's component asks in its `dev_flows`, one field each. A flow without a
 * template answers into the payload field by field (`update-step --mode default`); a config flow
 * collects the answers and then rebuilds the step from what it emits (`update-step --mode config`).
 */
function DevFlowQuestions({ node, questions }: QuestionsFormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const flow = questions.flows.find((candidate) => candidate.name === chosen) ?? preferredDevFlow(questions.flows, questions.operation);
  if (!flow) return null;
  const root = valueAt(node.payload, questions.at);
  return (
    <section aria-label="Component questions" data-testid="questions-form">
      <h3>Questions</h3>
      {questions.flows.length > 1 ? (
        <label className="field">
          <span className="field-label">Dev flow</span>
          <select aria-label="Dev flow" value={flow.name} onChange={(event) => setChosen(event.target.value)}>
            {questions.flows.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.name} — {describeFlow(candidate)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="muted">
          {questions.component} dev_flows.{flow.name}: {describeFlow(flow)}
        </p>
      )}
      {flow.problem ? (
        <p className="field-problem">{flow.problem}</p>
      ) : flow.emitsStep ? (
        <ConfigFlowAnswers key={flow.name} node={node} flow={flow} questions={questions} root={root} />
      ) : (
        <PayloadAnswers node={node} flow={flow} at={questions.at} root={root} />
      )}
    </section>
  );
}

function describeFlow(flow: DevFlow): string {
  if (!flow.emitsStep) return 'answers go into the payload';
  return flow.questions.length > 0 ? 'rebuilds the step from the answers' : "resets the step to the component's defaults";
}

/** Answers written into the payload as each one is given: one edit (and one undo step) per answer. */
function PayloadAnswers({ node, flow, at, root }: { node: IrNode; flow: DevFlow; at: string[]; root: unknown }) {
  const edit = useEditor((state) => state.edit);
  const answers = answersOfStep(flow, root);
  const problems = answerProblems(flow.questions, answers);
  const defaults = defaultAnswers(flow.questions, answers);
  const write = (entries: Array<[Question, unknown]>) => edit((text) => writeAnswers(text, node.id, at, entries));
  return (
    <>
      <QuestionFields questions={flow.questions} answers={answers} problems={problems} onAnswer={(question, value) => write([[question, value]])} />
      {Object.keys(defaults).length > 0 && (
        <button type="button" onClick={() => write(flow.questions.filter((q) => q.id in defaults).map((q) => [q, defaults[q.id]]))}>
          Fill in defaults
        </button>
      )}
    </>
  );
}

interface ConfigFlowAnswersProps {
  node: IrNode;
  flow: DevFlow;
  questions: NodeQuestions;
  root: unknown;
}

/** Answers gathered first, then run through the config flow in the back end; its step replaces this one's payload in one edit. */
function ConfigFlowAnswers({ node, flow, questions, root }: ConfigFlowAnswersProps) {
  const edit = useEditor((state) => state.edit);
  const held = useMemo(() => answersOfStep(flow, root), [flow, root]);
  const { draft, setDraft, status, setStatus, setAnswer } = useGatheredAnswers(held);
  // The step changed underneath (undo, the YAML view): start again from what it holds.
  const heldKey = JSON.stringify(held);
  useEffect(() => setDraft(JSON.parse(heldKey) as Answers), [heldKey]);

  const problems = answerProblems(flow.questions, draft);
  const defaults = defaultAnswers(flow.questions, draft);
  const apply = async () => {
    setStatus({ kind: 'busy', text: 'Running the config flow…' });
    try {
      const emitted = await studio.runConfigFlow({ component: questions.component, flow: flow.name, answers: draft });
      const result = edit((text) => applyEmittedStep(text, node, emitted, { id: questions.component, operations: questions.operations }));
      setStatus(result.ok ? { kind: 'done', text: `Step rebuilt from dev_flows.${flow.name}` } : { kind: 'error', text: result.message });
    } catch (error) {
      setStatus({ kind: 'error', text: messageOf(error) });
    }
  };
  return (
    <>
      <QuestionFields questions={flow.questions} answers={draft} problems={problems} onAnswer={setAnswer} />
      <div className="route-actions">
        {Object.keys(defaults).length > 0 && (
          <button type="button" onClick={() => setDraft({ ...draft, ...defaults })}>
            Fill in defaults
          </button>
        )}
        <button type="button" disabled={problems.size > 0 || status?.kind === 'busy'} onClick={() => void apply()}>
          Apply to step
        </button>
      </div>
      {problems.size > 0 && <p className="muted">Answer the questions marked above to apply them.</p>}
      <ApplyStatus status={status} testId="questions-status" />
    </>
  );
}

/**
 * A 0.6 component's setup: the questions its `qa-spec` operation asks (in `setup` mode for a step
 * without configuration, else `update`), prefilled from the step's `config`; its `apply-answers`
 * operation turns the answers into the configuration, which replaces the step's `config` in one edit.
 */
function ComponentSetup({ node, component }: { node: IrNode; component: string }) {
  const edit = useEditor((state) => state.edit);
  const current = valueAt(node.payload, ['config']);
  const mode: QaMode = isObject(current) && Object.keys(current).length > 0 ? 'update' : 'setup';
  const [spec, setSpec] = useState<{ value: SetupSpec } | { error: string } | null>(null);
  const { draft, setDraft, status, setStatus, setAnswer } = useGatheredAnswers({});
  const currentKey = JSON.stringify(current ?? null);

  useEffect(() => {
    let live = true;
    setSpec(null);
    void studio.componentQaSpec({ component, mode }).then(
      ({ output }) => {
        if (!live) return;
        try {
          setSpec({ value: readQaSpec(output) });
        } catch (error) {
          setSpec({ error: messageOf(error) });
        }
      },
      (error: unknown) => live && setSpec({ error: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [component, mode]);
  // The step's configuration changed underneath (undo, the YAML view): its values are the answers again.
  useEffect(() => {
    if (!spec || !('value' in spec)) return;
    const held = JSON.parse(currentKey) as unknown;
    setDraft(Object.fromEntries(spec.value.questions.flatMap((question) => (isObject(held) && held[question.id] !== undefined ? [[question.id, held[question.id]]] : []))));
  }, [spec, currentKey]);

  if (!spec) return <p className="muted">Asking {component} for its setup questions…</p>;
  if ('error' in spec) return <p className="field-problem">{spec.error}</p>;
  const { questions } = spec.value;
  const problems = answerProblems(questions, draft);
  const apply = async () => {
    setStatus({ kind: 'busy', text: 'Applying the answers…' });
    try {
      const { output } = await studio.applyComponentAnswers({ component, mode, currentConfig: current ?? {}, answers: draft });
      const applied = readAppliedAnswers(output);
      if (!applied.ok) return setStatus({ kind: 'error', text: applied.problems.join('; ') });
      const result = edit((text) => setPayloadField(text, node.id, ['config'], applied.config));
      setStatus(result.ok ? { kind: 'done', text: ['Configuration set by the component', ...applied.warnings].join('; ') } : { kind: 'error', text: result.message });
    } catch (error) {
      setStatus({ kind: 'error', text: messageOf(error) });
    }
  };
  return (
    <section aria-label="Component setup" data-testid="component-setup">
      <h3>Setup</h3>
      <p className="muted">
        {spec.value.title ? `${spec.value.title}: ` : ''}
        {component} qa-spec, {mode} mode{spec.value.description ? `. ${spec.value.description}` : ''}
      </p>
      <QuestionFields questions={questions} answers={draft} problems={problems} onAnswer={setAnswer} />
      <div className="route-actions">
        <button type="button" disabled={problems.size > 0 || status?.kind === 'busy'} onClick={() => void apply()}>
          Apply setup
        </button>
      </div>
      <ApplyStatus status={status} testId="setup-status" />
    </section>
  );
}

type ApplyState = { kind: 'busy' | 'error' | 'done'; text: string } | null;

/** Answers gathered before they are applied, and how the last apply went; a new answer clears that. */
function useGatheredAnswers(initial: Answers) {
  const [draft, setDraft] = useState<Answers>(initial);
  const [status, setStatus] = useState<ApplyState>(null);
  const setAnswer = (question: Question, value: unknown) => {
    setStatus(null);
    setDraft((answers) => {
      const next = { ...answers };
      if (value === undefined) delete next[question.id];
      else next[question.id] = value;
      return next;
    });
  };
  return { draft, setDraft, status, setStatus, setAnswer };
}

function ApplyStatus({ status, testId }: { status: ApplyState; testId: string }) {
  if (!status) return null;
  return (
    <p className={status.kind === 'error' ? 'field-problem' : 'muted'} role={status.kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {status.text}
    </p>
  );
}

interface QuestionFieldsProps {
  questions: readonly Question[];
  answers: Answers;
  problems: Map<string, AnswerProblem>;
  onAnswer: (question: Question, value: unknown) => void;
}

/** The shown questions, in order; a question whose `show_if` does not hold is neither shown nor checked. */
function QuestionFields({ questions, answers, problems, onAnswer }: QuestionFieldsProps) {
  return (
    <div className="payload-form">
      {questions
        .filter((question) => isVisible(question, answers))
        .map((question) => (
          <QuestionField key={question.id} question={question} value={answers[question.id]} problem={problems.get(question.id)?.message ?? null} onAnswer={(value) => onAnswer(question, value)} />
        ))}
    </div>
  );
}

interface QuestionFieldProps {
  question: Question;
  value: unknown;
  problem: string | null;
  onAnswer: (value: unknown) => void;
}

function QuestionField({ question, value, problem, onAnswer }: QuestionFieldProps) {
  const label = question.prompt;
  const shownLabel = `${label}${question.required ? ' *' : ''}`;
  const hint = question.default !== undefined ? `default: ${showValue(question.default)}` : undefined;
  if (question.kind === 'bool') {
    return (
      <>
        <label className="field field-inline">
          <input type="checkbox" aria-label={label} checked={value === true} onChange={(event) => onAnswer(event.target.checked)} />
          <span className="field-label">
            {shownLabel}
            {hint && ` (${hint})`}
          </span>
        </label>
        <Problem text={problem} />
      </>
    );
  }
  if (question.kind === 'choice' && question.choices.length > 0) {
    const selected = question.choices.findIndex((choice) => JSON.stringify(choice) === JSON.stringify(value));
    return (
      <label className="field">
        <span className="field-label">{shownLabel}</span>
        <select
          aria-label={label}
          aria-invalid={problem ? true : undefined}
          value={selected < 0 ? '' : String(selected)}
          onChange={(event) => onAnswer(event.target.value === '' ? undefined : question.choices[Number(event.target.value)])}
        >
          <option value="">{hint ? `(${hint})` : question.required ? '(choose)' : '(none)'}</option>
          {question.choices.map((choice, index) => (
            <option key={index} value={String(index)}>
              {typeof choice === 'string' ? choice : showValue(choice)}
            </option>
          ))}
        </select>
        <Problem text={problem} />
      </label>
    );
  }
  const text = value === undefined ? '' : typeof value === 'string' ? value : showValue(value, Infinity);
  return (
    <CommitField
      label={label}
      required={question.required}
      value={text}
      {...(hint ? { placeholder: hint } : {})}
      problem={problem}
      check={(draft) => {
        const parsed = draft.trim() === '' ? null : parseAnswer(question, draft);
        return parsed && !parsed.ok ? parsed.message : null;
      }}
      onCommit={(draft) => {
        // An emptied field takes the answer back; a number that does not parse stays a draft, its problem shown.
        if (draft === '' || (question.kind !== 'string' && draft.trim() === '')) return onAnswer(undefined);
        const parsed = parseAnswer(question, draft);
        if (parsed.ok) onAnswer(parsed.value);
      }}
    />
  );
}

function Problem({ text }: { text: string | null }) {
  return text ? (
    <span className="field-problem" role="alert">
      {text}
    </span>
  ) : null;
}
