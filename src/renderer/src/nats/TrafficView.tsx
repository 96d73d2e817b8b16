import { memo, useMemo, type FormEvent } from 'react';
import { segmentNeedsSanitizing, type MessagingDirection } from '../../../shared/nats/subjects';
import { JsonView } from '../chat/JsonView';
import { matchesSearch, useNats, type TrafficEntry, type TrafficFilter } from '../store/nats-store';
import { clockTime, count, formatBytes } from './format';
import { payloadJson } from './message-text';

const SCOPE_LABELS = { env: 'Env', tenant: 'Tenant', team: 'Team', platform: 'Platform' } as const;
const SCOPE_FIELDS = Object.keys(SCOPE_LABELS) as (keyof typeof SCOPE_LABELS)[];

/** The live traffic of `greentic.messaging.>`: filtered, searchable, pausable, newest first. */
export function TrafficView() {
  const live = useNats((state) => state.watchId !== null);
  const subject = useNats((state) => state.watchSubject);
  const messages = useNats((state) => state.messages);
  const search = useNats((state) => state.search);
  const selectedKey = useNats((state) => state.selectedKey);
  const visible = useMemo(() => messages.filter((message) => matchesSearch(message, search)).reverse(), [messages, search]);
  const selected = selectedKey === null ? undefined : messages.find((message) => message.key === selectedKey);

  return (
    <section className="nats-traffic" aria-label="Traffic">
      <header className="panel-header">
        <span>Traffic</span>
        <code className="muted">{live ? subject : 'not watching'}</code>
        <TrafficControls />
      </header>
      <TrafficFilterForm />
      <TrafficNotes shown={visible.length} />
      <div className="nats-traffic-body">
        <ol className="nats-messages" aria-label="NATS messages">
          {visible.map((message) => (
            <TrafficRow key={message.key} message={message} selected={message.key === selectedKey} />
          ))}
          {messages.length === 0 && (
            <li className="nats-empty">{live ? `No messages on ${subject ?? 'the subject'} yet.` : 'Connect with a profile to watch the traffic of greentic.messaging.>.'}</li>
          )}
        </ol>
        {selected && <MessageDetail message={selected} />}
      </div>
    </section>
  );
}

function TrafficControls() {
  const paused = useNats((state) => state.paused);
  const search = useNats((state) => state.search);
  const { pause, resume, clearTraffic, setSearch } = useNats.getState();
  return (
    <div className="nats-traffic-controls">
      <input type="search" aria-label="Search traffic" placeholder="Search subject and payload" value={search} onChange={(event) => setSearch(event.target.value)} />
      <button type="button" aria-pressed={paused} onClick={paused ? resume : pause}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" onClick={clearTraffic}>
        Clear
      </button>
    </div>
  );
}

function TrafficFilterForm() {
  const filter = useNats((state) => state.filter);
  const setFilter = useNats((state) => state.setFilter);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const direction = String(form.get('direction') ?? '');
    const next: TrafficFilter = direction === 'ingress' || direction === 'egress' ? { direction: direction as MessagingDirection } : {};
    for (const field of SCOPE_FIELDS) next[field] = String(form.get(field) ?? '');
    void setFilter(next);
  }

  // Keyed by the applied filter, so the fields show it again after it changes elsewhere.
  return (
    <form key={JSON.stringify(filter)} className="nats-filter" aria-label="Traffic filter" onSubmit={apply}>
      <label>
        Direction
        <select name="direction" aria-label="Direction" defaultValue={filter.direction ?? ''}>
          <option value="">both</option>
          <option value="ingress">ingress</option>
          <option value="egress">egress</option>
        </select>
      </label>
      {SCOPE_FIELDS.map((field) => (
        <label key={field}>
          {SCOPE_LABELS[field]}
          <input name={field} defaultValue={filter[field] ?? ''} placeholder="any" />
          {filter[field] && segmentNeedsSanitizing(filter[field]) && <span className="muted">subject token differs</span>}
        </label>
      ))}
      <button type="submit">Apply filter</button>
    </form>
  );
}

function TrafficNotes({ shown }: { shown: number }) {
  const paused = useNats((state) => state.paused);
  const held = useNats((state) => state.held.length);
  const olderDropped = useNats((state) => state.olderDropped);
  const skipped = useNats((state) => state.skipped);
  const total = useNats((state) => state.messages.length);
  return (
    <div className="nats-traffic-notes" role="status">
      <span>{shown === total ? count(total, 'message') : `${shown} of ${count(total, 'message')} match the search`}</span>
      {paused && <span className="nats-paused">Paused: {count(held, 'new message')} held</span>}
      {olderDropped > 0 && <span>{count(olderDropped, 'older message')} dropped</span>}
      {skipped > 0 && <span className="warning">{count(skipped, 'message')} skipped: they came faster than the view shows them</span>}
    </div>
  );
}

const TrafficRow = memo(function TrafficRow({ message, selected }: { message: TrafficEntry; selected: boolean }) {
  const select = useNats((state) => state.select);
  return (
    <li>
      <button
        type="button"
        className={`nats-message${selected ? ' selected' : ''}`}
        data-testid="traffic-message"
        data-direction={message.direction}
        aria-pressed={selected}
        onClick={() => select(selected ? null : message.key)}
      >
        <time dateTime={message.receivedAt}>{clockTime(message.receivedAt)}</time>
        <span className={`nats-direction ${message.direction}`}>{message.direction}</span>
        <span className="nats-scope">
          {message.env}/{message.tenant}/{message.team}/{message.platform}
        </span>
        <span className="nats-summary">{message.summary}</span>
        <span className="muted">{formatBytes(message.size)}</span>
      </button>
    </li>
  );
});

function MessageDetail({ message }: { message: TrafficEntry }) {
  const select = useNats((state) => state.select);
  const json = useMemo(() => payloadJson(message), [message]);
  return (
    <section className="nats-message-detail" aria-label="Message">
      <header className="panel-header">
        <code>{message.subject}</code>
        <button type="button" className="icon" aria-label="Close the message" onClick={() => select(null)}>
          ✕
        </button>
      </header>
      <p className="muted">
        {message.direction} · received {message.receivedAt} · {formatBytes(message.size)}
        {message.truncated && ' · only the start of the payload is shown'}
      </p>
      {json === null ? (
        <>
          <p className="muted">{message.truncated ? 'The payload is too large to show whole.' : 'The payload is not JSON.'}</p>
          <pre className="json">{message.payload}</pre>
        </>
      ) : (
        <JsonView value={json} />
      )}
    </section>
  );
}
