import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsBridgeEvent, NatsStatusEvent, NatsTrafficEvent, ReplyEvent, StudioError } from '../../../src/shared/api';
import { ChatRuntimeRunner } from '../../../src/runtime/channels/nats/chat-runner';
import { createNatsHandlers } from '../../../src/runtime/channels/nats/handlers';
import { NatsService } from '../../../src/runtime/channels/nats/service';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { fileNatsProfileStore } from '../../../src/runtime/connections/file-store';
import { EventBus } from '../../../src/runtime/events';
import { ProjectSession } from '../../../src/runtime/project/handlers';
import { NatsServer } from '../../support/nats-server';
import { greeterProject } from './support/project';

/**
 * The studio's NATS panel back end, driven through its contract handlers: profiles, connect with
 * status events, the traffic view, serving the sample project with the real embedded runner, and
 * chatting with it as a "remote runner".
 */
describe('the NATS contract handlers', () => {
  let server: NatsServer;
  let configDir: string;
  let projectDir: string;
  let service: NatsService;
  let handlers: ReturnType<typeof createNatsHandlers>;
  const statuses: NatsStatusEvent[] = [];
  const traffic: NatsTrafficEvent[] = [];
  const bridgeLog: NatsBridgeEvent[] = [];
  const replies: ReplyEvent[] = [];

  beforeAll(async () => {
    server = await NatsServer.start({ auth: { mode: 'userpass', user: 'studio', password: 'pw' } });
    configDir = mkdtempSync(path.join(tmpdir(), 'gs-nats-config-'));
    projectDir = greeterProject();
    // A second messaging flow: serving must say which one runs.
    writeFileSync(
      path.join(projectDir, 'flows', 'echo.ygtc'),
      'id: echo\ntype: messaging\nnodes:\n  say:\n    emit.response:\n      messages:\n        - type: text\n          text: "Echo: {{in.input.text}}"\n    routing: out\n',
    );
    const events = new EventBus();
    events.subscribe((name, payload) => {
      if (name === 'natsStatus') statuses.push(payload as NatsStatusEvent);
      if (name === 'natsTraffic') traffic.push(payload as NatsTrafficEvent);
      if (name === 'natsBridge') bridgeLog.push(payload as NatsBridgeEvent);
      if (name === 'reply') replies.push(payload as ReplyEvent);
    });
    const profiles = fileNatsProfileStore(configDir);
    const chat = new ChatHost({ projects: new ProjectSession(projectDir) });
    service = new NatsService({
      events,
      profiles,
      runner: new ChatRuntimeRunner(async () => (await chat.project()).runtime),
      tuning: { timeoutMs: 3_000 },
      traffic: { batchMs: 20, maxBatch: 100, previewBytes: 64 },
    });
    handlers = createNatsHandlers(service, profiles);
  });
  afterAll(async () => {
    await service?.disconnect();
    await server?.dispose();
    rmSync(configDir, { recursive: true, force: true });
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('reports a wrong password as an auth problem, in the error and in the status event', async () => {
    await handlers.saveNatsProfile({ name: 'wrong', servers: [server.url], auth: { mode: 'userpass', user: 'studio', password: 'nope' } });
    const error = (await handlers.connectNats({ profile: 'wrong' }).catch((e: unknown) => e)) as StudioError;
    expect(error).toMatchObject({ code: 'unavailable', details: { kind: 'auth' } });
    expect(statuses.at(-1)).toMatchObject({ profile: 'wrong', state: 'disconnected', error: { kind: 'auth' } });
  });

  it('connects with a saved profile and pushes the status', async () => {
    const summary = await handlers.saveNatsProfile({ name: 'local', servers: [server.url], auth: { mode: 'userpass', user: 'studio', password: 'pw' } });
    expect(summary.auth).toEqual({ mode: 'userpass', user: 'studio', hasSecret: true });
    const status = await handlers.connectNats({ profile: 'local' });
    expect(status).toMatchObject({ profile: 'local', state: 'connected', serving: null });
    expect(statuses.map((s) => s.state).slice(-2)).toEqual(['connecting', 'connected']);
  });

  it('serves the open project, and a remote conversation reaches it and shows its replies', async () => {
    const serving = await handlers.serveOnNats({ env: 'dev', tenant: 'demo', team: 'default', flowPath: 'flows/main.ygtc' });
    expect(serving).toEqual({
      env: 'dev',
      tenant: 'demo',
      team: 'default',
      subject: 'greentic.messaging.ingress.dev.demo.default.*',
      queueGroup: 'greentic-runner',
      flowPath: 'flows/main.ygtc',
      ingress: 'core',
    });
    expect((await handlers.getNatsStatus({})).serving).toEqual(serving);
    const { watchId, subject } = await handlers.watchNatsTraffic({ tenant: 'demo' });
    expect(subject).toBe('greentic.messaging.*.*.demo.*.*');

    const conversation = await handlers.startRemoteConversation({ env: 'dev', tenant: 'demo', team: 'default', platform: 'webchat' });
    await handlers.sendRemoteMessage({ conversationId: conversation.conversationId, text: 'hi' });
    await expect.poll(() => replies.filter((r) => r.conversationId === conversation.conversationId).length, { timeout: 10_000 }).toBe(1);
    await handlers.sendRemoteMessage({ conversationId: conversation.conversationId, text: 'Ada' });
    await expect.poll(() => replies.filter((r) => r.conversationId === conversation.conversationId).length, { timeout: 10_000 }).toBe(2);
    expect(replies.map((r) => r.message)).toEqual([
      { type: 'text', text: 'You said hi. What is your name?' },
      { type: 'text', text: 'Nice to meet you, Ada!' },
    ]);

    await expect.poll(() => traffic.flatMap((event) => event.messages).length).toBe(4);
    const seen = traffic.flatMap((event) => event.messages);
    expect(seen.map((m) => m.direction)).toEqual(['ingress', 'egress', 'ingress', 'egress']);
    expect(seen[0]).toMatchObject({ env: 'dev', tenant: 'demo', team: 'default', platform: 'webchat', truncated: true });
    expect(seen[0]?.payload).toHaveLength(64);
    expect(traffic.every((event) => event.watchId === watchId)).toBe(true);

    expect(await handlers.unwatchNatsTraffic({ watchId })).toEqual({ stopped: true });
    expect(await handlers.endRemoteConversation({ conversationId: conversation.conversationId })).toEqual({ ended: true });
    expect((await handlers.stopServingOnNats({})).serving).toBeNull();
    expect(bridgeLog.map((event) => event.code)).toEqual(['serving', 'served', 'stopped']);
    expect(bridgeLog.at(-1)?.stats).toMatchObject({ received: 2, completed: 2, failed: 0, rejected: 0, dropped: 0 });
  });

  it('serves the flow picked for it when the project has several', async () => {
    const serving = await handlers.serveOnNats({ env: 'dev', tenant: 'demo', flowPath: 'flows/echo.ygtc' });
    expect(serving).toMatchObject({ subject: 'greentic.messaging.ingress.dev.demo.default.*', flowPath: 'flows/echo.ygtc' });
    const conversation = await handlers.startRemoteConversation({ env: 'dev', tenant: 'demo' });
    await handlers.sendRemoteMessage({ conversationId: conversation.conversationId, text: 'ping' });
    await expect
      .poll(() => replies.find((r) => r.conversationId === conversation.conversationId)?.message, { timeout: 10_000 })
      .toEqual({ type: 'text', text: 'Echo: ping' });
    await handlers.endRemoteConversation({ conversationId: conversation.conversationId });
    await handlers.stopServingOnNats({});
  });

  it('disconnects, after which NATS work is refused with a clear error', async () => {
    expect((await handlers.disconnectNats({})).state).toBe('closed');
    await expect(handlers.watchNatsTraffic({})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/not connected/) });
  });
});

describe('NATS status events across a server restart', () => {
  it('goes disconnected, reconnecting and connected again, with the server address', async () => {
    const server = await NatsServer.start();
    const configDir = mkdtempSync(path.join(tmpdir(), 'gs-nats-status-'));
    const events = new EventBus();
    const statuses: NatsStatusEvent[] = [];
    events.subscribe((name, payload) => {
      if (name === 'natsStatus') statuses.push(payload as NatsStatusEvent);
    });
    const profiles = fileNatsProfileStore(configDir);
    const service = new NatsService({ events, profiles, tuning: { reconnectWaitMs: 100 } });
    try {
      await profiles.save({ name: 'local', servers: [server.url], auth: { mode: 'none' } });
      await service.connect('local');
      await server.restart();
      await expect.poll(() => statuses.at(-1)?.state, { timeout: 10_000 }).toBe('connected');
      const states = statuses.map((status) => status.state);
      expect(states.slice(0, 3)).toEqual(['connecting', 'connected', 'disconnected']);
      expect(states).toContain('reconnecting');
      expect(statuses.at(-1)).toMatchObject({ profile: 'local', state: 'connected', server: expect.stringContaining(String(server.port)) });
      await service.disconnect();
      expect(statuses.at(-1)).toEqual({ profile: 'local', state: 'closed' });
    } finally {
      await service.disconnect();
      await server.dispose();
      rmSync(configDir, { recursive: true, force: true });
    }
  });
});
