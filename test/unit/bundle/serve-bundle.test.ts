import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCliCaptured } from '../../support/cli';
import { addBuiltPack, cleanBundle, greeterProject, surveyProject, type BuiltBundle } from '../../support/bundle-fixture';
import { parseUpstreamTrace } from '../../../src/shared/trace/upstream-trace';
import { NatsServer } from '../../support/nats-server';
import { OtlpReceiver } from '../../support/otlp-receiver';
import { Gateway, type Scope } from '../nats/support/gateway';
import { call } from '../webchat/support';

interface BundleReady {
  event: string;
  bundle: string;
  packs: { pack: string; path: string; port: number; directline: string; secret: string; flows: string[]; metrics?: string }[];
  traces?: string;
  nats?: { subject: string; pack: string }[];
}

function startCli(args: string[]) {
  const cli = startCliCaptured(args);
  const ready = async (): Promise<BundleReady> => {
    await expect.poll(() => cli.stdout(), { timeout: 20_000 }).toContain('"event":"ready"');
    return JSON.parse(cli.stdout().split('\n')[0] ?? '') as BundleReady;
  };
  return { ...cli, ready };
}

/** Opens a Direct Line conversation as a tenant and team: the opened conversation, or the refusal. */
async function openAs(directline: string, secret: string, tenant: string, team: string) {
  const token = await call(directline, 'POST', `/tokens/generate?tenant=${tenant}&team=${team}`, { bearer: secret, body: { user: { id: 'ada' } } });
  const opened = await call(directline, 'POST', '/conversations', { bearer: token.json.token as string });
  return opened;
}

async function botTexts(directline: string, conversationId: string, token: string): Promise<string[]> {
  const { json } = await call(directline, 'GET', `/conversations/${conversationId}/activities`, { bearer: token });
  return (json.activities as { type: string; from: { id: string }; text?: string }[]).filter((a) => a.from.id === 'bot' && a.type === 'message').map((a) => a.text ?? '');
}

/** What the bot said in a conversation: its messages' text, and its error events' messages. */
async function botSays(directline: string, conversationId: string, token: string): Promise<string[]> {
  const { json } = await call(directline, 'GET', `/conversations/${conversationId}/activities`, { bearer: token });
  const activities = json.activities as { type: string; name?: string; from: { id: string }; text?: string; value?: { message?: string } }[];
  return activities.filter((a) => a.from.id === 'bot').map((a) => (a.type === 'event' && a.name === 'error' ? `error: ${a.value?.message ?? ''}` : (a.text ?? '')));
}

/** Opens a conversation as a tenant and team, says `text`, and gives back a reader of what the bot says. */
async function say(pack: BundleReady['packs'][number], tenant: string, team: string, text: string) {
  const opened = await openAs(pack.directline, pack.secret, tenant, team);
  expect(opened.status).toBe(201);
  const conversationId = opened.json.conversationId as string;
  const token = opened.json.token as string;
  await call(pack.directline, 'POST', `/conversations/${conversationId}/activities`, { bearer: token, body: { type: 'message', from: { id: 'ada' }, text } });
  return () => botSays(pack.directline, conversationId, token);
}

describe('greentic-studio serve <bundle>', () => {
  let server: NatsServer;
  let gateway: Gateway;
  let bundle: BuiltBundle;
  let configDir: string;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'gs-bundle-serve-'));
    vi.stubEnv('GREENTIC_STUDIO_CONFIG_DIR', configDir);
    server = await NatsServer.start();
    gateway = await Gateway.connect(server.url, {});
    await gateway.listen();
    bundle = await cleanBundle();
    bundle.write('tenants/globex/tenant.gmap', '_ = forbidden\n');
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.dispose();
    rmSync(bundle.root, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it("runs the bundle's pack for the tenants and teams its rules allow, on Direct Line and NATS", async () => {
    const cli = startCli(['serve', bundle.root, '--json', '--port', '0', '--nats', server.url, '--env', 'dev']);
    const ready = await cli.ready();
    expect(ready.bundle).toBe('acme-demo');
    const [pack] = ready.packs;
    expect(pack).toMatchObject({ pack: 'acme.greeter', path: 'packs/greeter.gtpack', flows: ['hello'] });
    expect(ready.nats).toEqual([{ subject: 'greentic.messaging.ingress.dev.acme.support.*', pack: 'acme.greeter', ingress: 'core' }]);
    if (!pack) throw new Error('no pack served');

    // The tenant and team of the Direct Line token reach the flow.
    const opened = await openAs(pack.directline, pack.secret, 'acme', 'support');
    expect(opened.status).toBe(201);
    const conversationId = opened.json.conversationId as string;
    const token = opened.json.token as string;
    await call(pack.directline, 'POST', `/conversations/${conversationId}/activities`, { bearer: token, body: { type: 'message', from: { id: 'ada' }, text: 'hi' } });
    await expect.poll(() => botTexts(pack.directline, conversationId, token), { timeout: 10_000 }).toContain('acme.greeter for acme/support: hi');

    // A tenant whose rules forbid the pack is refused, and so is a tenant the bundle does not have.
    const refused = await openAs(pack.directline, pack.secret, 'globex', 'default');
    expect(refused.status).toBe(403);
    expect(String(refused.json.message)).toContain('tenant `globex` team `default` may not use flow `acme.greeter/hello`');
    expect((await openAs(pack.directline, pack.secret, 'initech', 'default')).status).toBe(403);

    const scope: Scope = { env: 'dev', tenant: 'acme', team: 'support', platform: 'webchat' };
    gateway.send(scope, 'bundle-chat', 'yo');
    const replies = await gateway.waitFor(scope, 'bundle-chat', 1);
    expect(replies.map((reply) => reply.text)).toEqual(['acme.greeter for acme/support: yo']);

    process.emit('SIGTERM', 'SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('refuses --ui for a bundle (exit 2)', async () => {
    const cli = startCli(['serve', bundle.root, '--json', '--ui']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain("open a bundle in the studio's Bundle workspace instead");
  });
});

describe('greentic-studio serve <bundle> with several packs', () => {
  let receiver: OtlpReceiver;
  let server: NatsServer;
  let gateway: Gateway;
  let bundle: BuiltBundle;
  let configDir: string;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'gs-bundle-route-'));
    vi.stubEnv('GREENTIC_STUDIO_CONFIG_DIR', configDir);
    receiver = await OtlpReceiver.start();
    server = await NatsServer.start();
    gateway = await Gateway.connect(server.url, {});
    await gateway.listen();
    bundle = await cleanBundle();
    await addBuiltPack(bundle, (folder) => surveyProject(folder, 'acme.survey'), 'packs/survey.gtpack');
    await addBuiltPack(bundle, (folder) => greeterProject(folder, 'acme.secret'), 'packs/secret.gtpack');
    // acme/support may use the greeter and the survey, not the secret pack.
    bundle.write('tenants/acme/teams/support/team.gmap', 'acme.greeter/hello = public\nacme.survey = public\n');
    // umbrella may use the greeter, but not its node that answers.
    bundle.write('tenants/umbrella/tenant.gmap', 'acme.greeter = public\nacme.greeter/hello/answer = forbidden\n');
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.dispose();
    await receiver?.close();
    rmSync(bundle.root, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it("routes a team's NATS messages to the pack their session waits in, else the one their route names, else the default flow", async () => {
    const traceFile = path.join(configDir, 'trace.json');
    const cli = startCli(['serve', bundle.root, '--json', '--port', '0', '--nats', server.url, '--env', 'dev', '--trace-out', traceFile, '--otlp', receiver.endpoint, '--metrics']);
    const ready = await cli.ready();
    expect(ready.traces).toBe(`${receiver.endpoint}/v1/traces`);
    expect(ready.packs.map((pack) => pack.pack)).toEqual(['acme.greeter', 'acme.secret', 'acme.survey']);
    expect(ready.nats).toContainEqual({ subject: 'greentic.messaging.ingress.dev.acme.support.*', pack: 'acme.greeter', ingress: 'core' });
    const scope: Scope = { env: 'dev', tenant: 'acme', team: 'support', platform: 'webchat' };

    // No route: the first open flow, as neither is called `default` and both are messaging flows.
    gateway.send(scope, 'plain', 'yo');
    expect((await gateway.waitFor(scope, 'plain', 1)).map((reply) => reply.text)).toEqual(['acme.greeter for acme/support: yo']);

    // A route to the survey starts it; the conversation's next message, with no route, goes on there.
    gateway.send(scope, 'survey', 'start', { route: 'acme.survey' });
    expect((await gateway.waitFor(scope, 'survey', 1)).map((reply) => reply.text)).toEqual(['acme.survey: your name?']);
    gateway.send(scope, 'survey', 'Ada');
    expect((await gateway.waitFor(scope, 'survey', 2)).map((reply) => reply.text)).toEqual(['acme.survey: your name?', 'acme.survey thanks Ada']);
    await expect.poll(() => existsSync(traceFile) && readFileSync(traceFile, 'utf8').includes('"node_id": "thanks"'), { timeout: 10_000 }).toBe(true);
    const trace = parseUpstreamTrace(readFileSync(traceFile, 'utf8'));
    expect(trace.flow).toEqual({ id: 'ask', version: '0.3.0' });
    expect(trace.pack.pack_ref).toBe(bundle.file('packs/survey.gtpack'));
    const thanks = await receiver.waitFor(() => receiver.spans.find((span) => span.attributes['greentic.node.id'] === 'thanks'));
    expect(thanks.attributes).toMatchObject({ 'greentic.flow.id': 'ask', 'greentic.tenant': 'acme', 'greentic.team': 'support' });
    const metrics = await fetch(ready.packs[2]?.metrics ?? '');
    expect(await metrics.text()).toMatch(/greentic_turn_count_total\{[^}]*greentic_flow_id="ask"[^}]*outcome="completed"[^}]*\} 1/);

    // A route to a pack the team's rules close is refused, not sent to the default flow.
    gateway.send(scope, 'secret', 'psst', { route: 'acme.secret/hello' });
    const [refusal] = await gateway.waitFor(scope, 'secret', 1);
    expect(refusal?.meta).toMatchObject({ error_kind: 'flow_failed', error_message: "tenant `acme` team `support` may not use flow `acme.secret/hello`: the bundle's .gmap rules forbid it" });

    // A node the rules forbid stops the turn where it would run.
    const greeter = ready.packs[0];
    if (!greeter) throw new Error('no greeter served');
    const texts = await say(greeter, 'umbrella', 'default', 'hi');
    // Both turns, the greeting on joining and the message, stop there.
    const refusedNode = "error: tenant `umbrella` team `default` may not use node `acme.greeter/hello/answer`: the bundle's .gmap rules forbid it";
    await expect.poll(texts, { timeout: 10_000 }).toEqual([refusedNode, refusedNode]);

    process.emit('SIGTERM', 'SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});
