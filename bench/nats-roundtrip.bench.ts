/**
 * NATS runner bridge on loopback: ingress -> flow -> egress round trip with 100 concurrent
 * conversations, each sending its next message as soon as the previous reply arrives. Measured with
 * a trivial runner (the bridge's own cost), with the embedded engine running an echo flow, and with
 * the engine when a JetStream stream captures the egress (as upstream's `messaging-egress-{env}`
 * does), so every reply is published with acknowledgement. The runner connects with the studio's own
 * connection options. A plain NATS request/reply round trip with the same concurrency and payload is
 * measured first in the same run: the machine is shared, so the ratios to it are steadier than the
 * absolute figures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsRunnerBridge } from '../src/runtime/channels/nats/bridge';
import { ChatRuntimeRunner } from '../src/runtime/channels/nats/chat-runner';
import { openNatsConnection } from '../src/runtime/channels/nats/connect';
import { channelMessage } from '../src/runtime/channels/nats/ingress';
import type { TurnRunner } from '../src/runtime/channels/nats/runner';
import { ChatHost } from '../src/runtime/chat/chat-host';
import { ProjectSession } from '../src/runtime/project/handlers';
import { messagingSubject } from '../src/shared/nats/subjects';
import { NatsServer } from '../test/support/nats-server';
import { drive, egressReplies, type LoadResult } from './load-driver';
import { printFigure } from './report';

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

type Result = LoadResult;

/** One round trip of conversation `index`: resolves when its reply to `turn` has arrived. */
type RoundTrip = (index: number, turn: number) => Promise<void>;

function ingressPayload(index: number, turn: number): string {
  const chatId = `bench-${index}`;
  return JSON.stringify(channelMessage({ scope, chatId, userId: `user-${index}`, msgId: `${chatId}-${turn}`, text: `hello ${turn}` }));
}

function report(label: string, result: Result, baseline?: Result): void {
  printFigure({ name: `${label}: round trip p50`, value: result.p50, unit: 'ms', ...(baseline ? { baseline: baseline.p50 } : {}) });
  printFigure({
    name: `${label}: round trip p99`,
    value: result.p99,
    unit: 'ms',
    ...(baseline ? { baseline: baseline.p99, goal: { max: 20 } } : {}),
  });
  printFigure({
    name: `${label}: throughput (${CONVERSATIONS} conversations)`,
    value: result.throughput,
    unit: 'turns/s',
    ...(baseline ? { baseline: baseline.throughput, goal: { min: 5_000 } } : {}),
  });
}

/** A responder that answers every request with its payload: the floor any bridge round trip stands on. */
async function measurePlainRequestReply(server: NatsServer): Promise<Result> {
  const responder = await connect({ servers: server.url });
  // Without the stack traces the client otherwise records per request, as the runner connects too.
  const client = await connect({ servers: server.url, noAsyncTraces: true });
  const subject = 'bench.echo';
  responder.subscribe(subject, {
    callback: (error, msg) => {
      if (!error) msg.respond(msg.data);
    },
  });
  await responder.flush();
  const roundTrip: RoundTrip = async (index, turn) => {
    await client.request(subject, ingressPayload(index, turn), { timeout: 10_000 });
  };
  await drive(WARMUP_TURNS, CONVERSATIONS, roundTrip);
  const result = await drive(MEASURED_TURNS, CONVERSATIONS, roundTrip);
  await client.close();
  await responder.close();
  return result;
}

async function measureBridge(server: NatsServer, runner: TurnRunner): Promise<Result> {
  const runnerConnection = await openNatsConnection({ name: 'bench', servers: [server.url], auth: { mode: 'none' }, tls: null });
  const gateway = await connect({ servers: server.url });
  const bridge = new NatsRunnerBridge(runnerConnection, runner, { scope }, (event) => {
    if (event.level === 'error') process.stderr.write(`${event.code}: ${event.message}\n`);
  });
  await bridge.ready;
  await runnerConnection.flush();
  const replyTo = await egressReplies(gateway, messagingSubject('egress', scope));
  const ingress = messagingSubject('ingress', scope);
  const roundTrip: RoundTrip = (index, turn) => {
    const replied = replyTo(`bench-${index}`);
    gateway.publish(ingress, ingressPayload(index, turn));
    return replied;
  };
  await drive(WARMUP_TURNS, CONVERSATIONS, roundTrip);
  const result = await drive(MEASURED_TURNS, CONVERSATIONS, roundTrip);
  await bridge.stop();
  await gateway.close();
  await runnerConnection.close();
  return result;
}

/** A stream capturing the bench's egress, so that the bridge publishes replies with acknowledgement. */
async function addEgressStream(server: NatsServer): Promise<void> {
  const admin = await connect({ servers: server.url });
  const manager = await jetstreamManager(admin);
  await manager.streams.add({ name: 'messaging-egress-bench', subjects: [`greentic.messaging.egress.${scope.env}.>`], max_msgs: 100_000 });
  await admin.close();
}

const server = await NatsServer.start({ jetstream: true });
const project = mkdtempSync(path.join(tmpdir(), 'gs-nats-bench-'));
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(`load average at start: ${load()}\n`);
try {
  const plain = await measurePlainRequestReply(server);
  report('plain NATS request/reply', plain);

  const echoRunner: TurnRunner = { runTurn: async (turn) => ({ status: 'completed', replies: [{ type: 'text', text: `Echo: ${turn.message.text}` }] }) };
  report('NATS bridge, echo runner', await measureBridge(server, echoRunner), plain);

  mkdirSync(path.join(project, 'flows'));
  writeFileSync(path.join(project, 'flows', 'main.ygtc'), ECHO_FLOW);
  const chat = new ChatHost({ projects: new ProjectSession(project) });
  const engine = new ChatRuntimeRunner(async () => (await chat.project()).runtime);
  report('NATS bridge, embedded engine (echo flow)', await measureBridge(server, engine), plain);

  await addEgressStream(server);
  report('NATS bridge, engine, JetStream-acknowledged egress', await measureBridge(server, engine), plain);
} finally {
  process.stdout.write(`load average at end: ${load()}\n`);
  await server.dispose();
  rmSync(project, { recursive: true, force: true });
}
