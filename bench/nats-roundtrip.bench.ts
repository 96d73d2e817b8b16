/**
 * NATS runner bridge on loopback: ingress -> flow -> egress round trip with 100 concurrent
 * conversations, each sending its next message as soon as the previous reply arrives. Measured once
 * with a trivial runner (the bridge's own cost) and once with the embedded engine running an echo flow.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsRunnerBridge } from '../src/runtime/channels/nats/bridge';
import { ChatRuntimeRunner } from '../src/runtime/channels/nats/chat-runner';
import { channelMessage } from '../src/runtime/channels/nats/ingress';
import type { TurnRunner } from '../src/runtime/channels/nats/runner';
import { ChatHost } from '../src/runtime/chat/chat-host';
import { ProjectSession } from '../src/runtime/project/handlers';
import { messagingSubject } from '../src/shared/nats/subjects';
import { NatsServer } from '../test/unit/nats/support/nats-server';
import { percentile, printFigure } from './report';

const CONVERSATIONS = 100;
const WARMUP_TURNS = 2_000;
const MEASURED_TURNS = 20_000;
const scope = { env: 'bench', tenant: 'acme', team: 'default', platform: 'webchat' };

const ECHO_FLOW = `id: main
type: messaging
nodes:
  echo:
    emit.response:
      messages:
        - type: text
          text: "Echo: {{in.input.text}}"
    routing: out
`;

interface Result {
  latencies: number[];
  seconds: number;
}

/** Drives `turns` round trips through the bridge from CONVERSATIONS concurrent conversations. */
async function drive(gateway: NatsConnection, turns: number): Promise<Result> {
  const ingress = messagingSubject('ingress', scope);
  const waiting = new Map<string, () => void>();
  const sub = gateway.subscribe(messagingSubject('egress', scope), {
    callback: (error, msg) => {
      if (error) return;
      const chatId = msg.json<{ chat_id: string }>().chat_id;
      const wake = waiting.get(chatId);
      waiting.delete(chatId);
      wake?.();
    },
  });
  await gateway.flush();

  const latencies: number[] = [];
  let issued = 0;
  const conversation = async (index: number) => {
    const chatId = `bench-${index}`;
    while (issued < turns) {
      issued += 1;
      const start = process.hrtime.bigint();
      const replied = new Promise<void>((resolve) => waiting.set(chatId, resolve));
      const message = channelMessage({ scope, chatId, userId: `user-${index}`, msgId: `${chatId}-${issued}`, text: `hello ${issued}` });
      gateway.publish(ingress, JSON.stringify(message));
      await replied;
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONVERSATIONS }, (_, index) => conversation(index)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sub.unsubscribe();
  return { latencies, seconds };
}

async function measure(label: string, server: NatsServer, runner: TurnRunner): Promise<void> {
  const runnerConnection = await connect({ servers: server.url });
  const gateway = await connect({ servers: server.url });
  const bridge = new NatsRunnerBridge(runnerConnection, runner, { scope }, (event) => {
    if (event.level === 'error') process.stderr.write(`${event.code}: ${event.message}\n`);
  });
  await runnerConnection.flush();
  await drive(gateway, WARMUP_TURNS);
  const { latencies, seconds } = await drive(gateway, MEASURED_TURNS);
  printFigure({ name: `${label}: round trip p50`, value: percentile(latencies, 50), unit: 'ms' });
  printFigure({ name: `${label}: round trip p99`, value: percentile(latencies, 99), unit: 'ms', goal: { max: 20 } });
  printFigure({ name: `${label}: throughput (${CONVERSATIONS} conversations)`, value: latencies.length / seconds, unit: 'turns/s', goal: { min: 5_000 } });
  await bridge.stop();
  await gateway.close();
  await runnerConnection.close();
}

const server = await NatsServer.start();
const project = mkdtempSync(path.join(tmpdir(), 'gs-nats-bench-'));
try {
  const echoRunner: TurnRunner = { runTurn: async (turn) => ({ status: 'completed', replies: [{ type: 'text', text: `Echo: ${turn.message.text}` }] }) };
  await measure('NATS bridge, echo runner', server, echoRunner);

  mkdirSync(path.join(project, 'flows'));
  writeFileSync(path.join(project, 'flows', 'main.ygtc'), ECHO_FLOW);
  const chat = new ChatHost({ projects: new ProjectSession(project) });
  await measure('NATS bridge, embedded engine (echo flow)', server, new ChatRuntimeRunner(async () => (await chat.project()).runtime));
} finally {
  await server.dispose();
  rmSync(project, { recursive: true, force: true });
}
