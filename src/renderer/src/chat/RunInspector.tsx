import { useEffect, useMemo, useRef, useState } from 'react';
import type { TraceEvent } from '../../../shared/api';
import { DebugPanel } from '../debug/DebugPanel';
import { useDebug } from '../debug/debug-store';
import { ReplayButton } from '../debug/ReplayDialog';
import { useChat } from '../store/chat-store';
import { JsonView } from './JsonView';
import { RunnerSessions } from './RunnerSessions';
import { OpenTraceButton, TraceFileView } from './TraceFileView';
import { useTraceFile } from './trace-file-store';
import { TurnWaterfall } from './TurnWaterfall';

type Tab = 'trace' | 'timeline' | 'session' | 'debug';

const TAB_LABELS: Record<Tab, string> = { trace: 'Trace', timeline: 'Timeline', session: 'Session', debug: 'Debug' };

/** Below the chat: the trace of each turn, node by node, and the session as the runner keeps it. */
export function RunInspector({ enlarged, onEnlarge }: { enlarged: boolean; onEnlarge(): void }) {
  const [tab, setTab] = useState<Tab>('trace');
  // A pause brings the debugger forward.
  const pauseId = useDebug((state) => state.paused?.pauseId ?? null);
  useEffect(() => {
    if (pauseId) setTab('debug');
  }, [pauseId]);
  const traceFile = useTraceFile((state) => state.file !== null || state.error !== null);
  return (
    <section className="run-inspector" aria-label="Run inspector">
      <div className="tabs">
        <div role="tablist" className="tab-list">
          {(['trace', 'timeline', 'session', 'debug'] as const).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'active' : ''} onClick={() => setTab(name)}>
              {TAB_LABELS[name]}
              {name === 'debug' && pauseId && <span className="badge paused-badge">paused</span>}
            </button>
          ))}
        </div>
        <OpenTraceButton />
        <button type="button" className="enlarge" aria-pressed={enlarged} onClick={onEnlarge} title={enlarged ? 'Give the webchat its room back' : 'Give the run inspector most of the column'}>
          {enlarged ? 'Shrink' : 'Enlarge'}
        </button>
      </div>
      <div className="tab-body">{tab === 'trace' ? traceFile ? <TraceFileView /> : <TraceTimeline /> : tab === 'timeline' ? <TurnWaterfall /> : tab === 'session' ? <SessionView /> : <DebugPanel />}</div>
    </section>
  );
}

interface NodeStep {
  key: string;
  /** The node execution's number in its turn: what a replay starts from. */
  step: number;
  nodeId: string;
  component: string;
  input?: unknown;
  output?: unknown;
  durationMs?: number;
  pinned?: boolean;
  route?: string;
  error?: string;
  wait?: string;
  /** What the designer changed in the debugger before the node ran. */
  edited?: string;
  /** What the component printed or logged while it ran. */
  logs: Array<{ source: string; text: string }>;
}

interface TurnView {
  turnId: string;
  status: string;
  durationMs?: number;
  steps: NodeStep[];
  error?: string;
}

/** Groups the flat event stream into turns, and each turn into node steps. */
function turnsOf(events: TraceEvent[]): TurnView[] {
  const turns = new Map<string, TurnView>();
  let editBefore: { nodeId: string; text: string } | null = null;
  for (const event of events) {
    const turn = turns.get(event.turnId) ?? { turnId: event.turnId, status: 'running', steps: [] };
    turns.set(event.turnId, turn);
    const last = turn.steps.at(-1);
    switch (event.type) {
      case 'node_start':
        turn.steps.push({
          key: `${event.turnId}:${turn.steps.length}`,
          step: event.step,
          nodeId: event.nodeId,
          component: event.component,
          input: event.input,
          logs: [],
          ...(editBefore?.nodeId === event.nodeId ? { edited: editBefore.text } : {}),
        });
        editBefore = null;
        break;
      case 'debug_edit':
        // The edit is made while the node waits to start: it belongs to the node_start that follows.
        editBefore = { nodeId: event.nodeId, text: `edited in the debugger: ${event.edited.join(' and ')}` };
        break;
      case 'debug_stop':
        turn.error = event.message;
        break;
      case 'node_log':
        if (last) last.logs.push({ source: event.source, text: event.text });
        break;
      case 'node_end':
        if (last) Object.assign(last, { output: event.output, durationMs: event.durationMs, pinned: event.pinned });
        break;
      case 'route':
        if (last) last.route = event.decision === 'next' || event.decision === 'jump' ? `→ ${event.toFlow ? `${event.toFlow}/` : ''}${event.to ?? ''}` : event.decision;
        break;
      case 'wait':
        if (last) last.wait = `parked (${event.reason || 'waiting'}), resumes at ${event.nextNode}`;
        break;
      case 'node_error':
        if (last) last.error = `${event.code}: ${event.message}`;
        else turn.error = `${event.code}: ${event.message}`;
        break;
      case 'turn_end':
        turn.status = event.status;
        turn.durationMs = event.durationMs;
        if (event.error) turn.error = `${event.error.code}: ${event.error.message}`;
        break;
      default:
        break;
    }
  }
  return [...turns.values()];
}

function TraceTimeline() {
  const trace = useChat((state) => state.trace);
  const conversationId = useChat((state) => state.conversation?.conversationId ?? null);
  const turns = useMemo(() => turnsOf(trace), [trace]);
  const latest = useRef<HTMLLIElement>(null);
  // Follows the latest turn: its header comes to the top of the panel as it starts and as it grows.
  const latestSteps = turns.at(-1)?.steps.length ?? 0;
  useEffect(() => {
    latest.current?.scrollIntoView({ block: 'start' });
  }, [turns.length, latestSteps]);
  if (turns.length === 0) return <p className="muted empty-note">Send a message to see each node the flow runs.</p>;
  return (
    <ol className="trace" data-testid="trace">
      {turns.map((turn, index) => (
        <li key={turn.turnId} className={`turn turn-${turn.status}`} data-testid="trace-turn" ref={index === turns.length - 1 ? latest : undefined}>
          <div className="turn-header">
            Turn {index + 1} · {turn.status}
            {turn.durationMs !== undefined && <span className="muted"> · {turn.durationMs.toFixed(1)} ms</span>}
          </div>
          {turn.error && <div className="trace-error">{turn.error}</div>}
          <ol className="steps">
            {turn.steps.map((step) => (
              <li key={step.key} className={`trace-step${step.error ? ' failed' : ''}`} data-testid="trace-step" data-node-id={step.nodeId}>
                <details>
                  <summary>
                    <span className="step-id">{step.nodeId}</span> <span className="muted">{step.component}</span>
                    {step.pinned && <span className="badge">pinned</span>}
                    {step.edited && <span className="badge edited">edited</span>}
                    {step.durationMs !== undefined && <span className="muted"> {step.durationMs.toFixed(1)} ms</span>}
                    {step.route && <span className="route-taken"> {step.route}</span>}
                    {step.logs.length > 0 && <span className="badge">{step.logs.length === 1 ? '1 log' : `${step.logs.length} logs`}</span>}
                  </summary>
                  {step.error && <div className="trace-error">{step.error}</div>}
                  {step.logs.length > 0 && (
                    <ol className="trace-logs" aria-label={`Logs of ${step.nodeId}`}>
                      {step.logs.map((log, index) => (
                        <li key={index} data-testid="trace-log" className={`trace-log log-${log.source}`}>
                          <span className="log-source">{log.source}</span> {log.text}
                        </li>
                      ))}
                    </ol>
                  )}
                  {step.wait && <div className="muted">{step.wait}</div>}
                  {step.edited && <div className="muted">{step.edited}</div>}
                  {conversationId && turn.status !== 'running' && (
                    <ReplayButton target={{ conversationId, turnId: turn.turnId, step: step.step, nodeId: step.nodeId, turnLabel: `Turn ${index + 1}` }} />
                  )}
                  <div className="io">
                    <div>
                      <h4>Input</h4>
                      <JsonView value={step.input} />
                    </div>
                    <div>
                      <h4>Output</h4>
                      <JsonView value={step.output} />
                    </div>
                  </div>
                </details>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}

function SessionView() {
  return (
    <div className="session-tab">
      <ConversationSession />
      <RunnerSessions />
    </div>
  );
}

function ConversationSession() {
  const { session, conversation, refreshSession } = useChat();
  if (!conversation) return <p className="muted empty-note">No conversation.</p>;
  return (
    <div className="session-view" data-testid="session-view">
      <div className="session-summary">
        <div>
          <span className="muted">key</span> <code>{conversation.sessionKey}</code>
        </div>
        <div data-testid="session-waits">
          {session?.parked ? (
            <>
              The flow waits at <strong data-testid="parked-node">{`${session.parked.flowId}/${session.parked.nodeId}`}</strong>{' '}
              {session.parked.awaitingSubmit ? 'for a card button to be clicked' : 'for the next message'}.
            </>
          ) : (
            'The flow is not waiting: the next message starts it from its start node.'
          )}
        </div>
        <button type="button" onClick={() => void refreshSession()}>
          Refresh
        </button>
      </div>
      {session?.state && (
        <>
          <h4>Variables</h4>
          <JsonView value={session.state.vars} />
          <h4>Node outputs</h4>
          <JsonView value={session.state.nodes} />
          <h4>Entry</h4>
          <JsonView value={session.state.entry} />
        </>
      )}
    </div>
  );
}
