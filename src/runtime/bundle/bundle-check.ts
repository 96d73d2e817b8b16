/**
 * `bundle check`: reads a bundle, resolves every pack and provider pack, checks the tenants' and
 * teams' access rules against the packs, flows and nodes they name, checks the resolved manifests'
 * channel bindings, and reports every problem with the file it is in.
 */
import type { BundleBinding, BundleProblem, BundleReport, BundleRule, BundleTenant } from '../../shared/api/bundle';
import type { CompiledFlow } from '../../shared/flow/compiled';
import type { VerifyOptions } from '../pack/verify';
import { readBundleLayout, type BundleLayout, type GmapFile, type ResolvedEntry } from './bundle-layout';
import { resolveBundlePack, type ResolvedPack } from './bundle-packs';
import { evalWithOverlay, formatGmapPath, parseGmap, type GmapRule } from './gmap';

/** The team a tenant without teams is served as (upstream's default team). */
export const DEFAULT_TEAM = 'default';

export interface CheckedBundle {
  report: BundleReport;
  layout: BundleLayout;
  /** The app packs as resolved, in report order. */
  packs: ResolvedPack[];
  /** Per tenant and team, the rules in force (team rules first). */
  access: Map<string, { tenantRules: GmapRule[]; teamRules: GmapRule[] }>;
  /** Per tenant, its own rules (for a conversation that names no team of it). */
  tenantRules: Map<string, GmapRule[]>;
}

export async function checkBundle(folder: string, trust: VerifyOptions = {}): Promise<CheckedBundle> {
  const layout = await readBundleLayout(folder);
  const problems: BundleProblem[] = [];
  if (layout.demo.problem) problems.push({ severity: 'error', where: 'greentic.demo.yaml', message: layout.demo.problem });
  else problems.push(...demoProblems(layout.demo.value));

  const packs = await Promise.all(layout.packs.map((entry) => resolveBundlePack(layout.root, entry, 'packs', trust)));
  const providers = await Promise.all(layout.providers.map(({ domain, entry }) => resolveBundlePack(layout.root, entry, domain, trust)));
  for (const resolved of [...packs, ...providers]) problems.push(...resolved.problems);
  if (layout.packs.length === 0) problems.push({ severity: 'error', where: 'packs', message: 'the bundle has no packs (.gtpack files in packs/)' });
  problems.push(...duplicatePackIds(packs));

  const flowsByPack = new Map<string, CompiledFlow[]>();
  for (const resolved of packs) if (resolved.pack.packId) flowsByPack.set(resolved.pack.packId, resolved.flows);

  const tenants: BundleTenant[] = [];
  const access: CheckedBundle['access'] = new Map();
  const tenantRulesOf: CheckedBundle['tenantRules'] = new Map();
  const bindings: BundleBinding[] = [];
  if (layout.tenants.length === 0) problems.push({ severity: 'error', where: 'tenants', message: 'the bundle has no tenants (folders in tenants/)' });
  for (const tenant of layout.tenants) {
    const tenantRules = rulesOf(tenant.gmap, `tenants/${tenant.name}/tenant.gmap`, flowsByPack, problems);
    tenantRulesOf.set(tenant.name, tenantRules);
    const teams = tenant.teams.map((team) => ({ name: team.name, gmap: team.gmap.path, rules: [] as BundleRule[], parsed: rulesOf(team.gmap, `tenants/${tenant.name}/teams/${team.name}/team.gmap`, flowsByPack, problems) }));
    tenants.push({ name: tenant.name, gmap: tenant.gmap.path, rules: tenantRules.map(ruleView), teams: teams.map(({ name, gmap, parsed }) => ({ name, gmap, rules: parsed.map(ruleView) })) });
    const served = teams.length > 0 ? teams : [{ name: DEFAULT_TEAM, parsed: [] as GmapRule[] }];
    for (const team of served) {
      access.set(scopeKey(tenant.name, team.name), { tenantRules, teamRules: team.parsed });
      const flows = publicFlows(flowsByPack, tenantRules, team.parsed);
      const channels = channelsOf(layout, tenant.name, teams.length > 0 ? team.name : undefined, providers);
      bindings.push({ tenant: tenant.name, team: team.name, flows, channels });
      if (flows.length === 0) {
        problems.push({ severity: 'warning', where: `tenants/${tenant.name}`, message: `tenant \`${tenant.name}\` team \`${team.name}\` can reach no flow: its rules forbid every pack (upstream's default is forbidden)` });
      }
    }
  }
  problems.push(...resolvedProblems(layout, packs, providers));

  const report: BundleReport = {
    root: layout.root,
    name: layout.name,
    packs: packs.map((resolved) => resolved.pack),
    providers: providers.map((resolved) => resolved.pack),
    tenants,
    bindings,
    problems,
    ok: !problems.some((problem) => problem.severity === 'error'),
  };
  return { report, layout, packs, access, tenantRules: tenantRulesOf };
}

export function scopeKey(tenant: string, team: string): string {
  return `${tenant}\u0000${team}`;
}

/** The flows of the packs that the rules make public for one tenant and team, as `pack/flow`. */
export function publicFlows(flowsByPack: Map<string, CompiledFlow[]>, tenantRules: GmapRule[], teamRules: GmapRule[]): string[] {
  const open: string[] = [];
  for (const [packId, flows] of flowsByPack) {
    for (const flow of flows) if (evalWithOverlay(tenantRules, teamRules, { pack: packId, flow: flow.id }) === 'public') open.push(`${packId}/${flow.id}`);
  }
  return open;
}

function rulesOf(file: GmapFile, where: string, flowsByPack: Map<string, CompiledFlow[]>, problems: BundleProblem[]): GmapRule[] {
  if (file.text === null) return [];
  const { rules, errors } = parseGmap(file.text);
  for (const error of errors) problems.push({ severity: 'error', where: `${where}:${error.line}`, message: error.message });
  for (const rule of rules) {
    const problem = unknownTarget(rule, flowsByPack);
    if (problem) problems.push({ severity: 'error', where: `${where}:${rule.line}`, message: `rule \`${formatGmapPath(rule.path)}\` names ${problem}` });
  }
  return rules;
}

function unknownTarget(rule: GmapRule, flowsByPack: Map<string, CompiledFlow[]>): string | null {
  const { pack, flow, node } = rule.path;
  if (pack === undefined) return null;
  const flows = flowsByPack.get(pack);
  if (!flows) return `pack \`${pack}\`, which the bundle does not have`;
  if (flow === undefined || (flow === '_' && node === undefined)) return null;
  const found = flows.find((candidate) => candidate.id === flow);
  if (!found) return `flow \`${flow}\`, which pack \`${pack}\` does not have`;
  if (node !== undefined && !found.nodes.some((candidate) => candidate.id === node)) return `node \`${node}\`, which flow \`${pack}/${flow}\` does not have`;
  return null;
}

function ruleView(rule: GmapRule): BundleRule {
  return { path: formatGmapPath(rule.path), policy: rule.policy, line: rule.line };
}

function demoProblems(value: unknown): BundleProblem[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [{ severity: 'error', where: 'greentic.demo.yaml', message: 'expected a mapping (version, project_root, ...)' }];
  const version = (value as Record<string, unknown>).version;
  if (version !== undefined && String(version) !== '1') return [{ severity: 'warning', where: 'greentic.demo.yaml', message: `version ${String(version)} is not the bundle version upstream writes ("1")` }];
  return [];
}

function duplicatePackIds(packs: ResolvedPack[]): BundleProblem[] {
  const seen = new Map<string, string>();
  const problems: BundleProblem[] = [];
  for (const { pack } of packs) {
    if (!pack.packId) continue;
    const first = seen.get(pack.packId);
    if (first) problems.push({ severity: 'error', where: pack.path, message: `pack id \`${pack.packId}\` is also the id of ${first}` });
    else seen.set(pack.packId, pack.path);
  }
  return problems;
}

/** The messaging providers a tenant is bound to: its resolved manifest's, else every messaging provider pack. */
function channelsOf(layout: BundleLayout, tenant: string, team: string | undefined, providers: ResolvedPack[]): string[] {
  const manifest = layout.resolved.find((entry) => entry.path === `resolved/${team ? `${tenant}.${team}` : tenant}.yaml`);
  const listed = manifest ? providerPaths(manifest).messaging : undefined;
  const messaging = providers.filter((resolved) => resolved.pack.role === 'messaging' && (listed === undefined || listed.includes(resolved.pack.path)));
  return messaging.map((resolved) => resolved.pack.packId ?? resolved.pack.path);
}

function providerPaths(entry: ResolvedEntry): Record<string, string[]> {
  const providers = record(entry.value)?.providers;
  const out: Record<string, string[]> = {};
  for (const [domain, list] of Object.entries(record(providers) ?? {})) out[domain] = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  return out;
}

/** Each resolved manifest must be for a tenant (and team) of the bundle and list only packs it has. */
function resolvedProblems(layout: BundleLayout, packs: ResolvedPack[], providers: ResolvedPack[]): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const packPaths = new Set(packs.map((resolved) => resolved.pack.path));
  const providerSet = new Set(providers.map((resolved) => resolved.pack.path));
  for (const entry of layout.resolved) {
    if (entry.problem) {
      problems.push({ severity: 'error', where: entry.path, message: entry.problem });
      continue;
    }
    const manifest = record(entry.value);
    if (!manifest) {
      problems.push({ severity: 'error', where: entry.path, message: 'expected a mapping (tenant, team, packs, providers, ...)' });
      continue;
    }
    const tenant = typeof manifest.tenant === 'string' ? manifest.tenant : null;
    const team = typeof manifest.team === 'string' ? manifest.team : null;
    const known = layout.tenants.find((candidate) => candidate.name === tenant);
    if (!tenant || !known) problems.push({ severity: 'error', where: entry.path, message: `binds tenant \`${tenant ?? '(none)'}\`, which is not in tenants/` });
    else if (team && !known.teams.some((candidate) => candidate.name === team)) problems.push({ severity: 'error', where: entry.path, message: `binds team \`${team}\`, which tenant \`${tenant}\` does not have` });
    for (const pack of Array.isArray(manifest.packs) ? manifest.packs : []) {
      if (typeof pack === 'string' && !packPaths.has(pack)) problems.push({ severity: 'error', where: entry.path, message: `lists pack ${pack}, which is not in the bundle` });
    }
    for (const [domain, list] of Object.entries(providerPaths(entry))) {
      for (const provider of list) if (!providerSet.has(provider)) problems.push({ severity: 'error', where: entry.path, message: `binds ${domain} provider ${provider}, which is not in the bundle` });
    }
  }
  return problems;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
