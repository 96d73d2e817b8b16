import { useEffect, useMemo, useState } from 'react';
import type { TraceEvent } from '../../../shared/api';
import { timelineFromOtlp, type TimelineRow, type TurnTimeline } from '../../../shared/telemetry/timeline';
import { studio } from '../api/studio';
import { useHostInfo } from '../shell/host';
import { useChat } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { TelemetrySettingsForm } from './TelemetrySettingsForm';

/** Turns of the conversation that ended, oldest first: the ones a timeline can show. */
function endedTurns(events: TraceEvent[]): string[] {
  const ended: string[] = [];
  for (const event of events) if (event.type === 'turn_end' && !ended.includes(event.turnId)) ended.push(event.turnId);
  return ended;
}

/** The run inspector's timeline: the selected turn as a waterfall, saved to and opened from OTLP JSON files. */
export function TurnWaterfall() {
  const trace = useChat((state) => state.trace);
  const conversation = useChat((state) => state.conversation);
  const turns = useMemo(() => endedTurns(trace), [trace]);
  const [picked, setPicked] = useState<string | null>(null);
  const turnId = picked !== null && turns.includes(picked) ? picked : (turns.at(-1) ?? null);
  const [opened, setOpened] = useState<{ timeline: TurnTimeline; file: string } | null>(null);
  const [live, setLive] = useState<TurnTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [filePath, setFilePath] = useState('traces/turn.otlp.json');
  const host = useHostInfo();

  useEffect(() => {
    if (!conversation || !turnId) {
      setLive(null);
      return;
    }
    let current = true;
    studio
      .exportTurnTrace({ conversationId: conversation.conversationId, turnId })
      .then((document) => current && setLive(timelineFromOtlp(document)))
      .catch((caught: unknown) => current && setError(messageOf(caught)));
    return () => {
      current = false;
    };
  }, [conversation, turnId]);

  const shown = opened?.timeline ?? live;

  async function pick(kind: 'save' | 'file'): Promise<string | null> {
    if (!host?.nativeDialogs) return filePath;
    const title = kind === 'save' ? 'Save the turn as OTLP JSON' : 'Open an OTLP JSON trace';
    const result = await studio.pickPath({ kind, title, filters: [{ name: 'OTLP JSON', extensions: ['json'] }] });
    return result.path;
  }

  async function save() {
    setError(null);
    setNotice(null);
    if (!conversation || !turnId) return;
    try {
      const target = await pick('save');
      if (!target) return;
      const { path } = await studio.saveTurnTrace({ conversationId: conversation.conversationId, turnId, path: target });
      setNotice(`Saved to ${path}`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function open() {
    setError(null);
    setNotice(null);
    try {
      const target = await pick('file');
      if (!target) return;
      const document = await studio.openTraceFile({ path: target });
      setOpened({ timeline: timelineFromOtlp(document), file: target });
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <div className="waterfall-view" data-testid="waterfall-view">
      <div className="waterfall-toolbar">
        {opened ? (
          <>
            <span className="muted">File {opened.file}</span>
            <button type="button" onClick={() => setOpened(null)}>
              Back to the conversation
            </button>
          </>
        ) : (
          <label>
            Turn{' '}
            <select aria-label="Turn" value={turnId ?? ''} onChange={(event) => setPicked(event.target.value)} disabled={turns.length === 0}>
              {turns.map((id, index) => (
                <option key={id} value={id}>
                  {index + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        {!host?.nativeDialogs && <input aria-label="Trace file" value={filePath} onChange={(event) => setFilePath(event.target.value)} size={28} />}
        <button type="button" onClick={() => void save()} disabled={!turnId || opened !== null}>
          Save as OTLP JSON
        </button>
        <button type="button" onClick={() => void open()}>
          Open OTLP JSON
        </button>
      </div>
      {notice && (
        <p className="muted" role="status" data-testid="waterfall-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="trace-error" role="alert" data-testid="waterfall-error">
          {error}
        </p>
      )}
      {shown ? <Waterfall timeline={shown} flowId={opened ? null : (conversation?.flowId ?? null)} /> : <p className="muted empty-note">Send a message: each turn shows here as a timeline.</p>}
      <TelemetrySettingsForm />
    </div>
  );
}

/** Rows of spans with bars placed by start and length; selecting a node row selects the node on the canvas, and back. */
function Waterfall({ timeline, flowId }: { timeline: TurnTimeline; flowId: string | null }) {
  const selection = useEditor((state) => state.selection);
  const select = useEditor((state) => state.select);
  const total = Math.max(timeline.durationMs, 0.001);
  const linked = (row: TimelineRow) => flowId !== null && row.nodeId !== undefined && row.flowId === flowId && row.kind === 'node';
  return (
    <div className="waterfall" role="table" aria-label={`Timeline of the turn, ${timeline.durationMs.toFixed(1)} ms`} data-testid="waterfall">
      {timeline.rows.map((row) => {
        const selected = linked(row) && selection.includes(row.nodeId as string);
        const left = (row.startMs / total) * 100;
        const width = Math.max((row.durationMs / total) * 100, 0.4);
        return (
          <div
            key={row.spanId}
            role="row"
            aria-selected={selected}
            className={`waterfall-row kind-${row.kind}${row.error ? ' failed' : ''}${selected ? ' selected' : ''}`}
            data-testid="waterfall-row"
            data-kind={row.kind}
            data-depth={row.depth}
            {...(row.nodeId ? { 'data-node-id': row.nodeId } : {})}
            onClick={() => linked(row) && select([row.nodeId as string])}
          >
            <span role="cell" className="waterfall-label" style={{ paddingLeft: `${row.depth * 14}px` }} title={row.error ?? row.label}>
              {row.error && (
                <span className="waterfall-error" aria-label="failed">
                  ⚠{' '}
                </span>
              )}
              {row.label}
            </span>
            <span role="cell" className="waterfall-track">
              <span className="waterfall-bar" style={{ left: `${Math.min(left, 99.6)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.6))}%` }} />
              {row.events.map((event, index) => (
                <span key={index} className="waterfall-event" style={{ left: `${Math.min((event.atMs / total) * 100, 100)}%` }} title={event.name} />
              ))}
            </span>
            <span role="cell" className="waterfall-time muted" data-testid="waterfall-time">
              {row.startMs.toFixed(1)} +{row.durationMs.toFixed(1)} ms
            </span>
          </div>
        );
      })}
    </div>
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
