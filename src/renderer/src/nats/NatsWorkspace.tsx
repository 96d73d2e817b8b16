import { useEffect } from 'react';
import { useNats } from '../store/nats-store';
import { ConnectionPanel } from './ConnectionPanel';
import { ServePanel } from './ServePanel';
import { TrafficView } from './TrafficView';
import './nats.css';

/** The NATS workspace: connection profiles and serving on the left, the live traffic on the right. */
export function NatsWorkspace() {
  const load = useNats((state) => state.load);
  const actionError = useNats((state) => state.actionError);
  const dismissError = useNats((state) => state.dismissError);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="nats-workspace">
      <aside className="nats-side">
        {actionError && (
          <div className="banner error nats-action-error" role="alert">
            <span>{actionError}</span>
            <button type="button" className="icon" aria-label="Dismiss the error" onClick={dismissError}>
              ✕
            </button>
          </div>
        )}
        <ConnectionPanel />
        <ServePanel />
      </aside>
      <TrafficView />
    </div>
  );
}
