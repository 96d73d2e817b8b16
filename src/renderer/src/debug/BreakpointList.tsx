import { useEffect, useState } from 'react';
import { CommitField } from '../inspector/CommitField';
import { conditionProblem } from '../inspector/condition-problem';
import { runCommand } from '../commands/registry';
import { useBreakpoints, type Breakpoint } from './breakpoint-store';

/** The shown flow's breakpoints: each with its condition and hit count, on/off, or removed. */
export function BreakpointList() {
  const breakpoints = useBreakpoints((state) => state.breakpoints);
  const error = useBreakpoints((state) => state.error);
  const list = Object.values(breakpoints);
  return (
    <section className="breakpoint-list" aria-labelledby="breakpoints-heading" data-testid="breakpoint-list">
      <h4 id="breakpoints-heading">Breakpoints</h4>
      {error && (
        <div className="field-problem" role="alert">
          {error}
        </div>
      )}
      {list.length === 0 ? (
        <p className="muted">None in this flow. Click the dot on a node, press F9 on it, or click the YAML view&apos;s gutter beside its id.</p>
      ) : (
        <ul>
          {list.map((breakpoint) => (
            <BreakpointRow key={breakpoint.nodeId} breakpoint={breakpoint} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BreakpointRow({ breakpoint }: { breakpoint: Breakpoint }) {
  const { update, remove } = useBreakpoints.getState();
  const id = breakpoint.nodeId;
  return (
    <li className="breakpoint-row" data-testid="breakpoint-row" data-node-id={id}>
      <div className="breakpoint-row-head">
        <input type="checkbox" checked={breakpoint.enabled !== false} onChange={(event) => void update(id, { enabled: event.target.checked })} aria-label={`Breakpoint on ${id} enabled`} />
        <button type="button" className="link" onClick={() => runCommand('revealNode', id)} title="Show the node on the canvas">
          <code>{id}</code>
        </button>
        <button type="button" onClick={() => void remove(id)} aria-label={`Remove the breakpoint on ${id}`}>
          Remove
        </button>
      </div>
      <CommitField
        label={`Condition on ${id}`}
        value={breakpoint.condition ?? ''}
        placeholder='none: always, or e.g. input.text == "hi"'
        check={conditionProblem}
        onCommit={(condition) => void update(id, { condition })}
      />
      <HitCountField nodeId={id} value={breakpoint.hitCount} onCommit={(hitCount) => void update(id, { hitCount })} />
    </li>
  );
}

/** From which hit the breakpoint stops: a whole number from 1, checked as typed; empty is every hit. */
function HitCountField({ nodeId, value, onCommit }: { nodeId: string; value: number | undefined; onCommit(value: number | undefined): void }) {
  const [draft, setDraft] = useState(value === undefined ? '' : String(value));
  useEffect(() => setDraft(value === undefined ? '' : String(value)), [value]);
  const problem = hitCountProblem(draft);
  const commit = () => {
    if (problem) return;
    const next = draft.trim() === '' ? undefined : Number(draft);
    if (next !== value) onCommit(next);
  };
  return (
    <label className="field">
      <span className="field-label">Stop from hit</span>
      <input
        type="text"
        inputMode="numeric"
        aria-label={`Hit count of ${nodeId}`}
        placeholder="1: every time"
        value={draft}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          else if (event.key === 'Escape') setDraft(value === undefined ? '' : String(value));
        }}
      />
      {problem && (
        <span className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

function hitCountProblem(draft: string): string | null {
  const text = draft.trim();
  if (text === '') return null;
  return /^[1-9]\d{0,5}$/.test(text) ? null : 'a whole number from 1 (stop from that hit on), or empty for every hit';
}
