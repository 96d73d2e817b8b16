import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { RunnerSettings, SessionInspection, SessionStoreInfo } from '../../../shared/api';
import { studio } from '../api/studio';
import { useChat } from '../store/chat-store';
import { InlineFormActions } from '../shell/InlineFormActions';
import { messageOf } from '../store/errors';

/**
 * Where the embedded runner keeps its sessions (memory, or a Redis server shared with other
 * runners), changed here and remembered across restarts, and every session that store holds.
 */
export function RunnerSessions() {
  const [settings, setSettings] = useState<RunnerSettings | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const reload = useCallback(() => {
    studio.getRunnerSettings({}).then(
      (next) => {
        setSettings(next);
        setLoadProblem(null);
      },
      (error: unknown) => setLoadProblem(messageOf(error)),
    );
  }, []);
  useEffect(reload, [reload]);

  const sessions = settings?.sessions;
  return (
    <div className="runner-sessions">
      <h4>Session store</h4>
      {loadProblem && (
        <p className="field-problem" role="alert">
          {loadProblem}
        </p>
      )}
      {sessions && (
        <>
          <p data-testid="session-store">{describeStore(sessions.store)}</p>
          {sessions.problem && (
            <p className="field-problem" role="alert" data-testid="session-store-problem">
              {sessions.problem}
            </p>
          )}
          {sessions.fixed ? (
            <p className="muted">Set when the studio was started (--sessions or GREENTIC_RUNNER_SESSION_BACKEND).</p>
          ) : editing ? (
            <StoreForm
              current={sessions.store}
              onDone={(next) => {
                setEditing(false);
                if (next) setSettings(next);
              }}
            />
          ) : (
            <button type="button" onClick={() => setEditing(true)}>
              Change session store…
            </button>
          )}
        </>
      )}
      <StoredSessions />
    </div>
  );
}

function StoreForm({ current, onDone }: { current: SessionStoreInfo; onDone(next: RunnerSettings | null): void }) {
  // A stored password is never shown back: a Redis URL starts from its shown form, without it.
  const [value, setValue] = useState(current.backend === 'memory' ? 'memory' : current.url);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function apply(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const next = await studio.setSessionStore({ store: value.trim() || 'memory' });
      // The conversation starts over in the store now in use.
      await useChat.getState().restart();
      onDone(next);
    } catch (error) {
      setProblem(messageOf(error));
      setBusy(false);
    }
  }

  return (
    <form
      className="runner-store-form"
      aria-label="Session store"
      onSubmit={(event) => void apply(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onDone(null);
      }}
    >
      <label className="field">
        <span className="field-label">memory, or redis://[user:password@]host:port[/db] (rediss:// for TLS)</span>
        <input aria-label="Session store URL" autoFocus value={value} spellCheck={false} onChange={(event) => setValue(event.target.value)} placeholder="redis://127.0.0.1:6379" />
      </label>
      <InlineFormActions onCancel={() => onDone(null)} problem={problem}>
        <button type="submit" disabled={busy}>
          {busy ? 'Connecting…' : 'Use this store'}
        </button>
      </InlineFormActions>
    </form>
  );
}

/** Every session of the store, the conversations of other runners sharing it included. */
function StoredSessions() {
  const turns = useChat((state) => state.transcript.length);
  const [sessions, setSessions] = useState<SessionInspection[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reload = useCallback(() => {
    studio.listSessions({}).then(
      (list) => {
        setSessions(list);
        setProblem(null);
      },
      (error: unknown) => {
        setSessions(null);
        setProblem(messageOf(error));
      },
    );
  }, []);
  useEffect(reload, [reload, turns]);

  return (
    <>
      <h4>
        Sessions in the store{sessions ? ` (${sessions.length})` : ''}{' '}
        <button type="button" className="link" onClick={reload} aria-label="Refresh the sessions in the store">
          Refresh
        </button>
      </h4>
      {problem && <p className="field-problem">{problem}</p>}
      {sessions && sessions.length === 0 && <p className="muted">No sessions.</p>}
      {sessions && sessions.length > 0 && (
        <ul className="stored-sessions" aria-label="Sessions in the store">
          {sessions.map((session) => (
            <li key={`${session.env}/${session.sessionKey}`} data-testid="stored-session">
              <code>{session.sessionKey}</code>{' '}
              <span className="muted">
                {session.flowId} · {session.parked ? `waits at ${session.parked.nodeId}` : 'not waiting'} · revision {session.revision}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function describeStore(store: SessionStoreInfo): string {
  return store.backend === 'memory'
    ? 'Sessions are kept in memory: only this studio sees them, and a restart forgets them.'
    : `Sessions are kept in Redis at ${store.url} (namespace ${store.namespace}), shared with every runner using it.`;
}
