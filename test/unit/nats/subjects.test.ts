import { describe, expect, it } from 'vitest';
import { messagingPattern, messagingSubject, parseMessagingSubject, sanitizeSubjectSegment, segmentNeedsSanitizing } from '../../../src/shared/nats/subjects';

describe('Greentic messaging subjects', () => {
  it('builds the upstream examples', () => {
    expect(messagingSubject('ingress', { env: 'dev', tenant: 'acme', team: 'team', platform: 'slack' })).toBe('greentic.messaging.ingress.dev.acme.team.slack');
    expect(messagingSubject('egress', { env: ' dev ', tenant: 'acme', team: 'team a', platform: 'web chat' })).toBe('greentic.messaging.egress.dev.acme.team-a.web-chat');
  });

  it('replaces wildcards, slashes, whitespace and dots, and names an empty segment unknown', () => {
    expect(sanitizeSubjectSegment('a*b>c/d\te\nf\rg')).toBe('a-b-c-d-e-f-g');
    expect(sanitizeSubjectSegment('acme.eu')).toBe('acme-eu');
    expect(sanitizeSubjectSegment('   ')).toBe('unknown');
    expect(segmentNeedsSanitizing('acme.eu')).toBe(true);
    expect(segmentNeedsSanitizing('acme')).toBe(false);
  });

  it('makes patterns whose missing parts are wildcards', () => {
    expect(messagingPattern(undefined, {})).toBe('greentic.messaging.*.*.*.*.*');
    expect(messagingPattern('egress', { tenant: 'acme', platform: 'teams' })).toBe('greentic.messaging.egress.*.acme.*.teams');
    expect(messagingPattern('ingress', { tenant: '>' })).toBe('greentic.messaging.ingress.*.-.*.*');
  });

  it('parses concrete messaging subjects and nothing else', () => {
    expect(parseMessagingSubject('greentic.messaging.egress.dev.acme.default.webchat')).toEqual({
      direction: 'egress',
      env: 'dev',
      tenant: 'acme',
      team: 'default',
      platform: 'webchat',
    });
    expect(parseMessagingSubject('greentic.messaging.sideways.dev.acme.default.webchat')).toBeNull();
    expect(parseMessagingSubject('greentic.messaging.ingress.dev.acme.default')).toBeNull();
    expect(parseMessagingSubject('greentic.msg.in.acme.slack.chat')).toBeNull();
  });
});
