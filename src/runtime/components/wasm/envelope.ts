/**
 * How the runner's invocation becomes the arguments of a component call, per ABI (components.md §4).
 * The runner alone builds the context; nothing in the flow's input can reach it. Keep every mapping
 * decision here, so a change to it is a change to this file only.
 */
import type { JsonValue } from '../../../shared/flow/compiled';
import type { TenantCtx } from '../host';
import { encodeCbor } from './cbor';

/** One operation call, as the runner hands it to a WASM component (structured-clone safe). */
export interface InvokeRequest {
  componentId: string;
  operation: string;
  input: JsonValue;
  config: JsonValue;
  /** Envelope metadata the node payload carried, if any. */
  metadata?: JsonValue;
  ctx: TenantCtx;
  /** Absolute deadline in unix milliseconds; 0 when the call is not time-bounded. */
  deadlineMs: number;
}

export interface TenantCtx06 {
  tenantId: string;
  teamId?: string;
  userId?: string;
  envId: string;
  traceId: string;
  correlationId: string;
  deadlineMs: bigint;
  attempt: number;
  idempotencyKey?: string;
  i18nId: string;
}

export interface InvocationEnvelope06 {
  ctx: TenantCtx06;
  flowId: string;
  stepId: string;
  componentId: string;
  attempt: number;
  payloadCbor: Uint8Array;
  metadataCbor?: Uint8Array;
}

/** The session key a call belongs to: what correlates and de-duplicates its effects. */
export function sessionKey(ctx: TenantCtx): string {
  return ctx.sessionId ?? ctx.correlationId ?? ctx.traceId;
}

export function envelope06(request: InvokeRequest): InvocationEnvelope06 {
  const { ctx } = request;
  const session = sessionKey(ctx);
  const tenantCtx: TenantCtx06 = {
    tenantId: ctx.tenant,
    envId: ctx.env || 'local',
    traceId: ctx.traceId,
    correlationId: session,
    deadlineMs: BigInt(Math.max(0, Math.floor(request.deadlineMs))),
    attempt: ctx.attempt,
    idempotencyKey: `${session}:${ctx.nodeId}:${ctx.attempt}`,
    i18nId: ctx.i18nId || 'en',
  };
  if (ctx.team !== undefined) tenantCtx.teamId = ctx.team;
  if (ctx.user !== undefined) tenantCtx.userId = ctx.user;
  const envelope: InvocationEnvelope06 = {
    ctx: tenantCtx,
    flowId: ctx.flowId,
    stepId: ctx.nodeId,
    componentId: request.componentId,
    attempt: ctx.attempt,
    payloadCbor: encodeCbor(request.input),
  };
  const metadata = request.metadata ?? null;
  // Upstream leaves open how config reaches a 0.6 component; ours: both under one CBOR map.
  if (request.config !== null || metadata !== null) {
    envelope.metadataCbor = encodeCbor({ config: request.config, metadata });
  }
  return envelope;
}

export interface ExecCtx0405 {
  tenant: {
    tenant: string;
    team?: string;
    user?: string;
    traceId?: string;
    i18nId?: string;
    correlationId?: string;
    deadlineUnixMs?: bigint;
    attempt: number;
    idempotencyKey?: string;
  };
  i18nId?: string;
  flowId: string;
  nodeId?: string;
}

/** The JSON worlds get what upstream's engine gives them: the provider as user, the session as keys. */
export function execCtx0405(request: InvokeRequest): ExecCtx0405 {
  const { ctx } = request;
  const session = sessionKey(ctx);
  const tenant: ExecCtx0405['tenant'] = { tenant: ctx.tenant, correlationId: session, attempt: ctx.attempt, idempotencyKey: session };
  if (ctx.providerId !== undefined) tenant.user = ctx.providerId;
  return { tenant, flowId: ctx.flowId, nodeId: ctx.nodeId };
}
