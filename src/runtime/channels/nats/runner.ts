import type { BotMessage, TurnStatus } from '../../../shared/api';
import type { ChannelMessageEnvelope } from './envelope';

/** The flow input of spec/runtime.md §1.1: the envelope under `input`, plus tenant, team and correlation. */
export interface FlowInput {
  input: ChannelMessageEnvelope;
  tenant: string;
  team: string;
  correlation_id: string;
}

/** One inbound message for the runner: its flow input and the canonical session key (runtime.md §10.2). */
export interface ChannelTurn {
  sessionKey: string;
  flowInput: FlowInput;
}

export interface TurnOutcome {
  status: TurnStatus;
  replies: BotMessage[];
  /** Why the turn failed, when it did. */
  error?: string;
}

/**
 * What the NATS bridge needs from a runner: run one turn (starting the flow, or resuming the session
 * parked under `sessionKey`) and say what to reply. The embedded engine is adapted to this.
 */
export interface TurnRunner {
  runTurn(turn: ChannelTurn): Promise<TurnOutcome>;
}
