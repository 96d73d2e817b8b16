import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { channelMessage } from '../../../../src/runtime/channels/nats/ingress';
import { messagingSubject } from '../../../../src/shared/nats/subjects';

/**
 * A stand-in for Greentic's messaging gateway: publishes `ChannelMessage` ingress the way upstream's
 * gateway does and collects the `OutMessage` egress the runner answers with.
 */

export interface Scope {
  env: string;
  tenant: string;
  team: string;
  platform: string;
}

export interface OutMessageJson {
  ctx: Record<string, unknown>;
  tenant: string;
  platform: string;
  chat_id: string;
  thread_id: string | null;
  kind: 'text' | 'card';
  text: string | null;
  message_card: unknown;
  adaptive_card?: { adaptive: Record<string, unknown> };
  meta: Record<string, unknown>;
}

export interface GatewayExtra {
  user?: string;
  msgId?: string;
  /** The `route` the gateway sets (which pack or flow of the scope the message is for). */
  route?: string;
}

export function gatewayMessage(scope: Scope, chatId: string, text: string, extra: GatewayExtra = {}) {
  const message = channelMessage({
    scope,
    chatId,
    userId: extra.user ?? 'user-1',
    msgId: extra.msgId ?? `${chatId}-${Math.random().toString(36).slice(2)}`,
    text,
  });
  return extra.route ? { ...message, route: extra.route } : message;
}

export class Gateway {
  private readonly replies = new Map<string, OutMessageJson[]>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private subscription: Subscription | null = null;

  private constructor(readonly nc: NatsConnection) {}

  static async connect(url: string, options: { reconnectWaitMs?: number; token?: string } = {}): Promise<Gateway> {
    const nc = await connect({
      servers: url,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectWaitMs ?? 50,
      ...(options.token ? { token: options.token } : {}),
    });
    return new Gateway(nc);
  }

  /** Collects every egress message under `pattern` (e.g. `greentic.messaging.egress.dev.>`). */
  async listen(pattern = 'greentic.messaging.egress.>'): Promise<void> {
    this.subscription = this.nc.subscribe(pattern, {
      callback: (error, msg) => {
        if (error) return;
        const out = msg.json<OutMessageJson>();
        const key = `${msg.subject}|${out.chat_id}`;
        this.replies.set(key, [...(this.replies.get(key) ?? []), out]);
        for (const wake of this.waiters.get(key) ?? []) wake();
      },
    });
    await this.nc.flush();
  }

  send(scope: Scope, chatId: string, text: string, extra: GatewayExtra = {}): void {
    this.publishRaw(scope, JSON.stringify(gatewayMessage(scope, chatId, text, extra)));
  }

  publishRaw(scope: Scope, data: string | Uint8Array): void {
    this.nc.publish(messagingSubject('ingress', scope), data);
  }

  /** All egress seen so far for one chat of a scope. */
  received(scope: Scope, chatId: string): OutMessageJson[] {
    return this.replies.get(`${messagingSubject('egress', scope)}|${chatId}`) ?? [];
  }

  /** Waits until `count` egress messages arrived for the chat. */
  async waitFor(scope: Scope, chatId: string, count: number, timeoutMs = 10_000): Promise<OutMessageJson[]> {
    const key = `${messagingSubject('egress', scope)}|${chatId}`;
    const deadline = Date.now() + timeoutMs;
    while ((this.replies.get(key)?.length ?? 0) < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} replies for ${chatId}, got ${JSON.stringify(this.replies.get(key) ?? [])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.set(key, [
          ...(this.waiters.get(key) ?? []),
          () => {
            clearTimeout(timer);
            resolve();
          },
        ]);
      });
    }
    return this.replies.get(key) ?? [];
  }

  async close(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.nc.close();
  }
}
