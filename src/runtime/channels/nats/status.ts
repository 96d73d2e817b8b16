import type { NatsConnection, Status } from '@nats-io/transport-node';
import type { NatsConnectionState, NatsProblem } from '../../../shared/api';
import { describeNatsError } from './connect';

export interface StatusChange {
  state: NatsConnectionState;
  server?: string;
  error?: NatsProblem;
}

/**
 * Follows a connection's status stream and reports the states the UI shows. Ends with `closed`
 * (carrying the reason, e.g. credentials refused on reconnect) when the connection closes. Returns
 * a function that stops following.
 */
export function followStatus(nc: NatsConnection, servers: string[], onChange: (change: StatusChange) => void): () => void {
  let following = true;
  const statuses = nc.status();
  void (async () => {
    for await (const status of statuses) {
      if (!following) break;
      const change = stateOf(status, servers);
      if (change) onChange(change);
    }
  })().catch(() => undefined);
  void nc.closed().then((error) => {
    if (following) onChange(error ? { state: 'closed', error: describeNatsError(error, servers) } : { state: 'closed' });
  });
  return () => {
    following = false;
    (statuses as { stop?: () => void }).stop?.();
  };
}

function stateOf(status: Status, servers: string[]): StatusChange | null {
  switch (status.type) {
    case 'disconnect':
      return { state: 'disconnected', server: status.server };
    case 'reconnecting':
      return { state: 'reconnecting' };
    case 'reconnect':
      return { state: 'connected', server: status.server };
    case 'error': {
      // Credentials refused while reconnecting matter to the user; permission errors belong to the
      // operation that caused them.
      const problem = describeNatsError(status.error, servers);
      return problem.kind === 'auth' ? { state: 'reconnecting', error: problem } : null;
    }
    default:
      return null;
  }
}
