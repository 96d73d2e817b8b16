/**
 * Greentic messaging subjects on NATS (spec/channels.md §4.1):
 * `greentic.messaging.{ingress|egress}.{env}.{tenant}.{team}.{platform}`.
 *
 * Shared by the back end (which builds and parses subjects) and the UI (which warns the designer when
 * sanitising changed a value they typed).
 */

export const MESSAGING_SUBJECT_ROOT = 'greentic.messaging';

export type MessagingDirection = 'ingress' | 'egress';

export interface MessagingScope {
  env: string;
  tenant: string;
  team: string;
  platform: string;
}

/** The platforms upstream knows by name; others are allowed but get no special treatment. */
export const KNOWN_PLATFORMS = ['teams', 'slack', 'telegram', 'whatsapp', 'webchat', 'webex'] as const;

// Upstream replaces whitespace, the two wildcards and `/`. We also replace `.`, because a dotted
// value would silently add subject tokens and no longer match a `{env}.{tenant}.{team}.*` pattern.
const UNSAFE_SUBJECT_CHARS = /[ \t\n\r*>/.]/g;

/** One subject token from a user value: trimmed, unsafe characters replaced by `-`, never empty. */
export function sanitizeSubjectSegment(value: string): string {
  const cleaned = value.trim().replace(UNSAFE_SUBJECT_CHARS, '-');
  return cleaned === '' ? 'unknown' : cleaned;
}

/** True when sanitising changes the value, so the UI can say what will actually be used. */
export function segmentNeedsSanitizing(value: string): boolean {
  return sanitizeSubjectSegment(value) !== value;
}

export function messagingSubject(direction: MessagingDirection, scope: MessagingScope): string {
  const { env, tenant, team, platform } = scope;
  return [MESSAGING_SUBJECT_ROOT, direction, env, tenant, team, platform].map((part, index) =>
    index < 2 ? part : sanitizeSubjectSegment(part),
  ).join('.');
}

/** A subscription pattern: every given field narrows it, every missing one is a `*` wildcard. */
export function messagingPattern(direction: MessagingDirection | undefined, scope: Partial<MessagingScope>): string {
  const token = (value: string | undefined) => (value === undefined ? '*' : sanitizeSubjectSegment(value));
  return [
    MESSAGING_SUBJECT_ROOT,
    direction ?? '*',
    token(scope.env),
    token(scope.tenant),
    token(scope.team),
    token(scope.platform),
  ].join('.');
}

export interface ParsedMessagingSubject extends MessagingScope {
  direction: MessagingDirection;
}

/** The parts of a concrete messaging subject, or null for any other subject. */
export function parseMessagingSubject(subject: string): ParsedMessagingSubject | null {
  const tokens = subject.split('.');
  if (tokens.length !== 7 || `${tokens[0]}.${tokens[1]}` !== MESSAGING_SUBJECT_ROOT) return null;
  const [, , direction, env, tenant, team, platform] = tokens as [string, string, string, string, string, string, string];
  if (direction !== 'ingress' && direction !== 'egress') return null;
  return { direction, env, tenant, team, platform };
}
