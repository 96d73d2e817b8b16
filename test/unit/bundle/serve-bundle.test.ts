import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCliCaptured } from '../../support/cli';
import { cleanBundle, type BuiltBundle } from '../../support/bundle-fixture';
import { NatsServer } from '../../support/nats-server';
import { Gateway, type Scope } from '../nats/support/gateway';
import { call } from '../webchat/support';

interface BundleReady {
  event: string;
  bundle: string;
  packs: { pack: string; path: string; port: number; directline: string; secret: string; flows: string[] }[];
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
