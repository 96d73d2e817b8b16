import { useState, type FormEvent } from 'react';
import type { FlowEntry } from '../../../shared/api';
import { sanitizeSubjectSegment, segmentNeedsSanitizing } from '../../../shared/nats/subjects';
import { useEditor } from '../store/editor-store';
import { useNats } from '../store/nats-store';
import { useProject } from '../store/project-store';
import { clockTime } from './format';

const SCOPE_LABELS = { env: 'Env', tenant: 'Tenant', team: 'Team' } as const;
type ServeScope = Record<keyof typeof SCOPE_LABELS, string>;
const SCOPE_FIELDS = Object.keys(SCOPE_LABELS) as (keyof ServeScope)[];
const NO_FLOWS: readonly FlowEntry[] = [];

/** "Serve this project on NATS": the embedded runner answers the ingress of one env/tenant/team. */
export function ServePanel() {
  const serving = useNats((state) => state.status.serving);
  const connected = useNats((state) => state.status.state === 'connected');
  const serve = useNats((state) => state.serve);
  const stopServing = useNats((state) => state.stopServing);
  const flows = useProject((state) => state.project?.flows ?? NO_FLOWS);
  const editedFlow = useEditor((state) => state.active);
  const [scope, setScope] = useState<ServeScope>({ env: 'dev', tenant: 'demo', team: 'default' });
  const [pickedFlow, setPickedFlow] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until one is picked, the flow open in the editor (else the first) is the one served.
  const flowPath = [pickedFlow, editedFlow, flows[0]?.path].find((path) => path && flows.some((flow) => flow.path === path)) ?? null;

  async function start(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    await serve({ ...scope, ...(flowPath ? { flowPath } : {}) });
    setPending(false);
  }

  async function stop() {
    setPending(true);
    await stopServing();
    setPending(false);
  }

  return (
    <section className="nats-section" aria-label="Serve this project on NATS">
      <header className="panel-header">
        <span>Serve this project on NATS</span>
      </header>
      {serving ? (
        <div className="nats-serving">
          <p data-testid="nats-serving">
            Serving <code>{serving.subject}</code> in queue group <code>{serving.queueGroup}</code>
            {serving.flowPath && (
              <>
                {' '}
                with <code>{serving.flowPath}</code>
              </>
            )}
          </p>
          <button type="button" onClick={() => void stop()} disabled={pending}>
            Stop serving
          </button>
        </div>
      ) : (
        <form className="nats-serve-form" onSubmit={(event) => void start(event)} aria-label="Serve scope">
          <label className="nats-serve-flow">
            Flow
            <select aria-label="Flow" value={flowPath ?? ''} onChange={(event) => setPickedFlow(event.target.value)} required>
              {flows.map((flow) => (
                <option key={flow.path} value={flow.path}>
                  {flow.title ?? flow.id ?? flow.path} ({flow.path})
                </option>
              ))}
            </select>
          </label>
          {SCOPE_FIELDS.map((field) => (
            <label key={field}>
              {SCOPE_LABELS[field]}
              <input value={scope[field]} onChange={(event) => setScope({ ...scope, [field]: event.target.value })} required maxLength={128} />
              {segmentNeedsSanitizing(scope[field]) && <span className="muted">used as “{sanitizeSubjectSegment(scope[field])}”</span>}
            </label>
          ))}
          <button type="submit" disabled={!connected || pending} title={connected ? undefined : 'Connect with a profile first'}>
            Start serving
          </button>
        </form>
      )}
      <BridgeActivity />
    </section>
  );
}

function BridgeActivity() {
  const stats = useNats((state) => state.bridgeStats);
  const log = useNats((state) => state.bridgeLog);
  if (!stats && log.length === 0) return null;
  return (
    <div className="nats-bridge">
      {stats && (
        <dl className="nats-stats" aria-label="Bridge counters">
          <div>
            <dt>Turns served</dt>
            <dd data-testid="nats-served-turns">{stats.completed}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{stats.failed}</dd>
          </div>
          <div>
            <dt>Rejected</dt>
            <dd>{stats.rejected}</dd>
          </div>
          <div>
            <dt>Replies dropped</dt>
            <dd>{stats.dropped}</dd>
          </div>
        </dl>
      )}
      <ol className="nats-bridge-log" aria-label="Bridge events">
        {[...log].reverse().map((event) => (
          <li key={event.key} className={`level-${event.level}`}>
            <time dateTime={event.at}>{clockTime(event.at)}</time> {event.message}
          </li>
        ))}
      </ol>
    </div>
  );
}
