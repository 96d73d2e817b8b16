import type { BotMessage, TurnStatus } from '../../../shared/api';
import type { TraceHeaders } from '../../telemetry/propagation';

/** Who a turn belongs to: the session scope of runtime.md §10.2 plus the env and team of the subject. */
export interface TurnScope {
  env: string;
  tenant: string;
  team: string;
  /** The platform (`channel_id`), the session key's provider. */
  channel: string;
  /** The thread, else the session id: the session key's conversation. */
  conversation: string;
  user: string;
}

/** One inbound message for the runner. */
export interface ChannelTurn {
  /** `{tenant}:{provider}:{conversation}:{user}`: the session a parked flow waits in. */
  sessionKey: string;
  scope: TurnScope;
  message: {
    id: string;
    text: string;
    /** Envelope metadata: every value a string. */
    metadata: Record<string, string>;
  };
  /** The message's `route`, as the gateway set it: which pack or flow it is for, where several serve the scope. */
  route?: string;
  /** The ingress subject and the trace context its message carried. */
  subject?: string;
  traceHeaders?: TraceHeaders;
}

export interface TurnOutcome {
  status: TurnStatus;
  replies: BotMessage[];
  /** Why the turn failed, when it did. */
  error?: string;
  /** The message was handled before (a redelivery): these are the replies that turn saved. */
  duplicate?: boolean;
  /** The turn failed for a passing reason (the session store unreachable or busy): try the message again later. */
  retryable?: boolean;
  /** The turn's trace context, when tracing is on: its replies carry it on. */
  traceHeaders?: TraceHeaders;
}

/** How the bridge wants its turns run. */
export interface TurnOptions {
  /** The project flow a new session starts (default: the runner's choice, usually the app flow). */
  flowPath?: string;
}

/**
 * What the NATS bridge needs from a runner: run one turn (starting the flow, or resuming the session
 * parked under `sessionKey`) and say what to reply.
 */
export interface TurnRunner {
  runTurn(turn: ChannelTurn, options?: TurnOptions): Promise<TurnOutcome>;
}
