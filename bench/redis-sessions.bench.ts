/**
 * Shared sessions: turns per second and round-trip p50 / p99 of `serve --nats` runner processes on
 * loopback, with one runner keeping sessions in memory, one in Redis, and three sharing one Redis
 * in one queue group. Every conversation runs the greeter flow, which parks at a `session.wait`
 * and completes on the next message, so each pair of turns reads, saves and removes a session.
 * A bare Redis GET + SET round trip is measured in the same run beside them: the machine is
 * shared, so what Redis costs a turn is read against what a Redis round trip costs right now.
 * Goals: Redis adds under 1 ms to a turn at p50; three runners answer at least as many turns per
 * second as one.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { connect } from '@nats-io/transport-node';
import { createClient } from 'redis';
import { channelMessage } from '../src/runtime/channels/nats/ingress';
import { messagingSubject } from '../src/shared/nats/subjects';
import { greeterProject } from '../test/unit/nats/support/project';
import { NatsServer } from '../test/support/nats-server';
import { RedisServer } from '../test/support/redis-server';
import { startRunner, type RunnerProcess } from '../test/support/runner-process';
import { drive, egressReplies, type LoadResult } from './load-driver';
import { printFigure } from './report';

/** Conversations at once when measuring throughput; latency is measured with one, so that no turn queues behind another. */
const CONVERSATIONS = 50;
const WARMUP_TURNS = 2_000;
const MEASURED_TURNS = 12_000;
const LATENCY_TURNS = 2_000;
const scope = { env: 'bench', tenant: 'acme', team: 'default', platform: 'webchat' };

type Result = LoadResult;

interface RunnerResult {
  /** One conversation at a time: what a turn costs. */
  latency: Result;
  /** CONVERSATIONS at once: how many turns the runners answer. */
  load: Result;
}

async function measureRedisRoundTrip(redis: RedisServer): Promise<Result> {
  const client = createClient({ url: redis.url() });
  await client.connect();
  const roundTrip = async (index: number, turn: number) => {
    await client.set(`bench:${index}`, `value ${turn}`);
    await client.get(`bench:${index}`);
  };
  await drive(WARMUP_TURNS, 1, roundTrip);
  const result = await drive(MEASURED_TURNS, 1, roundTrip);
  await client.close();
  return result;
}

/** Drives the greeter flow through whatever runners serve the bench scope: 'hi' parks, a name completes. */
async function measureRunners(nats: NatsServer): Promise<RunnerResult> {
  const gateway = await connect({ servers: nats.url, noAsyncTraces: true });
  const replyTo = await egressReplies(gateway, messagingSubject('egress', scope));
  const ingress = messagingSubject('ingress', scope);
  const roundTrip = (index: number, turn: number) => {
    const chatId = `bench-${index}`;
    const replied = replyTo(chatId);
    // Each conversation alternates: an even turn starts the flow, an odd one answers its question.
    const text = turn % 2 === 0 ? 'hi' : `Ada ${turn}`;
    gateway.publish(ingress, JSON.stringify(channelMessage({ scope, chatId, userId: `user-${index}`, msgId: `${chatId}-${turn}`, text })));
    return replied;
  };
  // Loop i always sends turns of its own conversation, so a conversation's turns never overlap.
  const perLoop = new Array<number>(CONVERSATIONS).fill(0);
  const alternating = (index: number) => roundTrip(index, (perLoop[index] = (perLoop[index] ?? 0) + 1));
  await drive(WARMUP_TURNS, CONVERSATIONS, alternating);
  const latency = await drive(LATENCY_TURNS, 1, alternating);
  const load = await drive(MEASURED_TURNS, CONVERSATIONS, alternating);
  await gateway.close();
  return { latency, load };
}

async function withRunners<T>(count: number, args: string[], work: () => Promise<T>): Promise<T> {
  const runners: RunnerProcess[] = await Promise.all(Array.from({ length: count }, () => startRunner(args)));
  try {
    return await work();
  } finally {
    await Promise.all(runners.map((runner) => runner.stop()));
  }
}

function report(label: string, result: RunnerResult, baseline?: RunnerResult, goals: { addedP50?: number; minRatio?: number } = {}): void {
  printFigure({ name: `${label}: turn p50 (one conversation)`, value: result.latency.p50, unit: 'ms' });
  printFigure({ name: `${label}: turn p99 (one conversation)`, value: result.latency.p99, unit: 'ms' });
  if (baseline && goals.addedP50 !== undefined) {
    printFigure({ name: `${label}: p50 added to a turn`, value: result.latency.p50 - baseline.latency.p50, unit: 'ms', goal: { max: goals.addedP50 } });
  }
  printFigure({ name: `${label}: turn p50 (${CONVERSATIONS} conversations)`, value: result.load.p50, unit: 'ms' });
  printFigure({ name: `${label}: turn p99 (${CONVERSATIONS} conversations)`, value: result.load.p99, unit: 'ms' });
  printFigure({
    name: `${label}: throughput (${CONVERSATIONS} conversations)`,
    value: result.load.throughput,
    unit: 'turns/s',
    ...(baseline ? { baseline: baseline.load.throughput } : {}),
    ...(baseline && goals.minRatio !== undefined ? { goal: { min: Math.round(baseline.load.throughput * goals.minRatio) } } : {}),
  });
}

const [nats, redis] = await Promise.all([NatsServer.start(), RedisServer.start()]);
const project = greeterProject();
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(`load average at start: ${load()}\n`);
try {
  const bare = await measureRedisRoundTrip(redis);
  printFigure({ name: 'bare Redis SET + GET round trip p50', value: bare.p50, unit: 'ms' });
  printFigure({ name: 'bare Redis SET + GET round trip p99', value: bare.p99, unit: 'ms' });

  const served = [project, '--nats', nats.url, '--env', scope.env, '--tenant', scope.tenant];
  const memory = await withRunners(1, [...served, '--sessions', 'memory'], () => measureRunners(nats));
  report('1 runner, memory sessions', memory);
  const oneRedis = await withRunners(1, [...served, '--sessions', redis.url()], () => measureRunners(nats));
  report(`1 runner, Redis sessions`, oneRedis, memory, { addedP50: 1 });
  const threeRedis = await withRunners(3, [...served, '--sessions', redis.url()], () => measureRunners(nats));
  report(`3 runners, one Redis`, threeRedis, oneRedis, { minRatio: 1 });
} finally {
  process.stdout.write(`load average at end: ${load()}\n`);
  await Promise.all([nats.dispose(), redis.dispose()]);
  rmSync(project, { recursive: true, force: true });
}
