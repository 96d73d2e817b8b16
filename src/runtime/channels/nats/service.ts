import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { StudioError, type NatsServeInfo, type NatsStatus, type NatsStatusEvent, type RemoteConversationInfo } from '../../../shared/api';
import { messagingPattern, type MessagingDirection } from '../../../shared/nats/subjects';
import type { ResolvedNatsProfile } from '../../connections/nats-profile';
import type { NatsProfileStore } from '../../connections/nats-profiles';
import type { EventBus } from '../../events';
import { NatsRunnerBridge, type BridgeScope } from './bridge';
import { NatsConnectError, openNatsConnection, type ConnectTuning } from './connect';
import { RemoteConversations, type RemoteChatScope } from './remote-chat';
import type { TurnRunner } from './runner';
import { followStatus } from './status';
import { DEFAULT_TRAFFIC_OPTIONS, TrafficWatch, type TrafficWatchOptions } from './traffic';

import type { Telemetry } from '../../telemetry/telemetry';

export interface NatsServiceOptions {
  events: EventBus;
  profiles: NatsProfileStore;
  /** Runs turns of the open project when the studio serves it on NATS; absent, serving is unavailable. */
  runner?: TurnRunner;
  tuning?: ConnectTuning;
  traffic?: TrafficWatchOptions;
  /** The runner's telemetry, handed to the bridge. */
  telemetry?: () => Telemetry | null;
}

interface LiveConnection {
  profile: string;
  nc: NatsConnection;
  stopFollowing: () => void;
  remote: RemoteConversations;
  watches: Map<string, TrafficWatch>;
  bridge: NatsRunnerBridge | null;
}

export const REMOTE_DEFAULTS = { env: 'dev', tenant: 'demo', team: 'default', platform: 'webchat', user: 'studio-user' } as const;

/**
 * The studio's one NATS connection and everything that runs on it: status events, traffic views,
 * remote-runner conversations, and serving the open project. Connecting with another profile closes
 * the previous connection and all of that with it.
 */
export class NatsService {
  private live: LiveConnection | null = null;
  private status: NatsStatusEvent = { profile: null, state: 'disconnected' };

  constructor(private readonly options: NatsServiceOptions) {}

  current(): NatsStatus {
    return { ...this.status, serving: this.live?.bridge?.info ?? null };
  }

  async connect(profileName: string): Promise<NatsStatus> {
    return this.connectWith(await this.options.profiles.resolve(profileName));
  }

  /** Connects with a profile that is not stored (the command line's `--nats` flags). */
  async connectWith(profile: ResolvedNatsProfile): Promise<NatsStatus> {
    await this.disconnect();
    const profileName = profile.name;
    this.setStatus({ profile: profileName, state: 'connecting' });
    let nc: NatsConnection;
    try {
      nc = await openNatsConnection(profile, this.options.tuning);
    } catch (error) {
      const problem = error instanceof NatsConnectError ? error.problem : { kind: 'other' as const, message: String(error) };
      this.setStatus({ profile: profileName, state: 'disconnected', error: problem });
      throw new StudioError('unavailable', problem.message, { kind: problem.kind });
    }
    const live: LiveConnection = {
      profile: profileName,
      nc,
      stopFollowing: () => undefined,
      remote: new RemoteConversations(nc, (conversationId, message) => this.options.events.emit('reply', { conversationId, message })),
      watches: new Map(),
      bridge: null,
    };
    live.stopFollowing = followStatus(nc, profile.servers, (change) => {
      if (this.live === live) this.setStatus({ profile: profileName, ...change });
    });
    this.live = live;
    this.setStatus({ profile: profileName, state: 'connected', server: nc.getServer() });
    return this.current();
  }

  async disconnect(): Promise<NatsStatus> {
    const live = this.live;
    if (!live) return this.current();
    this.live = null;
    await live.bridge?.stop();
    for (const watch of live.watches.values()) watch.stop();
    live.remote.close();
    live.stopFollowing();
    await live.nc.drain().catch(() => live.nc.close());
    this.setStatus({ profile: live.profile, state: 'closed' });
    return this.current();
  }

  /** A deleted profile: closes its connection and leaves no trace of it in the status. */
  async forgetProfile(name: string): Promise<void> {
    if (this.status.profile !== name) return;
    await this.disconnect();
    this.setStatus({ profile: null, state: 'disconnected' });
  }

  watchTraffic(filter: { direction?: MessagingDirection; env?: string; tenant?: string; team?: string; platform?: string }): {
    watchId: string;
    subject: string;
  } {
    const live = this.requireLive();
    const { direction, ...scope } = filter;
    const watch = new TrafficWatch(
      live.nc,
      randomUUID(),
      messagingPattern(direction, scope),
      (event) => this.options.events.emit('natsTraffic', event),
      this.options.traffic ?? DEFAULT_TRAFFIC_OPTIONS,
    );
    live.watches.set(watch.id, watch);
    return { watchId: watch.id, subject: watch.subject };
  }

  unwatchTraffic(watchId: string): boolean {
    const watch = this.live?.watches.get(watchId);
    if (!watch) return false;
    watch.stop();
    this.live?.watches.delete(watchId);
    return true;
  }

  startRemoteConversation(scope: Partial<RemoteChatScope>): RemoteConversationInfo {
    return this.requireLive().remote.start({ ...REMOTE_DEFAULTS, ...scope });
  }

  sendRemoteMessage(conversationId: string, input: { text?: string; submit?: Record<string, unknown> }): { msgId: string; subject: string } {
    return this.requireLive().remote.send(conversationId, input);
  }

  endRemoteConversation(conversationId: string): boolean {
    return this.live?.remote.end(conversationId) ?? false;
  }

  /** Serves the open project on the bus; resolves once ingress flows, saying whether through JetStream. */
  async serve(scope: Partial<BridgeScope>, options: { queueGroup?: string; flowPath?: string } = {}): Promise<NatsServeInfo> {
    const live = this.requireLive();
    const runner = this.options.runner;
    if (!runner) throw new StudioError('unavailable', 'serving on NATS needs the embedded runner, which this back end does not have');
    if (live.bridge) throw new StudioError('conflict', `already serving ${live.bridge.info.subject}; stop serving first`);
    const bridge = new NatsRunnerBridge(
      live.nc,
      runner,
      {
        scope: { env: REMOTE_DEFAULTS.env, tenant: REMOTE_DEFAULTS.tenant, team: REMOTE_DEFAULTS.team, ...scope },
        ...options,
        ...(this.options.telemetry ? { telemetry: this.options.telemetry } : {}),
      },
      (event) => this.options.events.emit('natsBridge', event),
    );
    live.bridge = bridge;
    try {
      await bridge.ready;
    } catch (error) {
      if (live.bridge === bridge) live.bridge = null;
      await bridge.stop(1_000);
      throw new StudioError('unavailable', `cannot consume the JetStream ingress stream: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { ...bridge.info };
  }

  async stopServing(): Promise<NatsStatus> {
    const bridge = this.live?.bridge;
    if (bridge && this.live) {
      this.live.bridge = null;
      await bridge.stop();
    }
    return this.current();
  }

  private requireLive(): LiveConnection {
    if (!this.live) throw new StudioError('unavailable', 'not connected to NATS: connect with a profile first');
    return this.live;
  }

  private setStatus(status: NatsStatusEvent): void {
    this.status = status;
    this.options.events.emit('natsStatus', status);
  }
}
