/**
 * Upstream's access mapping files (`tenants/<t>/tenant.gmap`, `tenants/<t>/teams/<team>/team.gmap`):
 * one `<path> = <policy>` rule a line, `#` comments, the path `_` (everything), `pack`, `pack/_`,
 * `pack/flow` or `pack/flow/node`, the policy `public` or `forbidden`. The most specific rule wins,
 * the later of two equally specific ones, and a team's rules come before its tenant's.
 */

export type GmapPolicy = 'public' | 'forbidden';

export interface GmapPath {
  pack?: string;
  flow?: string;
  node?: string;
}

export interface GmapRule {
  path: GmapPath;
  policy: GmapPolicy;
  line: number;
}

/** A line that is not a rule, with upstream's message. */
export class GmapError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'GmapError';
  }
}

/** The rules of a file, and every line that is not one. */
export function parseGmap(text: string): { rules: GmapRule[]; errors: GmapError[] } {
  const rules: GmapRule[] = [];
  const errors: GmapError[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    try {
      rules.push(parseRule(line, index + 1));
    } catch (error) {
      if (error instanceof GmapError) errors.push(error);
      else throw error;
    }
  }
  return { rules, errors };
}

function parseRule(line: string, number: number): GmapRule {
  const at = line.indexOf('=');
  const rawPath = (at < 0 ? line : line.slice(0, at)).trim();
  const rawPolicy = at < 0 ? '' : line.slice(at + 1).trim();
  if (!rawPath) throw new GmapError(`Invalid rule line ${number}: missing path`, number);
  if (!rawPolicy) throw new GmapError(`Invalid rule line ${number}: missing policy`, number);
  return { path: parsePath(rawPath, number), policy: parsePolicy(rawPolicy, number), line: number };
}

function parsePath(raw: string, number: number): GmapPath {
  if (raw === '_') return {};
  const segments = raw.split('/').filter((segment) => segment.length > 0);
  if (segments.length === 0) throw new GmapError(`Invalid path on line ${number}: empty path`, number);
  if (segments.length > 3) throw new GmapError(`Invalid path on line ${number}: too many segments`, number);
  const [pack, flow, node] = segments;
  return { ...(pack ? { pack } : {}), ...(flow ? { flow } : {}), ...(node ? { node } : {}) };
}

function parsePolicy(raw: string, number: number): GmapPolicy {
  if (raw === 'public' || raw === 'forbidden') return raw;
  throw new GmapError(`Invalid policy on line ${number}: ${raw}`, number);
}

export function formatGmapPath(path: GmapPath): string {
  return [path.pack, path.flow, path.node].filter((segment) => segment !== undefined).join('/') || '_';
}

/** The policy of the most specific matching rule (the later on a tie), or null when none matches. */
export function evalGmap(rules: readonly GmapRule[], target: GmapPath): GmapPolicy | null {
  let best: { rank: number; policy: GmapPolicy } | null = null;
  for (const rule of rules) {
    if (!matches(rule.path, target)) continue;
    const rank = specificity(rule.path);
    if (!best || rank >= best.rank) best = { rank, policy: rule.policy };
  }
  return best?.policy ?? null;
}

/** A team's rules first, then its tenant's; upstream's default when neither decides is `forbidden`. */
export function evalWithOverlay(tenantRules: readonly GmapRule[], teamRules: readonly GmapRule[], target: GmapPath): GmapPolicy {
  return evalGmap(teamRules, target) ?? evalGmap(tenantRules, target) ?? 'forbidden';
}

function matches(rule: GmapPath, target: GmapPath): boolean {
  if (rule.pack === undefined) return true;
  if (rule.pack !== target.pack) return false;
  if (rule.flow === undefined || (rule.node === undefined && rule.flow === '_')) return true;
  if (rule.flow !== target.flow) return false;
  return rule.node === undefined || rule.node === target.node;
}

function specificity(path: GmapPath): number {
  if (path.pack === undefined) return 0;
  if (path.flow === undefined) return 3;
  if (path.node === undefined) return path.flow === '_' ? 2 : 4;
  return 5;
}
