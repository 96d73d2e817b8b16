import type { NatsConnectionState, NatsProblemKind } from '../../../shared/api';

export const PROBLEM_TITLES: Record<NatsProblemKind, string> = {
  auth: 'Authentication failed',
  refused: 'Server unreachable',
  tls: 'TLS failed',
  timeout: 'No answer',
  protocol: 'Server error',
  other: 'Connection failed',
};

/** "connected · local (127.0.0.1:4222)", or "not connected" before any profile was used. */
export function describeStatus(state: NatsConnectionState, profile: string | null, server?: string): string {
  if (!profile) return 'not connected';
  const where = server && state === 'connected' ? ` (${server})` : '';
  return `${state} · ${profile}${where}`;
}
