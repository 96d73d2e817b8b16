import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A two-turn flow that parks on `session.wait`: asks for a name, then greets it. */
export const GREETER_FLOW = `id: main
type: messaging
nodes:
  ask:
    emit.response:
      messages:
        - type: text
          text: "You said {{in.input.text}}. What is your name?"
    routing:
      - to: wait
  wait:
    session.wait: { reason: name }
    routing:
      - to: answer
  answer:
    emit.response:
      messages:
        - type: text
          text: "Nice to meet you, {{state.input.input.text}}!"
    routing: out
`;

/** A temporary project folder holding the greeter flow. */
export function greeterProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-nats-project-'));
  mkdirSync(path.join(dir, 'flows'));
  writeFileSync(path.join(dir, 'flows', 'main.ygtc'), GREETER_FLOW);
  return dir;
}
