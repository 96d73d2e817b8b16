import { lazy, Suspense, useEffect, useState, type KeyboardEvent } from 'react';
import type { BotMessage, DebugFlowState, JsonDifference, RecordedStep, ReplayNodeComparison, ReplayResult } from '../../../shared/api';
import { studio } from '../api/studio';
import { JsonView } from '../chat/JsonView';
import { messageOf } from '../store/errors';
import type { JsonDraft } from './json-draft';
import './debug.css';

const JsonEditor = lazy(() => import('./JsonEditor'));

export interface ReplayTarget {
  conversationId: string;
  turnId: string;
  /** The node execution to start from (the `step` of its `node_start` event). */
  step: number;
  nodeId: string;
  /** "Turn 3", as the trace names it. */
  turnLabel: string;
}

/** "Replay from here" on a step of a finished turn in the trace. */
export function ReplayButton({ target }: { target: ReplayTarget }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="replay-button" onClick={() => setOpen(true)} title="Run this turn again from this node, with the state it had then (optionally edited), in a side run that changes no session">
        Replay from here
      </button>
      {open && <ReplayDialog target={target} onClose={() => setOpen(false)} />}
    </>
  );
}

type Drafts = Record<'input' | 'state', JsonDraft | null>;

/**
 * Replays a recorded turn from one node: starts from the input and flow state the node had then,
 * editable, and shows each node's new output beside the recorded one, with what differs.
 */
function ReplayDialog({ target, onClose }: { target: ReplayTarget; onClose(): void }) {
  const [recorded, setRecorded] = useState<RecordedStep | null>(null);
  const [drafts, setDrafts] = useState<Drafts>({ input: null, state: null });
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const { conversationId, turnId, step: stepNumber, turnLabel } = target;
  useEffect(() => {
    let live = true;
    studio.getRecordedTurn({ conversationId, turnId }).then(
      (turn) => {
        if (!live) return;
        const step = turn.steps.find((candidate) => candidate.step === stepNumber);
        if (step) setRecorded(step);
        else setFailure(`The recorded ${turnLabel.toLowerCase()} has no step ${stepNumber} any more.`);
      },
      (error: unknown) => live && setFailure(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [conversationId, turnId, stepNumber, turnLabel]);

  const invalid = [drafts.input, drafts.state].find((draft): draft is Extract<JsonDraft, { ok: false }> => draft?.ok === false);

  async function replay() {
    if (invalid || running) return;
    setRunning(true);
    setFailure(null);
    try {
      const edits = {
        ...(drafts.input?.ok && drafts.input.changed ? { input: drafts.input.value } : {}),
        ...(drafts.state?.ok && drafts.state.changed ? { state: drafts.state.value as DebugFlowState } : {}),
      };
      setResult(await studio.replayTurn({ conversationId: target.conversationId, turnId: target.turnId, step: target.step, ...edits }));
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setRunning(false);
    }
  }

  // Escape closes it wherever focus is (the Replay button, disabled while it runs, drops focus to the page).
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onEscape);
    return () => window.removeEventListener('keydown', onEscape);
  }, [onClose]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void replay();
    }
  }

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <div className="dialog replay-dialog" role="dialog" aria-modal="true" aria-labelledby="replay-title" data-testid="replay-dialog">
        <h3 id="replay-title">
          Replay {target.turnLabel.toLowerCase()} from <code>{target.nodeId}</code>
        </h3>
        <p className="muted">A side run: no session changes and the conversation&apos;s trace stays as it is. Edit the starting values, or replay them as recorded.</p>
        {recorded && (
          <Suspense fallback={<p className="muted">Loading the JSON editors…</p>}>
            <div className="replay-start">
              <div>
                <h4>Input of {recorded.nodeId}</h4>
                <JsonEditor label="Replay input (JSON)" value={recorded.input} lines={6} onDraft={(draft) => setDrafts((current) => ({ ...current, input: draft }))} />
              </div>
              <div>
                <h4>Flow state before it</h4>
                <JsonEditor label="Replay flow state (JSON)" value={recorded.state} lines={6} onDraft={(draft) => setDrafts((current) => ({ ...current, state: draft }))} />
              </div>
            </div>
          </Suspense>
        )}
        {failure && (
          <div className="field-problem" role="alert">
            {failure}
          </div>
        )}
        {result && <ReplayComparison result={result} />}
        <div className="dialog-actions">
          <button type="button" className="primary" disabled={!recorded || running || invalid !== undefined} onClick={() => void replay()} title="Replay (Ctrl+Enter)">
            {running ? 'Replaying…' : result ? 'Replay again' : 'Replay'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function ReplayComparison({ result }: { result: ReplayResult }) {
  const differing = result.nodes.filter((node) => !node.same).length;
  return (
    <section className="replay-result" aria-label="Replay result" data-testid="replay-result">
      <p role="status">
        Replayed: {result.status}
        {result.edited.input || result.edited.state ? ' with edits' : ' as recorded'} ·{' '}
        {differing === 0 && result.replies.same ? 'same outputs and replies as recorded' : `${differing} node${differing === 1 ? '' : 's'} ${differing === 1 ? 'differs' : 'differ'}${result.replies.same ? '' : ', replies differ'}`}
      </p>
      {result.error && <div className="trace-error">{`${result.error.code}: ${result.error.message}`}</div>}
      <h4>Replies</h4>
      <div className={`replay-pair${result.replies.same ? '' : ' differs'}`} data-testid="replay-replies">
        <div>
          <h5>Recorded</h5>
          <ReplyTexts messages={result.replies.recorded} />
        </div>
        <div>
          <h5>Replayed</h5>
          <ReplyTexts messages={result.replies.replayed} />
        </div>
      </div>
      <h4>Nodes</h4>
      <ol className="replay-nodes">
        {result.nodes.map((node, index) => (
          <ReplayNode key={`${node.flowId}:${node.nodeId}:${index}`} node={node} />
        ))}
      </ol>
    </section>
  );
}

function ReplayNode({ node }: { node: ReplayNodeComparison }) {
  const verdict = !node.recorded ? 'only in the replay' : !node.replayed ? 'not reached in the replay' : node.same ? 'same' : 'differs';
  return (
    <li className={`replay-node${node.same ? '' : ' differs'}`} data-testid="replay-node" data-node-id={node.nodeId} data-same={node.same}>
      <div className="replay-node-head">
        <code>{node.nodeId}</code> <span className={`badge ${node.same ? '' : 'diff-badge'}`}>{verdict}</span>
      </div>
      <div className="replay-pair">
        <div>
          <h5>Recorded</h5>
          <Outcome outcome={node.recorded} />
        </div>
        <div>
          <h5>Replayed</h5>
          <Outcome outcome={node.replayed} />
        </div>
      </div>
      {node.differences.length > 0 && <Differences differences={node.differences} />}
    </li>
  );
}

function Outcome({ outcome }: { outcome: ReplayNodeComparison['recorded'] }) {
  if (!outcome) return <p className="muted">—</p>;
  if (outcome.error) return <div className="trace-error">{`${outcome.error.code}: ${outcome.error.message}`}</div>;
  return <JsonView value={outcome.output} />;
}

function Differences({ differences }: { differences: JsonDifference[] }) {
  return (
    <table className="differences" data-testid="replay-differences">
      <caption className="muted">What differs</caption>
      <thead>
        <tr>
          <th scope="col">Where</th>
          <th scope="col">Recorded</th>
          <th scope="col">Replayed</th>
        </tr>
      </thead>
      <tbody>
        {differences.map((difference) => (
          <tr key={difference.path} className={`diff-${difference.kind}`} data-testid="replay-difference">
            <td>
              <code>{difference.path || '(the whole value)'}</code>
            </td>
            <td>{difference.kind === 'added' ? <span className="muted">absent</span> : <del>{short(difference.recorded)}</del>}</td>
            <td>{difference.kind === 'removed' ? <span className="muted">absent</span> : <mark>{short(difference.replayed)}</mark>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplyTexts({ messages }: { messages: BotMessage[] }) {
  if (messages.length === 0) return <p className="muted">no reply</p>;
  return (
    <ul className="reply-texts">
      {messages.map((message, index) => (
        <li key={index}>{message.type === 'text' ? message.text : 'an adaptive card'}</li>
      ))}
    </ul>
  );
}

const MAX_SHOWN = 200;

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
