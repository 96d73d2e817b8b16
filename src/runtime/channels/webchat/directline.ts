/**
 * The webchat channel: a Direct Line 3.0 endpoint (channels.md §2) served by the studio's HTTP
 * server under `/v3/directline`, with the activity stream on a WebSocket at `streamUrl`. Bot
 * Framework Web Chat and `botframework-directlinejs` talk to it unchanged; every message runs a
 * turn of the embedded runner through the shared `ChatHost`.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { StudioError } from '../../../shared/api';
import type { ChatHost } from '../../chat/chat-host';
import type { ChatRuntime } from '../../chat/chat-runtime';
import type { InboundMessage } from '../../chat/envelope';
import type { TurnResult } from '../../../shared/api/chat';
import { refuseUpgrade } from '../../http/guard';
import { decodePathSegment, requestTarget } from '../../http/request-target';
import { DEFAULT_SESSION_TTL_SECONDS } from '../../sessions/session-store';
import { botActivity, errorActivity, joinActivity, joinMessage, readPostedActivity } from './activities';
import { ConversationLog, type LogLimits } from './conversation-log';
import { CorsPolicy } from './cors';
import { HttpError, bearerOf, readJsonBody, sendError, sendJson, sendJsonText } from './http-io';
import { IdleTable } from './idle-table';
import { TokenError, TokenService, type TokenClaims, type TokenContext } from './tokens';
import { traceHeadersFrom, type TraceHeaders } from '../../telemetry/propagation';
import type { Telemetry } from '../../telemetry/telemetry';

export const DIRECTLINE_PREFIX = '/v3/directline';

export interface DirectLineOptions {
  chat: ChatHost;
  /** The Direct Line secret; a random one when absent. */
  secret?: string;
  tokens?: TokenService;
  /** Run the flow once when a conversation opens, as the webchat provider does (default true). */
  autoStartOnOpen?: boolean;
  maxBodyBytes?: number;
  keepAliveMs?: number;
  maxConversations?: number;
  /**
   * Trace events kept per conversation for `getTrace` (default none; Direct Line conversations push
   * no live events either, as their clients get replies on their own stream). Kept events outlive the young generation, and at hundreds of conversations
   * promoting them is what makes garbage collection pause the server (see `StartOptions.traceLimit`).
   */
  traceEvents?: number;
  /**
   * A conversation ends after this long without a request, an open stream or a running turn
   * (default: the session TTL, 3600 s, after which its parked flow has left the session store anyway).
   * Requests for it then get 404, which Direct Line clients take as the conversation's end.
   */
  idleTimeoutMs?: number;
  /** The clock of idle times, replaceable in tests. */
  now?: () => number;
  /** Bounds of each conversation's activity log, by count and by bytes. */
  log?: LogLimits;
  /** Origins whose pages may call the endpoint (`serve --cors-origin`); none allows any origin. */
  corsOrigins?: readonly string[];
  /** The runner's telemetry: counts activities in and out. */
  telemetry?: () => Telemetry | null;
}

export interface DirectLineServer {
  readonly secret: string;
  /** Serves everything under `/v3/directline`; false for any other path. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Takes the WebSocket upgrade of a `streamUrl`; false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Conversations open now. */
  readonly conversationCount: number;
  /** WebSocket streams connected now. */
  readonly streamCount: number;
  /**
   * Ends the conversations idle for longer than the idle timeout, with their runner conversations and
   * sessions, and resolves with how many ended. A timer does this periodically; tests call it directly.
   */
  sweep(): Promise<number>;
  close(): void;
}

interface Conversation {
  log: ConversationLog;
  /** The runner that started it: the one to end it, even if another project was opened since. */
  runtime: ChatRuntime;
  ctx: TokenContext;
  verified: boolean;
  flowHint?: string;
  locale?: string;
}

type Caller = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

const DEFAULT_USER = 'user';
const MAX_HINT_LENGTH = 256;
const STREAM_PATH = /^\/conversations\/([^/]+)\/stream$/;
/** Idle conversations are looked for this often at most, and at least four times per idle timeout. */
const MAX_SWEEP_INTERVAL_MS = 60_000;
const MIN_SWEEP_INTERVAL_MS = 250;

export function createDirectLine(options: DirectLineOptions): DirectLineServer {
  return new DirectLine(options);
}

class DirectLine implements DirectLineServer {
  readonly secret: string;
  private readonly secretBytes: Buffer;
  private readonly tokens: TokenService;
  private readonly conversations: IdleTable<Conversation>;
  /** Conversations being opened: they count against the limit before they are in the table. */
  private opening = 0;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly keepAlive: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxBodyBytes: number;
  private readonly maxConversations: number;
  private readonly cors: CorsPolicy;

  constructor(private readonly options: DirectLineOptions) {
    this.cors = new CorsPolicy(options.corsOrigins);
    this.secret = options.secret ?? randomBytes(24).toString('base64url');
    this.secretBytes = Buffer.from(this.secret);
    this.tokens = options.tokens ?? new TokenService();
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxConversations = options.maxConversations ?? 10_000;
    this.keepAlive = setInterval(() => {
      for (const socket of this.sockets.clients) if (socket.readyState === socket.OPEN) socket.send('');
    }, options.keepAliveMs ?? 30_000);
    this.keepAlive.unref();
    this.conversations = new IdleTable(options.idleTimeoutMs ?? DEFAULT_SESSION_TTL_SECONDS * 1000, options.now);
    const sweepEvery = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(MIN_SWEEP_INTERVAL_MS, this.conversations.idleMs / 4));
    this.sweeper = setInterval(() => void this.sweep(), sweepEvery);
    this.sweeper.unref();
  }

  get conversationCount(): number {
    return this.conversations.size;
  }

  get streamCount(): number {
    return this.sockets.clients.size;
  }

  async sweep(): Promise<number> {
    const expired = this.conversations.sweep();
    // The runner may be gone already (a studio that opened another project); nothing is left to end then.
    await Promise.all(expired.map(([id, conversation]) => conversation.runtime.end(id).catch(() => undefined)));
    return expired.length;
  }

  async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    try {
      const url = requestTarget(req);
      if (url.pathname !== DIRECTLINE_PREFIX && !url.pathname.startsWith(`${DIRECTLINE_PREFIX}/`)) return false;
      const origin = this.cors.check(req);
      if (!origin.ok) throw new HttpError(403, 'forbidden', origin.message);
      if (req.method === 'OPTIONS') {
        this.cors.answerPreflight(req, res);
        return true;
      }
      this.cors.apply(req, res);
      await this.route(req, res, url, url.pathname.slice(DIRECTLINE_PREFIX.length));
    } catch (error) {
      if (!res.headersSent) sendError(res, asHttpError(error));
      else res.destroy();
    }
    return true;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    try {
      const url = requestTarget(req);
      if (!url.pathname.startsWith(`${DIRECTLINE_PREFIX}/`)) return false;
      // Browsers send the page's origin with a WebSocket upgrade and apply no CORS to it.
      const origin = this.cors.check(req);
      if (!origin.ok) throw new HttpError(403, 'forbidden', origin.message);
      this.upgradeStream(req, socket, head, url);
    } catch (error) {
      refuseUpgrade(socket, asHttpError(error));
    }
    return true;
  }

  private upgradeStream(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const match = STREAM_PATH.exec(url.pathname.slice(DIRECTLINE_PREFIX.length));
    if (!match?.[1]) throw new HttpError(404, 'not_found', 'unknown directline endpoint');
    const conversationId = decodePathSegment(match[1]);
    const token = url.searchParams.get('t');
    const watermark = Number(url.searchParams.get('watermark') ?? '-1');
    void this.authorizeStream(conversationId, token).then(
      (conversation) => {
        // The client may have gone while its token was checked: nothing is left to hold open then.
        if (socket.destroyed) return;
        // An open stream keeps the conversation alive until its socket closes, however the upgrade ends.
        socket.once('close', this.conversations.hold(conversationId));
        this.sockets.handleUpgrade(req, socket, head, (ws) => this.stream(ws, conversation, Number.isFinite(watermark) ? watermark : -1));
      },
      (error: unknown) => refuseUpgrade(socket, asHttpError(error)),
    );
  }

  close(): void {
    clearInterval(this.keepAlive);
    clearInterval(this.sweeper);
    for (const socket of this.sockets.clients) socket.close(1001, 'server closing');
    this.sockets.close();
  }

  // -------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const segments = path.split('/').filter((s) => s.length > 0);
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', 'method not allowed on this endpoint');
    };
    if (segments[0] === 'tokens' && segments.length === 2 && (segments[1] === 'generate' || segments[1] === 'refresh')) {
      allow('POST');
      const body = await readJsonBody(req, this.maxBodyBytes);
      const caller = await this.authenticate(req);
      if (segments[1] === 'generate') return sendJson(res, 200, await this.generateToken(caller, url, body));
      if (caller.kind !== 'token') throw new HttpError(400, 'bad_request', 'refresh needs a token, not the secret');
      const { claims } = caller;
      if (claims.conv) this.owned(claims.conv, caller);
      const issued = await this.tokens.issue(claims);
      return sendJson(res, 200, { conversationId: claims.conv ?? null, ...issued });
    }
    if (segments[0] !== 'conversations' || segments.length > 3) throw new HttpError(404, 'not_found', 'unknown directline endpoint');
    if (segments.length === 1) {
      allow('POST');
      await readJsonBody(req, this.maxBodyBytes);
      const caller = await this.authenticate(req);
      return sendJson(res, 201, await this.openConversation(req, caller));
    }
    const conversationId = decodePathSegment(segments[1] ?? '');
    if (segments.length === 2) {
      allow('GET');
      const caller = await this.authenticate(req);
      const conversation = this.owned(conversationId, caller);
      const claims: TokenClaims = { sub: conversation.log.owner, ctx: conversation.ctx, conv: conversationId, verified: conversation.verified };
      const issued = await this.tokens.issue(claims);
      return sendJson(res, 200, { conversationId, ...issued, streamUrl: streamUrl(req, conversationId, issued.token) });
    }
    const action = segments[2];
    if (action === 'activities') {
      allow('GET', 'POST');
      if (method === 'GET') {
        const caller = await this.authenticate(req);
        const conversation = this.owned(conversationId, caller);
        return sendJsonText(res, 200, conversation.log.poll(parseWatermark(url.searchParams.get('watermark'))));
      }
      const body = await readJsonBody(req, this.maxBodyBytes);
      const caller = await this.authenticate(req);
      const conversation = this.owned(conversationId, caller);
      return sendJson(res, 201, await this.postActivity(conversationId, conversation, body, traceHeadersFrom((name) => headerValue(req, name))));
    }
    if (action === 'stream') {
      allow('GET');
      throw new HttpError(400, 'bad_request', 'the stream is a WebSocket: connect to streamUrl with an upgrade request');
    }
    if (action === 'upload') {
      allow('POST');
      throw new HttpError(501, 'not_implemented', 'uploads are not supported by the studio webchat');
    }
    throw new HttpError(404, 'not_found', 'unknown directline endpoint');
  }

  private async authenticate(req: IncomingMessage): Promise<Caller> {
    const bearer = bearerOf(req);
    if (bearer === null) throw new HttpError(401, 'unauthorized', 'missing Authorization header');
    if (this.isSecret(bearer)) return { kind: 'secret' };
    try {
      return { kind: 'token', claims: await this.tokens.verify(bearer) };
    } catch (error) {
      if (error instanceof TokenError) throw new HttpError(401, 'unauthorized', error.message);
      throw error;
    }
  }

  private async generateToken(caller: Caller, url: URL, body: unknown): Promise<Record<string, unknown>> {
    if (caller.kind !== 'secret') throw new HttpError(403, 'forbidden', 'generating a token needs the Direct Line secret');
    const user = isObject(body) && isObject(body.user) ? body.user.id : undefined;
    if (user !== undefined && (typeof user !== 'string' || user.length === 0 || user.length > 256)) {
      throw new HttpError(400, 'bad_request', 'user.id must be a non-empty string of at most 256 characters');
    }
    if (typeof user === 'string' && user.includes(':users:')) {
      throw new HttpError(400, 'invalid_user_id', 'client-supplied user id must not use the issuer-subject shape');
    }
    const ctx: TokenContext = {
      env: queryValue(url, 'env') ?? 'default',
      tenant: queryValue(url, 'tenant') ?? 'default',
      ...(queryValue(url, 'team') ? { team: queryValue(url, 'team') as string } : {}),
    };
    return this.tokens.issue({ sub: user ?? DEFAULT_USER, ctx, verified: false });
  }

  private async openConversation(req: IncomingMessage, caller: Caller): Promise<Record<string, unknown>> {
    if (caller.kind === 'token' && caller.claims.conv) throw new HttpError(403, 'forbidden', 'token already bound to a conversation');
    if (this.conversations.size + this.opening >= this.maxConversations) {
      throw new HttpError(503, 'state_contended', `too many open conversations (${this.maxConversations})`);
    }
    this.opening += 1;
    let reserved = true;
    const release = () => {
      if (reserved) this.opening -= 1;
      reserved = false;
    };
    try {
      return await this.startConversation(req, caller, release);
    } finally {
      release();
    }
  }

  /** `enter` hands the reserved slot over to the table as the conversation joins it. */
  private async startConversation(req: IncomingMessage, caller: Caller, enter: () => void): Promise<Record<string, unknown>> {
    const flowHint = headerValue(req, 'x-greentic-flow');
    if (flowHint !== undefined && (flowHint.length > MAX_HINT_LENGTH || /[\u0000-\u001f\u007f]/.test(flowHint))) {
      throw new HttpError(400, 'bad_request', `X-Greentic-Flow must be at most ${MAX_HINT_LENGTH} characters without control characters`);
    }
    const locale = headerValue(req, 'x-greentic-locale');
    const claims: TokenClaims =
      caller.kind === 'token' ? caller.claims : { sub: DEFAULT_USER, ctx: { env: 'default', tenant: 'default' }, verified: false };
    const conversationId = randomUUID();
    const project = await this.options.chat.project();
    const hinted = flowHint ? await project.flows.pathOf(flowHint) : null;
    await project.runtime.start({
      conversationId,
      ...(hinted ? { flowPath: hinted } : {}),
      env: claims.ctx.env,
      tenant: claims.ctx.tenant,
      ...(claims.ctx.team ? { team: claims.ctx.team } : {}),
      user: claims.sub,
      provider: 'webchat',
      cause: 'directline',
      userVerified: claims.verified,
      traceLimit: this.options.traceEvents ?? 0,
      // Replies reach the client on its stream; the studio's panels show only their own conversations.
      liveEvents: false,
      historyLimit: 0,
    });
    const conversation: Conversation = {
      log: new ConversationLog(conversationId, claims.sub, this.options.log),
      runtime: project.runtime,
      ctx: claims.ctx,
      verified: claims.verified,
      ...(flowHint ? { flowHint } : {}),
      ...(locale ? { locale } : {}),
    };
    enter();
    this.conversations.add(conversationId, conversation);
    const issued = await this.tokens.issue({ ...claims, conv: conversationId });
    const joined = conversation.log.append(joinActivity(claims.sub), { id: randomUUID() });
    if (this.options.autoStartOnOpen !== false) {
      const opening = joinMessage({ tenant: claims.ctx.tenant, conversationId, subject: claims.sub });
      void this.runTurn(conversationId, conversation, opening, joined.id).catch(() => undefined);
    }
    return { conversationId, ...issued, streamUrl: streamUrl(req, conversationId, issued.token) };
  }

  private async postActivity(
    conversationId: string,
    conversation: Conversation,
    body: unknown,
    traceHeaders: TraceHeaders | undefined,
  ): Promise<Record<string, unknown>> {
    const posted = readPostedActivity(body, conversation.log.owner);
    if (!posted.ok) throw new HttpError(400, 'bad_request', posted.message);
    this.options.telemetry?.()?.message('directline', 'in');
    const stored = conversation.log.append(posted.activity, { id: randomUUID() });
    if (posted.message) await this.runTurn(conversationId, conversation, traceHeaders ? { ...posted.message, traceHeaders } : posted.message, stored.id);
    return {
      id: stored.id,
      _greentic: { watermark_bumped: conversation.log.currentWatermark, conversation_id: conversationId, tenant: conversation.ctx.tenant },
    };
  }

  /** Runs one turn and appends its replies (or its error) to the conversation. */
  private async runTurn(conversationId: string, conversation: Conversation, message: InboundMessage, replyToId: string | undefined): Promise<void> {
    const release = this.conversations.hold(conversationId);
    const stopTyping = conversation.log.raiseTyping();
    try {
      await this.appendTurn(conversationId, conversation, message, replyToId);
    } finally {
      stopTyping();
      release();
    }
  }

  private async appendTurn(conversationId: string, conversation: Conversation, message: InboundMessage, replyToId: string | undefined): Promise<void> {
    const metadata = { ...message.metadata, ...(conversation.flowHint ? { flow_hint: conversation.flowHint } : {}) };
    const inbound: InboundMessage = {
      ...message,
      metadata,
      ...(message.locale ?? conversation.locale ? { locale: message.locale ?? conversation.locale } : {}),
    };
    let result: TurnResult;
    try {
      result = await (await this.options.chat.project()).runtime.send(conversationId, inbound);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      conversation.log.append(errorActivity({ type: 'text', text }, text, 'internal', replyToId), { prefix: 'error' });
      return;
    }
    if (result.status === 'failed') {
      const card = result.replies[0] ?? { type: 'text' as const, text: result.error ?? 'the flow failed' };
      conversation.log.append(errorActivity(card, result.error ?? 'the flow failed', result.errorCode ?? 'internal', replyToId), { prefix: 'error' });
      return;
    }
    for (const reply of result.replies) conversation.log.append(botActivity(reply, replyToId), { prefix: 'bot' });
    this.options.telemetry?.()?.message('directline', 'out', result.replies.length);
  }

  /** Constant-time for a candidate of the secret's length; every token is longer, and skips the copy. */
  private isSecret(candidate: string): boolean {
    return Buffer.byteLength(candidate) === this.secretBytes.length && timingSafeEqual(Buffer.from(candidate), this.secretBytes);
  }

  private owned(conversationId: string, caller: Caller): Conversation {
    const conversation = this.conversations.use(conversationId);
    if (!conversation) {
      // A token bound to this conversation proves it existed: only the idle timeout ends conversations.
      const expired = caller.kind === 'token' && caller.claims.conv === conversationId;
      throw new HttpError(404, 'not_found', expired ? `conversation not found: it ended after ${idleText(this.conversations.idleMs)} without activity` : 'conversation not found');
    }
    if (caller.kind === 'token' && caller.claims.conv !== conversationId) {
      throw new HttpError(403, 'forbidden', 'token does not belong to this conversation');
    }
    return conversation;
  }

  private async authorizeStream(conversationId: string, token: string | null): Promise<Conversation> {
    if (!token) throw new HttpError(401, 'unauthorized', 'missing token (t) in the stream URL');
    let caller: Caller;
    if (this.isSecret(token)) caller = { kind: 'secret' };
    else {
      try {
        caller = { kind: 'token', claims: await this.tokens.verify(token) };
      } catch (error) {
        throw new HttpError(401, 'unauthorized', error instanceof Error ? error.message : String(error));
      }
    }
    return this.owned(conversationId, caller);
  }

  private stream(ws: WebSocket, conversation: Conversation, watermark: number): void {
    const unsubscribe = conversation.log.subscribe(watermark, (json) => {
      if (ws.readyState === ws.OPEN) ws.send(json);
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  }
}

function streamUrl(req: IncomingMessage, conversationId: string, token: string): string {
  const host = req.headers.host ?? '127.0.0.1';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const path = `${DIRECTLINE_PREFIX}/conversations/${encodeURIComponent(conversationId)}/stream`;
  return `${encrypted ? 'wss' : 'ws'}://${host}${path}?watermark=-1&t=${encodeURIComponent(token)}`;
}

/** `500 ms`, `45 s`, `10 min`, `1 h 30 min`: how long a conversation may stay idle, for messages. */
function idleText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60 || seconds % 60 !== 0) return `${seconds} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** A watermark is the whole number of the last activity a client has (-1 or none: from the start). */
function parseWatermark(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new HttpError(400, 'bad_request', 'watermark must be a number');
  if (!Number.isSafeInteger(value) || !/^\s*-?\d+\s*$/.test(raw)) throw new HttpError(400, 'bad_request', 'watermark must be a whole number');
  return value;
}


function queryValue(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  if (value.length > 256) throw new HttpError(400, 'bad_request', `${name} is longer than 256 characters`);
  return value;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof StudioError) {
    const status = { not_found: 404, bad_request: 400, forbidden: 403, conflict: 409, invalid_flow: 400 }[error.code as string] ?? 500;
    return new HttpError(status, status === 500 ? 'internal' : error.code, error.message);
  }
  return new HttpError(500, 'internal', error instanceof Error ? error.message : String(error));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
