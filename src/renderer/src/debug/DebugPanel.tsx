import { lazy, Suspense, useEffect, useState } from 'react';
import type { DebugFrame, PausedTurn } from '../../../shared/api';
import { JsonView } from '../chat/JsonView';
import { runCommand } from '../commands/registry';
import { useChat } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { BreakpointList } from './BreakpointList';
import { DebugToolbar } from './DebugToolbar';
import { PauseTimeoutField } from './PauseTimeoutField';
import { useDebug } from './debug-store';
import './debug.css';

// Monaco loads with the first pause, not with the chat panel.
const JsonEditor = lazy(() => import('./JsonEditor'));

const REASONS: Record<PausedTurn['reason'], string> = {
  breakpoint: 'at a breakpoint',
  step: 'after a step',
  run_to_here: 'run to here',
  error: 'the node failed',
};

/** The debugger: its controls, the paused turn (node, resolved input, flow state, session, call stack) and the flow's breakpoints. */
export function DebugPanel() {
  const paused = useDebug((state) => state.paused);
  const error = useDebug((state) => state.error);
  const conversation = useChat((state) => state.conversation);
  return (
    <div className="debug-panel" data-testid="debug-panel">
      <DebugToolbar />
      {error && (
        <div className="debug-error" role="alert" data-testid="debug-error">
          {error}
        </div>
      )}
      {paused ? (
        <PausedView paused={paused} />
      ) : (
        <p className="muted empty-note" data-testid="debug-idle">
          {conversation ? 'Not paused. Set a breakpoint (F9 on a node) and send a message: the turn stops before that node runs.' : 'No studio conversation to debug.'}
        </p>
      )}
      <BreakpointList />
      <PauseTimeoutField />
    </div>
  );
}

function PausedView({ paused }: { paused: PausedTurn }) {
  const setDraft = useDebug((state) => state.setDraft);
  const pending = useDebug((state) => state.pending);
  const applyEdits = useDebug((state) => state.applyEdits);
  const sending = useDebug((state) => state.sending);
  const hasPending = pending.input !== undefined || pending.state !== undefined;
  const edited = [paused.edited.input ? 'input' : '', paused.edited.state ? 'flow state' : ''].filter(Boolean);
  return (
    <div className="paused" data-testid="paused-turn" data-node-id={paused.nodeId} data-pause-id={paused.pauseId}>
      <h3 className="paused-title">
        Paused before <code data-testid="paused-node">{paused.nodeId}</code> <span className="muted">({paused.flowId} · {paused.component})</span>
      </h3>
      <p className="muted paused-meta">
        {REASONS[paused.reason]} · step {paused.step} · <Countdown until={paused.timeoutAt} />
        {edited.length > 0 && <span className="badge edited"> edited: {edited.join(', ')}</span>}
      </p>
      {paused.error && (
        <div className="trace-error" data-testid="paused-error">
          {paused.error.code}: {paused.error.message}
        </div>
      )}
      {paused.callStack.length > 1 && <CallStack frames={paused.callStack} />}
      <Suspense fallback={<p className="muted">Loading the JSON editors…</p>}>
        <h4 id="debug-input-heading">Resolved input</h4>
        <p className="muted hint">The node gets this, templates already rendered. Edit it, then continue or step: the node runs with your value.</p>
        <JsonEditor key={`${paused.pauseId}:input`} label="Node input (JSON)" value={paused.input} lines={8} onDraft={(draft) => setDraft('input', draft)} />
        <h4>Flow state</h4>
        <p className="muted hint">entry, input, outputs of the nodes that ran before (nodes) and variables (vars).</p>
        <JsonEditor key={`${paused.pauseId}:state`} label="Flow state (JSON)" value={paused.state} lines={12} onDraft={(draft) => setDraft('state', draft)} />
      </Suspense>
      <div className="debug-edit-actions">
        <button type="button" disabled={!hasPending || sending} onClick={() => void applyEdits()} title="Send the edits now (they are also sent with the next step or continue)">
          Apply edits
        </button>
        {hasPending && <span className="muted">Edits not sent yet: they go with the next step.</span>}
      </div>
      <h4>Session</h4>
      <p className="muted hint">As it was before this turn: Stop, or a time-out, leaves it so.</p>
      <div data-testid="paused-session">
        <JsonView value={paused.session ?? null} />
      </div>
    </div>
  );
}

function CallStack({ frames }: { frames: DebugFrame[] }) {
  const open = useEditor((state) => state.open);
  const reveal = async (frame: DebugFrame) => {
    if (frame.flowPath) await open(frame.flowPath);
    window.requestAnimationFrame(() => runCommand('revealNode', frame.nodeId));
  };
  return (
    <>
      <h4>Call stack</h4>
      <ol className="call-stack" data-testid="call-stack" reversed>
        {[...frames].reverse().map((frame, index) => (
          <li key={`${frame.flowId}:${frame.nodeId}:${index}`}>
            <button type="button" className="link" onClick={() => void reveal(frame)} title={frame.flowPath ? `Show ${frame.nodeId} in ${frame.flowPath}` : 'This flow is not a file of the project'}>
              <code>{frame.flowId}</code> / <code>{frame.nodeId}</code>
              {index === 0 ? <span className="muted"> (paused here)</span> : <span className="muted"> (calls the flow above)</span>}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

/** How long until the paused turn ends by itself; once a second, not announced (the timeout is). */
function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((until - now) / 1000));
  const shown = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
  return <span title={new Date(until).toLocaleTimeString()}>times out in {shown}</span>;
}
