/**
 * The flow input of one inbound message (runtime.md §1.1): a `ChannelMessageEnvelope` under `input`,
 * built the way the webchat provider builds it (channels.md §2.5), whichever channel the message
 * came from.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../shared/flow/compiled';
import type { TraceHeaders } from '../telemetry/propagation';

export interface InboundMessage {
  text?: string;
  /** Adaptive card `Action.Submit` data (the activity's `value`). */
  submit?: Record<string, unknown>;
  locale?: string;
  /** Extra envelope metadata (flow hint, conversation markers); values must be strings. */
  metadata?: Record<string, string>;
  extensions?: Record<string, JsonValue>;
  id?: string;
  /** The W3C trace context the message arrived with (a NATS header, a Direct Line request header). */
  traceHeaders?: TraceHeaders;
}

export interface EnvelopeScope {
  env: string;
  tenant: string;
  team?: string;
  channel: string;
  conversation: string;
  user: string;
  userVerified: boolean;
}

/** Text of a submit without typed text: the first navigation key present, else `message`. */
const SUBMIT_TEXT_KEYS = ['step', 'routeToCardId', 'toCardId', 'mcp_wizard', 'mcp_operation'];

export function flowInput(scope: EnvelopeScope, message: InboundMessage): JsonValue {
  const id = message.id ?? randomUUID();
  const metadata: Record<string, string> = {
    ...message.metadata,
    tenant_id: scope.tenant,
    conversation_id: scope.conversation,
    user_id: scope.user,
    user_verified: scope.userVerified ? 'true' : 'false',
  };
  if (message.locale) metadata.locale = message.locale;
  let text = message.text ?? '';
  if (message.submit !== undefined && message.submit !== null) {
    for (const [key, value] of Object.entries(message.submit)) {
      if (key.startsWith('user_') || key.startsWith('greentic_')) continue;
      metadata[key] = typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
    }
    metadata.greentic_submit = 'true';
    if (text.length === 0) text = submitText(message.submit);
  }
  const tenantCtx: Record<string, JsonValue> = {
    env: scope.env,
    tenant: scope.tenant,
    tenant_id: scope.tenant,
    ...(scope.team ? { team: scope.team, team_id: scope.team } : {}),
    user: scope.user,
    user_id: scope.user,
    session_id: scope.conversation,
    attributes: {},
    attempt: 0,
  };
  return {
    input: {
      id,
      tenant: tenantCtx,
      channel: scope.channel,
      session_id: scope.conversation,
      reply_scope: { conversation: scope.conversation },
      from: { id: scope.user, kind: 'user' },
      text,
      attachments: [],
      metadata,
      extensions: message.extensions ?? {},
    },
    tenant: scope.tenant,
    team: scope.team ?? null,
    correlation_id: id,
  };
}

function submitText(value: Record<string, unknown>): string {
  for (const key of SUBMIT_TEXT_KEYS) {
    const candidate = value[key];
    if (typeof candidate === 'string' && candidate.length > 0) return candidate;
  }
  return 'message';
}
