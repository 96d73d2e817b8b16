import { rmSync } from 'node:fs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsBridgeEvent } from '../../../src/shared/api';
import { NatsRunnerBridge } from '../../../src/runtime/channels/nats/bridge';
import { ChatRuntimeRunner } from '../../../src/runtime/channels/nats/chat-runner';
import { TURN_FAILED_TEXT } from '../../../src/runtime/channels/nats/out-message';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { ProjectSession } from '../../../src/runtime/project/handlers';
import { parseRedisUrl } from '../../../src/runtime/sessions/redis-connection';
import { RedisSessionStore } from '../../../src/runtime/sessions/redis-session-store';
import { NatsServer } from '../../support/nats-server';
import { RedisServer } from '../../support/redis-server';
import { Gateway, type Scope } from './support/gateway';
import { greeterProject } from './support/project';

const scope: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };

/** Two bridges of one queue group, each with its own engine, sharing one Redis session store: two runners. */
describe('NATS runners sharing a Redis session store', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let project: string;
  let gateway: Gateway;
  const events: NatsBridgeEvent[] = [];
  const hosts: ChatHost[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [nats, redis] = await Promise.all([NatsServer.start(), RedisServer.start()]);
    project = greeterProject();
    for (let runner = 0; runner < 2; runner += 1) {
      const sessions = await RedisSessionStore.open(parseRedisUrl(redis.url()), { namespace: 'greentic:session:dev' });
      const chat = new ChatHost({ projects: new ProjectSession(project), sessions });
      hosts.push(chat);
      const nc: NatsConnection = await connect({ servers: nats.url });
      const bridge = new NatsRunnerBridge(nc, new ChatRuntimeRunner(async () => (await chat.project()).runtime), { scope }, (event) => events.push(event));
      await bridge.ready;
      cleanups.push(async () => {
        await bridge.stop(1_000);
        await nc.close();
        await sessions.close();
      });
    }
    gateway = await Gateway.connect(nats.url);
    await gateway.listen();
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await gateway?.close();
    await Promise.all([nats?.dispose(), redis?.dispose()]);
    rmSync(project, { recursive: true, force: true });
  });

  it('resumes a conversation parked by one runner on the other, and answers a repeated message id only once', async () => {
    const chats = Array.from({ length: 20 }, (_, index) => `shared-${index}`);
    for (const chat of chats) gateway.send(scope, chat, 'hi', { msgId: `${chat}-1` });
    for (const chat of chats) await gateway.waitFor(scope, chat, 1);
    // Either runner's session inspector lists every parked conversation, whichever runner parked it.
    for (const host of hosts) {
      const listed = await (await host.project()).runtime.listSessions('acme');
      expect(listed.filter((session) => session.parked !== null).map((session) => session.conversation).sort()).toEqual([...chats].sort());
    }
    for (const chat of chats) gateway.send(scope, chat, 'Ada', { msgId: `${chat}-2` });
    for (const chat of chats) {
      expect((await gateway.waitFor(scope, chat, 2)).map((reply) => reply.text)).toEqual(['You said hi. What is your name?', 'Nice to meet you, Ada!']);
    }
    // The same message again (a publisher retrying): its saved replies go out again, with the same ids; the flow does not run.
    gateway.send(scope, 'shared-0', 'Ada', { msgId: 'shared-0-2' });
    const again = await gateway.waitFor(scope, 'shared-0', 3);
    expect(again[2]?.text).toBe('Nice to meet you, Ada!');
    expect(again[2]?.meta.msg_id).toBe(again[1]?.meta.msg_id);
    expect(events.some((event) => event.code === 'duplicate')).toBe(true);
  });

  it('core NATS: a turn that arrives while Redis is down fails with the reason logged, and the runners serve again once Redis is back', async () => {
    await redis.stop();
    gateway.send(scope, 'outage', 'hi', { msgId: 'outage-1' });
    const [failed] = await gateway.waitFor(scope, 'outage', 1);
    expect(failed?.text).toBe(TURN_FAILED_TEXT);
    expect(failed?.meta).toMatchObject({ error_kind: 'runner_unavailable' });
    expect(events.find((event) => event.code === 'turn_failed')?.message).toMatch(/Redis session store at redis:\/\/127\.0\.0\.1:\d+ is unavailable/);

    await redis.restart();
    await expect
      .poll(
        async () => {
          const id = `outage-${Math.random()}`;
          gateway.send(scope, 'after-outage', 'hi', { msgId: id });
          const replies = await gateway.waitFor(scope, 'after-outage', gateway.received(scope, 'after-outage').length + 1).catch(() => []);
          return replies.at(-1)?.text;
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe('You said hi. What is your name?');
  });
});
