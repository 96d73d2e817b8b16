import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sanitizeSubjectSegment, type ParsedMessagingSubject } from '../../../shared/nats/subjects';
import type { ChannelTurn } from './runner';

/** Ingress parsing (spec/channels.md §4.2): bytes from NATS to a runner turn, or a clear rejection. */

export const DEFAULT_MAX_INGRESS_BYTES = 256 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const id = z.string().min(1).max(512);
const optionalText = z.string().max(64 * 1024).nullish();

/** `TenantCtx` (runtime.md §10.1): env, tenant, tenant_id and attempt are required; other fields pass through. */
const tenantCtxSchema = z
  .looseObject({
    env: id,
    tenant: id,
    tenant_id: id,
    team: id.nullish(),
    team_id: id.nullish(),
    user: id.nullish(),
    user_id: id.nullish(),
    attempt: z.number().int().min(0),
  });

export type TenantCtx = z.infer<typeof tenantCtxSchema>;

const ingressPayloadSchema = z
  .looseObject({
    chat_id: id.nullish(),
    user_id: id.nullish(),
    thread_id: id.nullish(),
    msg_id: id.nullish(),
    text: optionalText,
    timestamp: z.string().max(64).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    headers: z.record(z.string(), z.unknown()).nullish(),
  });

/** `ChannelMessage`, the gateway's ingress payload. */
const channelMessageSchema = z.object({
  tenant: tenantCtxSchema,
  channel_id: id,
  session_id: id,
  route: z.string().max(1024).nullish(),
  payload: ingressPayloadSchema,
});

export type ChannelMessage = z.infer<typeof channelMessageSchema>;

export type IngressRejectionReason = 'too_large' | 'not_json' | 'invalid' | 'wrong_scope';

export class IngressRejection extends Error {
  constructor(
    readonly reason: IngressRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'IngressRejection';
  }
}

export interface AcceptedIngress {
  message: ChannelMessage;
  /** The id used for logs, `meta.source_msg_id` and reply de-duplication. */
  msgId: string;
  turn: ChannelTurn;
}

/**
 * Parses and checks one ingress message received on `subject`. Throws `IngressRejection` for bytes
 * over the bound, text that is not JSON, missing or mistyped fields, and a tenant, env, team or
 * platform that contradicts the subject (so one tenant can never speak into another's sessions).
 */
export function acceptIngress(data: Uint8Array, subject: ParsedMessagingSubject, maxBytes = DEFAULT_MAX_INGRESS_BYTES): AcceptedIngress {
  if (data.length > maxBytes) {
    throw new IngressRejection('too_large', `message of ${data.length} bytes exceeds the ${maxBytes}-byte bound`);
  }
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(data));
  } catch (error) {
    throw new IngressRejection('not_json', `message is not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = channelMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'message';
    throw new IngressRejection('invalid', `not a ChannelMessage: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const message = parsed.data;
  checkScope(message, subject);
  const msgId = message.payload.msg_id ?? randomUUID();
  return { message, msgId, turn: turnOf(message, msgId, subject) };
}

function checkScope(message: ChannelMessage, subject: ParsedMessagingSubject): void {
  const claims: Array<[string, string | null | undefined, string]> = [
    ['env', message.tenant.env, subject.env],
    ['tenant', message.tenant.tenant, subject.tenant],
    ['team', message.tenant.team ?? message.tenant.team_id, subject.team],
    ['channel_id', message.channel_id, subject.platform],
  ];
  for (const [field, value, expected] of claims) {
    if (value != null && sanitizeSubjectSegment(value) !== expected) {
      throw new IngressRejection('wrong_scope', `${field} "${value}" does not match the subject's "${expected}"`);
    }
  }
}

/** The session is keyed `{tenant}:{provider}:{conversation}:{user}`; the conversation is the thread, else the session. */
function turnOf(message: ChannelMessage, msgId: string, subject: ParsedMessagingSubject): ChannelTurn {
  const { payload } = message;
  const scope = {
    env: message.tenant.env,
    tenant: message.tenant.tenant,
    team: message.tenant.team ?? message.tenant.team_id ?? subject.team,
    channel: message.channel_id,
    conversation: payload.thread_id ?? message.session_id,
    user: payload.user_id ?? 'user',
  };
  return {
    sessionKey: `${scope.tenant}:${scope.channel}:${scope.conversation}:${scope.user}`,
    scope,
    message: { id: msgId, text: payload.text ?? '', metadata: stringMap(payload.metadata ?? {}) },
    ...(message.route ? { route: message.route } : {}),
  };
}

/** Envelope metadata is a string map: strings stay, other JSON values are stringified. */
export function stringMap(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

export interface ChannelMessageSpec {
  scope: { env: string; tenant: string; team: string; platform: string };
  chatId: string;
  userId: string;
  msgId: string;
  text: string;
  metadata?: Record<string, string>;
}

/** A `ChannelMessage` as Greentic's gateway publishes it (for the studio's "remote runner" chat). */
export function channelMessage(spec: ChannelMessageSpec): ChannelMessage {
  const { env, tenant, team, platform } = spec.scope;
  return {
    tenant: { env, tenant, tenant_id: tenant, team, team_id: team, user: spec.userId, user_id: spec.userId, attempt: 0 },
    channel_id: platform,
    session_id: spec.chatId,
    payload: {
      chat_id: spec.chatId,
      user_id: spec.userId,
      thread_id: null,
      msg_id: spec.msgId,
      text: spec.text,
      timestamp: new Date().toISOString(),
      metadata: spec.metadata ?? {},
      headers: {},
    },
  };
}
