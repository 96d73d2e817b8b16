import { rmSync } from 'node:fs';
import { AckPolicy, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableName } from '../../src/runtime/channels/nats/ingress-source';
import { Gateway, type OutMessageJson, type Scope } from '../unit/nats/support/gateway';
import { greeterProject } from '../unit/nats/support/project';
import { NatsServer } from '../support/nats-server';
import { RedisServer } from '../support/redis-server';
import { runServeToExit, startRunner, type RunnerProcess } from '../support/runner-process';

/**
 * Several `serve --nats --sessions redis://…` processes on one bus and one Redis behave as one
 * runner: conversations park at a `session.wait` on one runner and resume on whichever runner the
 * next message lands, through a runner killed with SIGKILL, a Redis restart and (with JetStream)
 * a runner killed while turns are in flight. Each conversation must end with exactly its replies.
 */

const CONVERSATIONS = 300;
const ASK = 'You said hi. What is your name?';
const greet = (name: string) => `Nice to meet you, ${name}!`;

describe('three runners sharing sessions in Redis', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let project: string;
  let gateway: Gateway;
  const runners: RunnerProcess[] = [];

  beforeAll(async () => {
    [nats, redis] = await Promise.all([NatsServer.start({ jetstream: true }), RedisServer.start({ password: 'runner-secret' })]);
    project = greeterProject();
    gateway = await Gateway.connect(nats.url);
    await gateway.listen();
    // The ingress of two tenants goes through JetStream; the third (acme) stays on core NATS.
    const manager = await jetstreamManager(gateway.nc);
    await manager.streams.add({
      name: 'messaging-ingress-dev',
      subjects: ['greentic.messaging.ingress.dev.globex.>', 'greentic.messaging.ingress.dev.initech.>'],
      retention: RetentionPolicy.Workqueue,
    });
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop('SIGKILL')));
    await gateway?.close();
    await Promise.all([nats?.dispose(), redis?.dispose()]);
    rmSync(project, { recursive: true, force: true });
  });

  const startRunners = async (tenant: string, count: number) => {
    const started = await Promise.all(
      Array.from({ length: count }, () => startRunner([project, '--nats', nats.url, '--tenant', tenant, '--sessions', redis.url(3)])),
    );
    runners.push(...started);
    return started;
  };

  /** Waits until each conversation has `count` distinct replies; the same reply id never carries two texts. */
  const repliesOf = async (scope: Scope, chats: string[], count: number, timeoutMs: number) => {
    const distinct = (chat: string) => {
      const byId = new Map<string, OutMessageJson>();
      for (const reply of gateway.received(scope, chat)) {
        const id = String(reply.meta.msg_id);
        const seen = byId.get(id);
        if (seen && seen.text !== reply.text) throw new Error(`reply ${id} of ${chat} came with two texts: '${seen.text}' and '${reply.text}'`);
        byId.set(id, reply);
      }
      return [...byId.values()].map((reply) => reply.text);
    };
    await expect
      .poll(() => chats.filter((chat) => distinct(chat).length < count).length, { timeout: timeoutMs, interval: 200 })
      .toBe(0);
    return new Map(chats.map((chat) => [chat, distinct(chat)]));
  };

  it('resumes every parked conversation on any runner, through a runner killed while they are parked and a Redis restart', async () => {
    const scope: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };
    const [first, second, third] = await startRunners('acme', 3);
    for (const runner of [first, second, third]) {
      expect(runner?.ready).toMatchObject({
        nats: 'connected',
        ingress: 'core',
        sessions: { backend: 'redis', url: `redis://:***@127.0.0.1:${redis.port}/3`, namespace: 'greentic:session:dev' },
      });
    }
    const chats = Array.from({ length: CONVERSATIONS }, (_, index) => `parked-${index}`);
    for (const chat of chats) gateway.send(scope, chat, 'hi', { msgId: `${chat}-hi` });
    const asked = await repliesOf(scope, chats, 1, 60_000);
    for (const chat of chats) expect(asked.get(chat)).toEqual([ASK]);

    // A runner dies with every conversation parked; then Redis restarts under the two others.
    await first?.stop('SIGKILL');
    await redis.restart();
    for (const runner of [second, third]) await expect.poll(() => runner?.stderr ?? '', { timeout: 30_000 }).toContain('"state":"ready"');

    for (const [index, chat] of chats.entries()) gateway.send(scope, chat, `Ada${index}`, { msgId: `${chat}-name` });
    const answered = await repliesOf(scope, chats, 2, 60_000);
    for (const [index, chat] of chats.entries()) expect(answered.get(chat)).toEqual([ASK, greet(`Ada${index}`)]);

    // Each message answered once: a redelivered id is skipped (its saved replies go out again, same ids).
    gateway.send(scope, 'parked-0', 'Ada0', { msgId: 'parked-0-name' });
    gateway.send(scope, 'parked-0', 'again', { msgId: 'parked-0-again' });
    const after = await repliesOf(scope, ['parked-0'], 3, 30_000);
    expect(after.get('parked-0')).toEqual([ASK, greet('Ada0'), 'You said again. What is your name?']);
    await Promise.all([second?.stop(), third?.stop()]);
  });

  it('with a JetStream ingress stream: one durable consumer, and the turns of a runner killed mid-flight are redelivered to the others', async () => {
    const scope: Scope = { env: 'dev', tenant: 'globex', team: 'default', platform: 'webchat' };
    const manager = await jetstreamManager(gateway.nc);
    // As an operator provisions it: a short ack wait, so that a dead runner's deliveries come back soon.
    const consumer = durableName('greentic-runner', { env: 'dev', tenant: 'globex', team: 'default' });
    await manager.consumers.add('messaging-ingress-dev', {
      durable_name: consumer,
      filter_subject: 'greentic.messaging.ingress.dev.globex.default.*',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(2_000),
      max_deliver: 50,
    });
    const [victim, ...survivors] = await startRunners('globex', 3);
    for (const runner of [victim, ...survivors]) expect(runner?.ready).toMatchObject({ ingress: 'jetstream', stream: 'messaging-ingress-dev', consumer });

    const chats = Array.from({ length: CONVERSATIONS }, (_, index) => `inflight-${index}`);
    for (const chat of chats) gateway.send(scope, chat, 'hi', { msgId: `${chat}-hi` });
    await repliesOf(scope, chats, 1, 60_000);

    // The names go out in one burst and a runner dies in the middle of it.
    for (const [index, chat] of chats.entries()) gateway.send(scope, chat, `Bo${index}`, { msgId: `${chat}-name` });
    await gateway.nc.flush();
    await victim?.stop('SIGKILL');

    const answered = await repliesOf(scope, chats, 2, 90_000);
    for (const [index, chat] of chats.entries()) expect(answered.get(chat)).toEqual([ASK, greet(`Bo${index}`)]);
    // Nothing is left for the consumer to deliver: every message was acknowledged after its turn.
    await expect
      .poll(async () => {
        const info = await manager.consumers.info('messaging-ingress-dev', consumer);
        return info.num_pending + info.num_ack_pending;
      }, { timeout: 30_000 })
      .toBe(0);
    // Deliveries the dead runner held unacknowledged went out again: more deliveries than messages.
    const { delivered } = await manager.consumers.info('messaging-ingress-dev', consumer);
    expect(delivered.consumer_seq).toBeGreaterThan(delivered.stream_seq);
    await Promise.all(survivors.map((runner) => runner.stop()));
  });

  it('with JetStream, turns that fail while Redis is down are retried once it is back: nothing lost, nothing doubled', async () => {
    const scope: Scope = { env: 'dev', tenant: 'initech', team: 'default', platform: 'webchat' };
    const pair = await startRunners('initech', 2);
    for (const runner of pair) expect(runner.ready).toMatchObject({ ingress: 'jetstream' });
    const chats = Array.from({ length: 50 }, (_, index) => `outage-${index}`);
    for (const chat of chats) gateway.send(scope, chat, 'hi', { msgId: `${chat}-hi` });
    await repliesOf(scope, chats, 1, 60_000);

    await redis.stop();
    for (const [index, chat] of chats.entries()) gateway.send(scope, chat, `Cy${index}`, { msgId: `${chat}-name` });
    await expect.poll(() => pair.map((runner) => runner.stderr).join(''), { timeout: 30_000 }).toMatch(/"code":"turn_retry".*unavailable/);
    expect(chats.every((chat) => gateway.received(scope, chat).length === 1)).toBe(true);
    await redis.restart();

    const answered = await repliesOf(scope, chats, 2, 90_000);
    for (const [index, chat] of chats.entries()) expect(answered.get(chat)).toEqual([ASK, greet(`Cy${index}`)]);
    await Promise.all(pair.map((runner) => runner.stop()));
  });

  it('refuses to start when the Redis store cannot be had, saying why and naming the URL without its password', async () => {
    const refused = await runServeToExit([project, '--sessions', 'redis://127.0.0.1:1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/nothing accepts Redis connections at redis:\/\/127\.0\.0\.1:1/);
    expect(refused.stdout).toBe('');

    const wrongPassword = await runServeToExit([project, '--sessions', redis.url(0, 'nope')]);
    expect(wrongPassword.code).toBe(2);
    expect(wrongPassword.stderr).toMatch(/rejected the credentials/);
    expect(wrongPassword.stderr).not.toMatch(/nope|\n\s+at /);

    const wrongDb = await runServeToExit([project, '--sessions', redis.url(42)]);
    expect(wrongDb.code).toBe(2);
    expect(wrongDb.stderr).toMatch(/has no such database/);

    const fromEnv = await runServeToExit([project], { GREENTIC_RUNNER_SESSION_BACKEND: 'redis' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/GREENTIC_RUNNER_SESSION_BACKEND=redis needs GREENTIC_RUNNER_REDIS_URL/);

    const served = await startRunner([project], {
      GREENTIC_RUNNER_SESSION_BACKEND: 'redis',
      GREENTIC_RUNNER_REDIS_URL: redis.url(5),
      GREENTIC_RUNNER_SESSION_NAMESPACE: 'staging:sessions',
    });
    runners.push(served);
    expect(served.ready).toMatchObject({ sessions: { backend: 'redis', namespace: 'staging:sessions' } });
    await served.stop();
  });
});
