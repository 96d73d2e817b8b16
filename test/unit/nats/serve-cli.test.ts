import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCliCaptured as startCli } from '../../support/cli';
import { Gateway, type Scope } from './support/gateway';
import { NatsServer } from '../../support/nats-server';
import { greeterProject } from './support/project';

const scope: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };


describe('greentic-studio serve --nats', () => {
  let server: NatsServer;
  let project: string;
  let configDir: string;
  let gateway: Gateway;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'gs-nats-cli-'));
    vi.stubEnv('GREENTIC_STUDIO_CONFIG_DIR', configDir);
    server = await NatsServer.start({ auth: { mode: 'token', token: 'gateway-token' } });
    project = greeterProject();
    gateway = await Gateway.connect(server.url, { token: 'gateway-token' });
    await gateway.listen();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.dispose();
    rmSync(project, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it('serves the project on NATS, says so in the ready line, and answers a gateway through a parked wait', async () => {
    const cli = startCli(['serve', project, '--json', '--nats', server.url, '--nats-token', 'gateway-token', '--tenant', 'acme']);
    await expect.poll(() => cli.stdout(), { timeout: 10_000 }).toContain('"event":"ready"');
    expect(JSON.parse(cli.stdout())).toMatchObject({ event: 'ready', nats: 'connected', subject: 'greentic.messaging.ingress.dev.acme.default.*' });

    gateway.send(scope, 'cli-chat', 'hi');
    gateway.send(scope, 'cli-chat', 'Ada');
    const replies = await gateway.waitFor(scope, 'cli-chat', 2);
    expect(replies.map((reply) => reply.text)).toEqual(['You said hi. What is your name?', 'Nice to meet you, Ada!']);

    process.emit('SIGTERM', 'SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('stops with exit code 2 and the reason when the credentials are refused', async () => {
    const cli = startCli(['serve', project, '--json', '--nats', server.url, '--nats-token', 'wrong']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toMatch(/rejected the credentials/);
    expect(cli.stdout()).toBe('');
  });

  it('refuses contradictory or orphaned NATS flags as usage errors', async () => {
    const nkey = path.join(configDir, 'seed.nk');
    writeFileSync(nkey, 'not a seed');
    const cases: Array<[string[], RegExp]> = [
      [['--nats', server.url, '--nats-token', 't', '--nats-user', 'u', '--nats-pass', 'p'], /choose one NATS auth mode/],
      [['--nats', server.url, '--nats-user', 'u'], /--nats-user and --nats-pass go together/],
      [['--nats-token', 't'], /--nats-token needs --nats <url>/],
      [['--nats', server.url, '--nats-nkey', nkey], /NKEY user seed starts with "SU"/],
      [['--nats', server.url, '--nats-creds', path.join(configDir, 'missing.creds')], /--nats-creds: cannot read/],
    ];
    for (const [flags, message] of cases) {
      const cli = startCli(['serve', project, '--json', ...flags]);
      expect(await cli.exit).toBe(2);
      expect(cli.stderr()).toMatch(message);
    }
  });
});
