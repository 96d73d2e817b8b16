/** A bundle's access rules as the runner enforces them: which tenant and team may run which flow and node of a pack. */
import type { AdmitPolicy } from '../chat/chat-runtime';
import { DEFAULT_TEAM, scopeKey, type CheckedBundle } from './bundle-check';
import { evalWithOverlay, formatGmapPath } from './gmap';

export function bundleAdmission(bundle: CheckedBundle, packId: string): AdmitPolicy {
  return ({ tenant, team }, { flow, node }) => {
    const known = bundle.layout.tenants.find((candidate) => candidate.name === tenant);
    if (!known) return `tenant \`${tenant}\` is not in the bundle ${bundle.report.name}`;
    if (team && known.teams.length > 0 && !known.teams.some((candidate) => candidate.name === team)) return `tenant \`${tenant}\` has no team \`${team}\` in the bundle`;
    const rules = bundle.access.get(scopeKey(tenant, team ?? DEFAULT_TEAM));
    const target = { pack: packId, flow, ...(node === undefined ? {} : { node }) };
    const policy = evalWithOverlay(rules?.tenantRules ?? bundle.tenantRules.get(tenant) ?? [], rules?.teamRules ?? [], target);
    if (policy === 'public') return null;
    return `tenant \`${tenant}\` team \`${team ?? DEFAULT_TEAM}\` may not use ${node === undefined ? 'flow' : 'node'} \`${formatGmapPath(target)}\`: the bundle's .gmap rules forbid it`;
  };
}
