import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { StudioError, type BotMessage, type RemoteConversationInfo } from '../../../shared/api';
import { messagingSubject, sanitizeSubjectSegment } from '../../../shared/nats/subjects';
import { channelMessage, stringMap } from './ingress';
import type { OutMessage } from './out-message';

export interface RemoteChatScope {
  env: string;
  tenant: string;
  team: string;
  platform: string;
  user: string;
}

/**
 * The chat panel's "remote runner over NATS" target: each conversation publishes gateway-shaped
 * ingress and turns the runner's egress for its chat id into `reply` events.
 */
export class RemoteConversations {
  private readonly conversations = new Map<string, RemoteConversationInfo>();
  /** One egress subscription per subject, shared by the conversations on it. */
  private readonly listeners = new Map<string, { subscription: Subscription; users: number }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly onReply: (conversationId: string, message: BotMessage) => void,
  ) {}

  start(scope: RemoteChatScope): RemoteConversationInfo {
    const clean = {
      env: sanitizeSubjectSegment(scope.env),
      tenant: sanitizeSubjectSegment(scope.tenant),
      team: sanitizeSubjectSegment(scope.team),
      platform: sanitizeSubjectSegment(scope.platform),
    };
    const info: RemoteConversationInfo = {
      conversationId: `studio-${randomUUID()}`,
      ...clean,
      user: scope.user,
      ingressSubject: messagingSubject('ingress', clean),
      egressSubject: messagingSubject('egress', clean),
    };
    this.conversations.set(info.conversationId, info);
    this.listen(info.egressSubject);
    return info;
  }

  send(conversationId: string, input: { text?: string; submit?: Record<string, unknown> }): { msgId: string; subject: string } {
    const info = this.require(conversationId);
    const msgId = randomUUID();
    const metadata = input.submit ? { ...submitMetadata(input.submit), greentic_submit: 'true' } : {};
    const message = channelMessage({
      scope: info,
      chatId: info.conversationId,
      userId: info.user,
      msgId,
      text: input.text ?? '',
      metadata,
    });
    this.nc.publish(info.ingressSubject, JSON.stringify(message));
    return { msgId, subject: info.ingressSubject };
  }

  end(conversationId: string): boolean {
    const info = this.conversations.get(conversationId);
    if (!info) return false;
    this.conversations.delete(conversationId);
    const listener = this.listeners.get(info.egressSubject);
    if (listener && --listener.users === 0) {
      listener.subscription.unsubscribe();
      this.listeners.delete(info.egressSubject);
    }
    return true;
  }

  close(): void {
    for (const id of [...this.conversations.keys()]) this.end(id);
  }

  private listen(subject: string): void {
    const existing = this.listeners.get(subject);
    if (existing) {
      existing.users += 1;
      return;
    }
    const subscription = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        let out: Partial<OutMessage>;
        try {
          out = msg.json<Partial<OutMessage>>();
        } catch {
          return; // not ours to judge: the traffic view shows it as it is
        }
        const conversationId = typeof out.chat_id === 'string' ? out.chat_id : null;
        if (!conversationId || !this.conversations.has(conversationId)) return;
        const reply = botMessageOf(out);
        if (reply) this.onReply(conversationId, reply);
      },
    });
    this.listeners.set(subject, { subscription, users: 1 });
  }

  private require(conversationId: string): RemoteConversationInfo {
    const info = this.conversations.get(conversationId);
    if (!info) throw new StudioError('not_found', `remote conversation not found: ${conversationId}`);
    return info;
  }
}

/** What the chat panel renders for an egress `OutMessage`: its Adaptive Card, else its text. */
export function botMessageOf(out: Partial<OutMessage>): BotMessage | null {
  const card = out.adaptive_card?.adaptive;
  if (card && typeof card === 'object') return { type: 'adaptive_card', card };
  if (typeof out.text === 'string' && out.text.length > 0) return { type: 'text', text: out.text };
  return null;
}

/** Card submit data travels as envelope metadata, minus the keys a sender may not set (channels.md §2.5). */
function submitMetadata(submit: Record<string, unknown>): Record<string, string> {
  return stringMap(Object.fromEntries(Object.entries(submit).filter(([key]) => !key.startsWith('user_') && !key.startsWith('greentic_'))));
}
