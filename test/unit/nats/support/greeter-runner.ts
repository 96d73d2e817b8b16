import type { ChannelTurn, TurnOutcome, TurnRunner } from '../../../../src/runtime/channels/nats/runner';

/**
 * A fake runner with the behaviour of a two-step flow that parks on `session.wait`: the first turn
 * asks for a name and waits; the next turn of the same session greets that name and completes.
 * "fail" makes the turn fail; "card" replies with an Adaptive Card. `hold` lets a test keep a turn
 * in flight.
 */
export class GreeterRunner implements TurnRunner {
  readonly waiting = new Set<string>();
  readonly turns: ChannelTurn[] = [];
  hold: Promise<void> | null = null;

  async runTurn(turn: ChannelTurn): Promise<TurnOutcome> {
    this.turns.push(turn);
    if (this.hold) await this.hold;
    const text = turn.message.text;
    if (text === 'fail') throw new Error('component exploded');
    if (text === 'card') {
      return { status: 'completed', replies: [{ type: 'adaptive_card', card: { type: 'AdaptiveCard', version: '1.5', body: [] } }] };
    }
    if (this.waiting.delete(turn.sessionKey)) {
      return { status: 'completed', replies: [{ type: 'text', text: `Hello ${text} (${turn.scope.tenant})` }] };
    }
    this.waiting.add(turn.sessionKey);
    return { status: 'waiting', replies: [{ type: 'text', text: 'What is your name?' }] };
  }
}
