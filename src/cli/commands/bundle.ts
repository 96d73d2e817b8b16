import type { Command } from 'commander';
import type { BundleReport } from '../../shared/api/bundle';
import { BundleError } from '../../runtime/bundle/bundle-layout';
import { checkBundle } from '../../runtime/bundle/bundle-check';
import { CliExit, EXIT_FAILED, EXIT_USAGE, repeatable, type CommandModule } from '../command';
import { verifyOptionsFrom, type SignerFlags } from '../verify-keys';

export const bundleCommand: CommandModule = (program: Command) => {
  const bundle = program.command('bundle').description('deployment bundles (greentic.demo.yaml with packs, tenants, teams and .gmap rules)');
  bundle
    .command('check')
    .description('resolve every pack and component, verify signatures, check tenant and team rules and channel bindings; exit 1 when there is an error')
    .argument('<bundle>', 'the bundle folder (it holds greentic.demo.yaml)')
    .option('--key <public.pem>', 'accept pack signatures by this SPKI public key (repeat for several)', repeatable)
    .option('--any-signer', "accept a valid signature by any key, including a pack's own certificate")
    .option('--trust-store <file>', 'also accept keys of this trust store')
    .option('--json', 'print one JSON document')
    .action(async (folder: string, options: SignerFlags & { json?: boolean }) => {
      const trust = await verifyOptionsFrom(options);
      const checked = await checkBundle(folder, trust).catch((error: unknown) => {
        if (error instanceof BundleError) throw new CliExit(EXIT_USAGE, error.message);
        throw error;
      });
      const { report } = checked;
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : humanReport(report));
      if (!report.ok) throw new CliExit(EXIT_FAILED);
    });
};

function humanReport(report: BundleReport): string {
  const lines = [`bundle ${report.name} (${report.root})`, 'packs:'];
  for (const pack of [...report.packs, ...report.providers]) {
    const label = pack.packId ? `${pack.packId}${pack.version ? `@${pack.version}` : ''}` : '(unreadable)';
    lines.push(`  ${pack.path}  ${label}  ${pack.role}  ${pack.flows.length} flow${pack.flows.length === 1 ? '' : 's'}, ${pack.components.length} component${pack.components.length === 1 ? '' : 's'}  signature: ${pack.signature}`);
  }
  lines.push('tenants:');
  for (const tenant of report.tenants) {
    lines.push(`  ${tenant.name}  ${tenant.gmap ?? '(no tenant.gmap)'}  ${tenant.rules.length} rule${tenant.rules.length === 1 ? '' : 's'}`);
    for (const team of tenant.teams) lines.push(`    team ${team.name}  ${team.gmap ?? '(no team.gmap)'}  ${team.rules.length} rule${team.rules.length === 1 ? '' : 's'}`);
  }
  lines.push('bindings:');
  for (const binding of report.bindings) {
    lines.push(`  ${binding.tenant}/${binding.team}: ${binding.flows.length > 0 ? binding.flows.join(', ') : '(no flow)'}  channels: ${binding.channels.length > 0 ? binding.channels.join(', ') : 'webchat (Direct Line), NATS'}`);
  }
  const errors = report.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = report.problems.length - errors;
  for (const problem of report.problems) lines.push(`${problem.severity}: ${problem.where}: ${problem.message}`);
  lines.push(report.problems.length === 0 ? 'ok: no problems' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
