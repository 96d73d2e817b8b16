/**
 * A bundle's tenant and team on NATS: one ingress subject, several packs behind it. A message goes on
 * in the pack its session is parked in; a new conversation starts the flow its `route` names
 * (`pack/flow`, `pack` or `flow`), else the team's default flow: upstream's choice, the flow `default`,
 * else the only messaging flow, else the first flow the rules open.
 */
import type { SessionScope, SessionStore } from '../sessions/session-store';
import type { ChannelTurn, TurnOptions, TurnOutcome, TurnRunner } from '../channels/nats/runner';

export interface RoutedFlow {
  packId: string;
  flowId: string;
  /** The flow's `type` (`messaging`, `events`, ...). */
  kind: string;
  /** Where the pack's runtime finds the flow. */
  flowPath: string;
  /** The runner of the flow's pack. */
  runner: TurnRunner;
}

export class BundleRouteRunner implements TurnRunner {
  private readonly fallback: RoutedFlow;
  /** More than one pack serves the team, so a parked conversation's pack must be looked up. */
  private readonly severalPacks: boolean;

  /**
   * `open` are the flows the team may use, in the bundle's order; `closed` names every other flow of
   * the bundle's packs as `pack/flow`, so a route to one of them is refused rather than rerouted.
   */
  constructor(
    private readonly open: readonly RoutedFlow[],
    private readonly closed: ReadonlySet<string>,
    private readonly sessions: SessionStore,
  ) {
    const fallback = defaultFlow(open);
    if (!fallback) throw new Error('a bundle route needs at least one open flow');
    this.fallback = fallback;
    this.severalPacks = new Set(open.map((flow) => flow.packId)).size > 1;
  }

  /** The flow new conversations start when their message names none. */
  get defaultFlow(): RoutedFlow {
    return this.fallback;
  }

  async runTurn(turn: ChannelTurn, options: TurnOptions = {}): Promise<TurnOutcome> {
    const parkedIn = await this.parkedPack(turn);
    if (parkedIn !== undefined) {
      const owner = this.open.find((flow) => flow.packId === parkedIn);
      if (!owner) return refused(`the conversation waits in pack \`${parkedIn}\`, which tenant \`${turn.scope.tenant}\` team \`${turn.scope.team}\` may no longer use`);
      return owner.runner.runTurn(turn);
    }
    const chosen = turn.route ? this.routed(turn.route.trim()) : this.fallback;
    if ('forbidden' in chosen) return refused(`tenant \`${turn.scope.tenant}\` team \`${turn.scope.team}\` may not use ${chosen.forbidden} \`${turn.route?.trim()}\`: the bundle's .gmap rules forbid it`);
    return chosen.runner.runTurn(turn, { ...options, flowPath: chosen.flowPath });
  }

  /** The pack a parked session waits in; undefined when nothing waits or only one pack serves. */
  private async parkedPack(turn: ChannelTurn): Promise<string | undefined> {
    if (!this.severalPacks) return undefined;
    const record = await this.sessions.get(sessionScopeOf(turn));
    return record?.snapshot?.pack_id;
  }

  /**
   * The open flow a route names, or what kind of thing it names when the rules close it; the default
   * flow when it names nothing of the bundle (the gateway may use `route` for its own ends).
   */
  private routed(route: string): RoutedFlow | { forbidden: 'flow' | 'pack' } {
    const byFlow = this.open.find((flow) => `${flow.packId}/${flow.flowId}` === route);
    if (byFlow) return byFlow;
    if (this.closed.has(route)) return { forbidden: 'flow' };
    const ofPack = this.open.filter((flow) => flow.packId === route);
    if (ofPack.length > 0) return defaultFlow(ofPack) as RoutedFlow;
    if ([...this.closed].some((closed) => closed.startsWith(`${route}/`))) return { forbidden: 'pack' };
    const named = this.open.filter((flow) => flow.flowId === route);
    return named.length === 1 ? (named[0] as RoutedFlow) : this.fallback;
  }
}

/** The session a NATS turn belongs to, as the chat runtime keys it. */
export function sessionScopeOf(turn: ChannelTurn): SessionScope {
  const { scope } = turn;
  return { env: scope.env, tenant: scope.tenant, team: scope.team, provider: scope.channel, conversation: scope.conversation, user: scope.user };
}

function defaultFlow(flows: readonly RoutedFlow[]): RoutedFlow | undefined {
  const messaging = flows.filter((flow) => flow.kind === 'messaging');
  return flows.find((flow) => flow.flowId === 'default') ?? (messaging.length === 1 ? messaging[0] : undefined) ?? flows[0];
}

function refused(error: string): TurnOutcome {
  return { status: 'failed', replies: [], error };
}
