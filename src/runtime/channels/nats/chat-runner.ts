import type { ChatRuntime } from '../../chat/chat-runtime';
import type { ChannelTurn, TurnOptions, TurnOutcome, TurnRunner } from './runner';

/**
 * The embedded runner behind the NATS bridge: each NATS session is a conversation of the project's
 * `ChatRuntime`, so NATS, Direct Line and the chat panel run flows through one engine and one
 * session store. A conversation is kept only while its flow is parked; a completed one is ended so
 * that a busy bus does not grow the runtime without bound.
 */
export class ChatRuntimeRunner implements TurnRunner {
  constructor(
    private readonly runtime: () => Promise<ChatRuntime>,
    private readonly options: { flowPath?: string } = {},
  ) {}

  async runTurn(turn: ChannelTurn, options: TurnOptions = {}): Promise<TurnOutcome> {
    const runtime = await this.runtime();
    const conversationId = `nats:${turn.scope.env}:${turn.sessionKey}`;
    const flowPath = options.flowPath ?? this.options.flowPath;
    if (!runtime.has(conversationId)) {
      await runtime.start({
        conversationId,
        sessionConversation: turn.scope.conversation,
        tenant: turn.scope.tenant,
        team: turn.scope.team,
        user: turn.scope.user,
        provider: turn.scope.channel,
        // Nobody inspects a bus conversation's trace, and its replies go out as egress messages: keeping
        // or pushing its events would only feed the garbage collector and every open studio window.
        traceLimit: 0,
        liveEvents: false,
        ...(flowPath ? { flowPath } : {}),
      });
    }
    const result = await runtime.send(conversationId, { id: turn.message.id, text: turn.message.text, metadata: turn.message.metadata });
    if (result.status === 'completed') await runtime.end(conversationId);
    return { status: result.status, replies: result.replies, ...(result.error ? { error: result.error } : {}) };
  }
}
