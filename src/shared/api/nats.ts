import { z } from 'zod';
import { KNOWN_PLATFORMS } from '../nats/subjects';
import { method } from './define';

/**
 * The studio's NATS panel: named connection profiles (secrets stay in the back end), one live
 * connection with pushed status, a filtered traffic view of `greentic.messaging.>`, a "remote runner"
 * chat target that publishes ingress and shows the egress replies, and serving the open project on NATS.
 */

export type NatsAuthMode = 'none' | 'userpass' | 'token' | 'nkey' | 'creds';

/** A profile as the UI sees it: which secrets are stored, never the secrets themselves. */
export interface NatsProfileSummary {
  name: string;
  servers: string[];
  auth: {
    mode: NatsAuthMode;
    /** The user name of `userpass` (not a secret). */
    user?: string;
    /** Whether the password, token, seed or credentials of `mode` are stored. */
    hasSecret: boolean;
    /** The public key of an NKEY seed or of the user in a credentials file. */
    publicKey?: string;
  };
  tls: { enabled: boolean; hasCa: boolean; hasClientCert: boolean; hasClientKey: boolean };
}

export type NatsConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Why a connection failed, so the UI can say "wrong credentials" apart from "server down" or "bad TLS". */
export type NatsProblemKind = 'auth' | 'refused' | 'tls' | 'timeout' | 'protocol' | 'other';

export interface NatsProblem {
  kind: NatsProblemKind;
  message: string;
}

export interface NatsStatusEvent {
  profile: string | null;
  state: NatsConnectionState;
  /** `host:port` of the server in use, when connected. */
  server?: string;
  error?: NatsProblem;
}

export interface NatsServeInfo {
  env: string;
  tenant: string;
  team: string;
  /** The ingress pattern subscribed to, e.g. `greentic.messaging.ingress.dev.demo.default.*`. */
  subject: string;
  queueGroup: string;
  /** The project flow each conversation runs, when one was picked (else the project's app flow). */
  flowPath?: string;
  /** How ingress arrives: a core NATS queue subscription, or a durable JetStream consumer when a stream captures the subjects. */
  ingress?: 'core' | 'jetstream';
  /** The JetStream stream and durable consumer, with `ingress: 'jetstream'`. */
  stream?: string;
  consumer?: string;
}

export interface NatsStatus extends NatsStatusEvent {
  serving: NatsServeInfo | null;
}

export interface NatsTrafficMessage {
  subject: string;
  direction: 'ingress' | 'egress';
  env: string;
  tenant: string;
  team: string;
  platform: string;
  /** ISO 8601 time the studio received the message. */
  receivedAt: string;
  /** Payload size in bytes. */
  size: number;
  /** The payload as text, cut to a preview bound when `truncated`. */
  payload: string;
  truncated: boolean;
}

/** Traffic arrives in small batches; `dropped` counts messages skipped because the view could not keep up. */
export interface NatsTrafficEvent {
  watchId: string;
  messages: NatsTrafficMessage[];
  dropped: number;
}

/** `served` summarises the turns answered since the last summary, at most about once a second. */
export type NatsBridgeEventCode =
  | 'rejected'
  | 'turn_failed'
  | 'turn_retry'
  | 'duplicate'
  | 'dropped'
  | 'publish_retry'
  | 'served'
  | 'serving'
  | 'stopped';

/** What the bridge has done since it started serving. */
export interface NatsBridgeStats {
  received: number;
  rejected: number;
  /** Turns answered (a turn that parks on `session.wait` counts too). */
  completed: number;
  failed: number;
  /** Replies that could not be delivered. */
  dropped: number;
}

/** The runner bridge's log: rejected ingress, failed turns, replies that could not be delivered. */
export interface NatsBridgeEvent {
  level: 'info' | 'warn' | 'error';
  code: NatsBridgeEventCode;
  message: string;
  subject?: string;
  /** The bridge's counters when the event was sent. */
  stats: NatsBridgeStats;
}

export interface RemoteConversationInfo {
  /** Also the `chat_id` and `session_id` of the ingress messages; replies arrive as `reply` events with it. */
  conversationId: string;
  env: string;
  tenant: string;
  team: string;
  platform: string;
  user: string;
  ingressSubject: string;
  egressSubject: string;
}

const profileName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w .-]+$/, 'a profile name may use letters, digits, space, `_`, `-` and `.`');

// `nats://host:port`, `tls://host:port` or a bare `host[:port]`; credentials never go in the URL.
const serverUrl = z
  .string()
  .min(1)
  .max(512)
  .regex(/^((nats|tls):\/\/)?[^\s/@]+$/, 'a server is `nats://host:port`, `tls://host:port` or `host:port`, without credentials');

const secret = z.string().min(1).max(64 * 1024);
const pem = z.string().min(1).max(64 * 1024).regex(/-----BEGIN [A-Z0-9 ]+-----/, 'expected PEM text');

/** Secrets left out keep the ones stored for the profile, so the UI never needs to read them back. */
const authInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('userpass'), user: z.string().min(1).max(256), password: secret.optional() }).strict(),
  z.object({ mode: z.literal('token'), token: secret.optional() }).strict(),
  z.object({ mode: z.literal('nkey'), seed: secret.optional() }).strict(),
  z.object({ mode: z.literal('creds'), creds: secret.optional() }).strict(),
]);

const tlsInput = z
  .object({
    enabled: z.boolean(),
    ca: pem.nullable().optional(),
    cert: pem.nullable().optional(),
    /** The client key is a secret: omitted keeps the stored one, null removes it. */
    key: pem.nullable().optional(),
  })
  .strict();

export const natsProfileInput = z
  .object({ name: profileName, servers: z.array(serverUrl).min(1).max(16), auth: authInput, tls: tlsInput.optional() })
  .strict();

export type NatsProfileInput = z.output<typeof natsProfileInput>;

const scopeToken = z.string().min(1).max(128);
const scope = {
  env: scopeToken.optional(),
  tenant: scopeToken.optional(),
  team: scopeToken.optional(),
};

export const natsMethods = {
  listNatsProfiles: method<NatsProfileSummary[]>()(z.object({}).strict()),
  saveNatsProfile: method<NatsProfileSummary>()(natsProfileInput),
  deleteNatsProfile: method<{ deleted: boolean }>()(z.object({ name: profileName }).strict()),

  connectNats: method<NatsStatus>()(z.object({ profile: profileName }).strict()),
  disconnectNats: method<NatsStatus>()(z.object({}).strict()),
  getNatsStatus: method<NatsStatus>()(z.object({}).strict()),

  /** Every field narrows the view; pause and search are the panel's own business. */
  watchNatsTraffic: method<{ watchId: string; subject: string }>()(
    z
      .object({ direction: z.enum(['ingress', 'egress']).optional(), ...scope, platform: scopeToken.optional() })
      .strict(),
  ),
  unwatchNatsTraffic: method<{ stopped: boolean }>()(z.object({ watchId: z.string().min(1).max(64) }).strict()),

  startRemoteConversation: method<RemoteConversationInfo>()(
    z.object({ ...scope, platform: z.enum(KNOWN_PLATFORMS).optional(), user: scopeToken.optional() }).strict(),
  ),
  sendRemoteMessage: method<{ msgId: string; subject: string }>()(
    z
      .object({
        conversationId: z.string().min(1).max(256),
        text: z.string().max(64 * 1024).optional(),
        submit: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .refine((p) => p.text !== undefined || p.submit !== undefined, 'either text or submit is required'),
  ),
  endRemoteConversation: method<{ ended: boolean }>()(z.object({ conversationId: z.string().min(1).max(256) }).strict()),

  /** Serve the open project on the connected server: the embedded runner answers ingress for the scope. */
  serveOnNats: method<NatsServeInfo>()(
    z.object({ ...scope, queueGroup: scopeToken.optional(), flowPath: z.string().min(1).max(1024).optional() }).strict(),
  ),
  stopServingOnNats: method<NatsStatus>()(z.object({}).strict()),
};
