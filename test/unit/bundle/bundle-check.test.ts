import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BundleReport } from '../../../src/shared/api/bundle';
import { runCliCaptured } from '../../support/cli';
import { addArchive, cleanBundle, type BuiltBundle } from '../../support/bundle-fixture';
import { conformancePath, hasConformance } from '../../support/conformance';

const made: BuiltBundle[] = [];
afterEach(() => {
  for (const bundle of made.splice(0)) rmSync(bundle.root, { recursive: true, force: true });
});

async function bundle(): Promise<BuiltBundle> {
  const built = await cleanBundle();
  made.push(built);
  return built;
}

async function check(root: string, ...flags: string[]): Promise<{ code: number; report: BundleReport; stdout: string }> {
  const run = await runCliCaptured('bundle', 'check', root, ...flags, '--json');
  return { code: run.code, report: JSON.parse(run.stdout) as BundleReport, stdout: run.stdout };
}

describe('greentic-studio bundle check', () => {
  it('passes a bundle whose packs verify and whose rules name what the bundle has (exit 0)', async () => {
    const built = await bundle();
    const { code, report } = await check(built.root, '--key', built.publicKey);
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    expect(report.name).toBe('acme-demo');
    expect(report.packs).toEqual([
      expect.objectContaining({ path: 'packs/greeter.gtpack', packId: 'acme.greeter', version: '1.2.0', signature: 'verified', flows: [{ id: 'hello', nodes: ['compose', 'answer'] }] }),
    ]);
    expect(report.tenants).toEqual([
      { name: 'acme', gmap: 'tenants/acme/tenant.gmap', rules: [{ path: '_', policy: 'forbidden', line: 2 }, { path: 'acme.greeter', policy: 'public', line: 3 }], teams: [{ name: 'support', gmap: 'tenants/acme/teams/support/team.gmap', rules: [{ path: 'acme.greeter/hello', policy: 'public', line: 1 }] }] },
    ]);
    expect(report.bindings).toEqual([{ tenant: 'acme', team: 'support', flows: ['acme.greeter/hello'], channels: [] }]);

    const human = await runCliCaptured('bundle', 'check', built.root, '--key', built.publicKey);
    expect(human.stdout).toContain('acme/support: acme.greeter/hello');
    expect(human.stdout).toContain('ok: no problems');
  });

  it('names a signature no accepted key makes, and passes it with --any-signer', async () => {
    const built = await bundle();
    const strict = await check(built.root);
    expect(strict.code).toBe(1);
    expect(strict.report.problems).toContainEqual({ severity: 'error', where: 'packs/greeter.gtpack', message: 'no signature verifies with an accepted key' });
    expect(strict.report.packs[0]?.signature).toBe('no accepted signature');
    expect((await check(built.root, '--any-signer')).code).toBe(0);
  });

  it('names every broken rule, binding and manifest, each in its file (exit 1)', async () => {
    const built = await bundle();
    built.write('tenants/acme/tenant.gmap', '_ = forbidden\nacme.greeter = public\nbilling = public\nacme.greeter/nope = public\nacme.greeter/hello/ghost = forbidden\nacme.greeter = sometimes\n');
    built.write('tenants/acme/teams/support/team.gmap', '_ = forbidden\n');
    built.write('tenants/globex/tenant.gmap', '_ = forbidden\n');
    built.write('resolved/acme.support.yaml', 'version: "1"\ntenant: acme\nteam: sales\nproviders:\n  messaging:\n    - providers/messaging/slack.gtpack\npacks:\n  - packs/missing.gtpack\n');
    built.write('greentic.demo.yaml', 'version: "2"\n');
    const { code, report } = await check(built.root, '--key', built.publicKey);
    expect(code).toBe(1);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { severity: 'warning', where: 'greentic.demo.yaml', message: 'version 2 is not the bundle version upstream writes ("1")' },
        { severity: 'error', where: 'tenants/acme/tenant.gmap:3', message: 'rule `billing` names pack `billing`, which the bundle does not have' },
        { severity: 'error', where: 'tenants/acme/tenant.gmap:4', message: 'rule `acme.greeter/nope` names flow `nope`, which pack `acme.greeter` does not have' },
        { severity: 'error', where: 'tenants/acme/tenant.gmap:5', message: 'rule `acme.greeter/hello/ghost` names node `ghost`, which flow `acme.greeter/hello` does not have' },
        { severity: 'error', where: 'tenants/acme/tenant.gmap:6', message: 'Invalid policy on line 6: sometimes' },
        { severity: 'warning', where: 'tenants/acme', message: "tenant `acme` team `support` can reach no flow: its rules forbid every pack (upstream's default is forbidden)" },
        { severity: 'warning', where: 'tenants/globex', message: "tenant `globex` team `default` can reach no flow: its rules forbid every pack (upstream's default is forbidden)" },
        { severity: 'error', where: 'resolved/acme.support.yaml', message: 'binds team `sales`, which tenant `acme` does not have' },
        { severity: 'error', where: 'resolved/acme.support.yaml', message: 'lists pack packs/missing.gtpack, which is not in the bundle' },
        { severity: 'error', where: 'resolved/acme.support.yaml', message: 'binds messaging provider providers/messaging/slack.gtpack, which is not in the bundle' },
      ]),
    );
    expect(report.problems).toHaveLength(10);
  });

  it('is a usage error (exit 2) for a folder without greentic.demo.yaml', async () => {
    const built = await bundle();
    rmSync(built.file('greentic.demo.yaml'));
    const run = await runCliCaptured('bundle', 'check', built.root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${built.root} is not a bundle: it has no greentic.demo.yaml`);
    expect((await runCliCaptured('bundle', 'check', path.join(built.root, 'nothing-here'))).code).toBe(2);
  });

  it.skipIf(!hasConformance)("finds what upstream's real archives get wrong: zero-node flows and no signature", async () => {
    const built = await bundle();
    addArchive(built, conformancePath('packs/archives/canonical-incident-demo.gtpack'), 'packs/incident.gtpack');
    addArchive(built, conformancePath('packs/archives/canonical-msg-event-app.gtpack'), 'providers/messaging/helpdesk.gtpack');
    built.write('tenants/acme/tenant.gmap', '_ = forbidden\nacme.greeter = public\nincident-demo.pack/main = public\n');
    const { code, report } = await check(built.root, '--key', built.publicKey);
    expect(code).toBe(1);
    const incident = report.problems.filter((problem) => problem.where === 'packs/incident.gtpack').map((problem) => problem.message);
    expect(incident).toEqual(expect.arrayContaining(['the pack is not signed', 'flow `incident_create` has no nodes', 'flow `main` has no nodes']));
    expect(report.packs.map((pack) => pack.packId)).toEqual(['acme.greeter', 'incident-demo.pack']);
    expect(report.providers).toEqual([expect.objectContaining({ path: 'providers/messaging/helpdesk.gtpack', role: 'messaging', packId: 'helpdesk-bot', signature: 'not signed' })]);
    // The provider pack is the channel every tenant without a resolved manifest is bound to.
    expect(report.bindings.find((binding) => binding.tenant === 'acme')?.channels).toEqual(['helpdesk-bot']);
  });
});
