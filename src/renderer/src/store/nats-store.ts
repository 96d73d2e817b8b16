/** The NATS workspace's state: profiles, the connection, the live traffic view and serving the project. */
import { create } from 'zustand';
import {
  StudioError,
  type NatsBridgeEvent,
  type NatsBridgeStats,
  type NatsProfileInput,
  type NatsProfileSummary,
  type NatsServeInfo,
  type NatsStatus,
  type NatsTrafficMessage,
} from '../../../shared/api';
import { sanitizeSubjectSegment, type MessagingDirection } from '../../../shared/nats/subjects';
import { studio } from '../api/studio';
import { messageSummary } from '../nats/message-text';
import { messageOf } from './errors';

export interface TrafficEntry extends NatsTrafficMessage {
  key: number;
  /** What the message says, in one line (see `messageSummary`). */
  summary: string;
}

/** Every field narrows the traffic view; a missing one matches anything. */
export interface TrafficFilter {
  direction?: MessagingDirection;
  env?: string;
  tenant?: string;
  team?: string;
  platform?: string;
}

export interface BridgeLogEntry extends NatsBridgeEvent {
  key: number;
  at: string;
}

/** Messages the list keeps; older ones are cut and counted. */
export const MAX_TRAFFIC_SHOWN = 1_000;
/** Messages held while paused; beyond it the oldest held ones are cut and counted. */
export const MAX_TRAFFIC_HELD = 5_000;
const MAX_BRIDGE_LOG = 200;

interface NatsState {
  profiles: NatsProfileSummary[];
  profilesLoaded: boolean;
  status: NatsStatus;
  /** The last failed action (saving a profile, serving...), for a banner. */
  actionError: string | null;

  filter: TrafficFilter;
  watchId: string | null;
  /** The subscription the view shows, e.g. `greentic.messaging.*.*.demo.*.*`. */
  watchSubject: string | null;
  /** Oldest first. */
  messages: TrafficEntry[];
  /** Cut from the list by its bound. */
  olderDropped: number;
  /** Skipped by the back end because they came faster than the view takes them. */
  skipped: number;
  paused: boolean;
  /** Arrived while paused, shown on resume. */
  held: TrafficEntry[];
  search: string;
  selectedKey: number | null;

  bridgeLog: BridgeLogEntry[];
  bridgeStats: NatsBridgeStats | null;

  load(): Promise<void>;
  saveProfile(input: NatsProfileInput): Promise<NatsProfileSummary | null>;
  deleteProfile(name: string): Promise<void>;
  connect(profile: string): Promise<void>;
  disconnect(): Promise<void>;
  setFilter(filter: TrafficFilter): Promise<void>;
  pause(): void;
  resume(): void;
  clearTraffic(): void;
  setSearch(search: string): void;
  select(key: number | null): void;
  serve(scope: { env: string; tenant: string; team: string }): Promise<NatsServeInfo | null>;
  stopServing(): Promise<void>;
  dismissError(): void;
}

const idle: NatsStatus = { profile: null, state: 'disconnected', serving: null };
let nextKey = 1;
let loading: Promise<void> | null = null;
/** Bumped whenever the watch is replaced, so a slow watch call cannot install a stale id. */
let watchGeneration = 0;

export const useNats = create<NatsState>((set, get) => {
  /** Runs a call; a failure goes to the banner and yields null. */
  async function attempt<T>(call: () => Promise<T>): Promise<T | null> {
    set({ actionError: null });
    try {
      return await call();
    } catch (error) {
      set({ actionError: messageOf(error) });
      return null;
    }
  }

  async function refreshProfiles(): Promise<void> {
    set({ profiles: await studio.listNatsProfiles({}), profilesLoaded: true });
  }

  return {
    profiles: [],
    profilesLoaded: false,
    status: idle,
    actionError: null,
    filter: {},
    watchId: null,
    watchSubject: null,
    messages: [],
    olderDropped: 0,
    skipped: 0,
    paused: false,
    held: [],
    search: '',
    selectedKey: null,
    bridgeLog: [],
    bridgeStats: null,

    load() {
      loading ??= (async () => {
        const [status] = await Promise.all([studio.getNatsStatus({}), refreshProfiles()]);
        set({ status });
        if (status.state === 'connected' || status.state === 'reconnecting') await startWatch();
      })().catch((error: unknown) => {
        loading = null;
        set({ actionError: messageOf(error) });
      });
      return loading;
    },

    async saveProfile(input) {
      return attempt(async () => {
        const saved = await studio.saveNatsProfile(input);
        await refreshProfiles();
        return saved;
      });
    },

    async deleteProfile(name) {
      await attempt(async () => {
        await studio.deleteNatsProfile({ name });
        await refreshProfiles();
      });
    },

    async connect(profile) {
      set({ actionError: null });
      try {
        set({ status: await studio.connectNats({ profile }) });
      } catch (error) {
        // A connection problem (it has a kind) is in the status already, which the panel shows.
        if (!(error instanceof StudioError && isRecord(error.details) && 'kind' in error.details)) set({ actionError: messageOf(error) });
      }
    },

    async disconnect() {
      const status = await attempt(() => studio.disconnectNats({}));
      if (status) set({ status });
    },

    async setFilter(filter) {
      const clean = cleanFilter(filter);
      set((state) => ({ filter: clean, messages: state.messages.filter((m) => matchesFilter(m, clean)), held: [], selectedKey: null }));
      if (get().watchId !== null || isLive(get().status)) await startWatch();
    },

    pause: () => set({ paused: true }),

    resume() {
      const { messages, held } = get();
      set({ paused: false, held: [], ...capped([...messages, ...held], get().olderDropped) });
    },

    clearTraffic: () => set({ messages: [], held: [], olderDropped: 0, skipped: 0, selectedKey: null }),
    setSearch: (search) => set({ search }),
    select: (selectedKey) => set({ selectedKey }),

    async serve(scope) {
      const info = await attempt(() => studio.serveOnNats(scope));
      if (info) set((state) => ({ status: { ...state.status, serving: info } }));
      return info;
    },

    async stopServing() {
      const status = await attempt(() => studio.stopServingOnNats({}));
      if (status) set({ status });
    },

    dismissError: () => set({ actionError: null }),
  };
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isLive(status: NatsStatus): boolean {
  return status.state === 'connected' || status.state === 'reconnecting';
}

/** Replaces the traffic subscription with one for the current filter. */
async function startWatch(): Promise<void> {
  const generation = ++watchGeneration;
  const { watchId: previous, filter } = useNats.getState();
  useNats.setState({ watchId: null });
  if (previous) void studio.unwatchNatsTraffic({ watchId: previous }).catch(() => undefined);
  try {
    const { watchId, subject } = await studio.watchNatsTraffic(filter);
    if (generation !== watchGeneration) {
      void studio.unwatchNatsTraffic({ watchId }).catch(() => undefined);
      return;
    }
    useNats.setState({ watchId, watchSubject: subject });
  } catch (error) {
    if (generation === watchGeneration) useNats.setState({ actionError: `cannot watch the traffic: ${messageOf(error)}` });
  }
}

function stopWatch(): void {
  watchGeneration += 1;
  useNats.setState({ watchId: null, watchSubject: null });
}

function cleanFilter(filter: TrafficFilter): TrafficFilter {
  const clean: TrafficFilter = {};
  if (filter.direction) clean.direction = filter.direction;
  for (const field of ['env', 'tenant', 'team', 'platform'] as const) {
    const value = filter[field]?.trim();
    if (value) clean[field] = value;
  }
  return clean;
}

export function matchesFilter(message: NatsTrafficMessage, filter: TrafficFilter): boolean {
  if (filter.direction && message.direction !== filter.direction) return false;
  return (['env', 'tenant', 'team', 'platform'] as const).every((field) => {
    const wanted = filter[field];
    return wanted === undefined || sanitizeSubjectSegment(wanted) === message[field];
  });
}

/** Case-insensitive search over the subject and the payload text. */
export function matchesSearch(message: NatsTrafficMessage, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || message.subject.toLowerCase().includes(needle) || message.payload.toLowerCase().includes(needle);
}

function capped(messages: TrafficEntry[], olderDropped: number): { messages: TrafficEntry[]; olderDropped: number } {
  const over = messages.length - MAX_TRAFFIC_SHOWN;
  return over > 0 ? { messages: messages.slice(over), olderDropped: olderDropped + over } : { messages, olderDropped };
}

studio.on('natsStatus', (event) => {
  const previous = useNats.getState().status;
  // A new connection (or none) has neither the old traffic subscription nor the old bridge.
  const fresh = event.state === 'connecting' || event.state === 'closed' || (event.state === 'disconnected' && previous.state === 'connecting');
  useNats.setState({ status: { ...event, serving: fresh ? null : previous.serving } });
  if (fresh) stopWatch();
  else if (event.state === 'connected' && useNats.getState().watchId === null) void startWatch();
});

studio.on('natsTraffic', (event) => {
  const state = useNats.getState();
  if (event.watchId !== state.watchId) return;
  const incoming = event.messages.map((message) => ({ ...message, key: nextKey++, summary: messageSummary(message) }));
  const skipped = state.skipped + event.dropped;
  if (state.paused) {
    const held = [...state.held, ...incoming];
    const over = held.length - MAX_TRAFFIC_HELD;
    useNats.setState(over > 0 ? { held: held.slice(over), olderDropped: state.olderDropped + over, skipped } : { held, skipped });
  } else {
    useNats.setState({ ...capped([...state.messages, ...incoming], state.olderDropped), skipped });
  }
});

studio.on('natsBridge', (event) => {
  useNats.setState((state) => ({
    bridgeLog: [...state.bridgeLog, { ...event, key: nextKey++, at: new Date().toISOString() }].slice(-MAX_BRIDGE_LOG),
    bridgeStats: event.stats,
    ...(event.code === 'stopped' ? { status: { ...state.status, serving: null } } : {}),
  }));
});

// A reloaded page starts its own watch; the old one should not keep streaming to nobody.
window.addEventListener('pagehide', () => {
  const { watchId } = useNats.getState();
  if (watchId) void studio.unwatchNatsTraffic({ watchId }).catch(() => undefined);
});
