import { useEffect } from 'react';
import { useNats } from '../store/nats-store';
import { useUi } from '../store/ui-store';
import { describeStatus } from './status-text';
import './nats.css';

/** The NATS connection in the status bar; a click opens the NATS workspace. */
export function NatsStatusItem() {
  const state = useNats((s) => s.status.state);
  const profile = useNats((s) => s.status.profile);
  const problem = useNats((s) => s.status.error?.message);
  const load = useNats((s) => s.load);
  const setWorkspace = useUi((s) => s.setWorkspace);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <button
      type="button"
      className={`status-nats state-${state}`}
      data-testid="nats-status"
      title={problem ?? 'Open the NATS workspace'}
      onClick={() => setWorkspace('nats')}
    >
      <span className="status-dot" aria-hidden="true" />
      NATS: {describeStatus(state, profile)}
    </button>
  );
}
