import type { ChatRuntime } from '../../chat/chat-runtime';
import { SessionBusyError, SessionConflictError, SessionStoreUnavailableError } from '../../sessions/session-store';
import type { ChannelTurn, TurnOptions, TurnOutcome, TurnRunner } from './runner';

/**
 * The embedded runner behind the NATS bridge: each NATS session is a session of the project's
 * `ChatRuntime`, so NATS, Direct Line and the chat panel run flows through one engine and one
 * session store. Nothing of a bus conversation stays in this process between turns: the session
 * store holds it, so the next message may land on any runner sharing the store.
 */
export class ChatRuntimeRunner implements TurnRunner {
  constructor(
    private readonly runtime: () => Promise<ChatRuntime>,
    private readonly options: { flowPath?: string } = {},
  ) {}

  async runTurn(turn: ChannelTurn, options: TurnOptions = {}): Promise<TurnOutcome> {
    const runtime = await this.runtime();
    const flowPath = options.flowPath ?? this.options.flowPath;
    try {
      const result = await runtime.runDetachedTurn(
        {
          conversationId: `nats:${turn.scope.env}:${turn.sessionKey}`,
          sessionConversation: turn.scope.conversation,
          env: turn.scope.env,
          tenant: turn.scope.tenant,
          team: turn.scope.team,
          user: turn.scope.user,
          provider: turn.scope.channel,
          ...(flowPath ? { flowPath } : {}),
          cause: 'nats',
          ...(turn.subject ? { subject: turn.subject } : {}),
        },
        { id: turn.message.id, text: turn.message.text, metadata: turn.message.metadata, ...(turn.traceHeaders ? { traceHeaders: turn.traceHeaders } : {}) },
      );
      return {
        status: result.status,
        replies: result.replies,
        ...(result.error ? { error: result.error } : {}),
        ...(result.duplicate ? { duplicate: true } : {}),
        ...(result.traceHeaders ? { traceHeaders: result.traceHeaders } : {}),
      };
    } catch (error) {
      if (isTransient(error)) return { status: 'failed', replies: [], error: error.message, retryable: true };
      throw error;
    }
  }
}

/** Failures that say nothing about the message: the same turn may well succeed a moment later. */
function isTransient(error: unknown): error is Error {
  return error instanceof SessionStoreUnavailableError || error instanceof SessionBusyError || error instanceof SessionConflictError;
}
