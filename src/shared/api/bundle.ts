/**
 * Deployment bundles (upstream's `greentic.demo.yaml` folder): its packs, provider packs, tenants,
 * teams and `.gmap` access rules, as `bundle check` and the studio's Bundle workspace report them.
 */
import { z } from 'zod';
import { method } from './define';

export type BundleProblemSeverity = 'error' | 'warning';

export interface BundleProblem {
  severity: BundleProblemSeverity;
  /** The file or folder of the bundle the problem is in (`packs/a.gtpack`, `tenants/acme/tenant.gmap:3`). */
  where: string;
  message: string;
}

export interface BundleFlow {
  id: string;
  nodes: string[];
}

export interface BundlePack {
  /** Path in the bundle (`packs/weather.gtpack`, `packs/weather`, `providers/messaging/webchat.gtpack`). */
  path: string;
  kind: 'gtpack' | 'dir';
  /** `packs` for app packs, else the provider domain (`messaging`, `events`, ...). */
  role: string;
  packId: string | null;
  version: string | null;
  flows: BundleFlow[];
  components: string[];
  /** `verified`, `not signed`, `no accepted signature`, `invalid`, or `not checked` (a folder). */
  signature: string;
}

export interface BundleRule {
  path: string;
  policy: 'public' | 'forbidden';
  line: number;
}

export interface BundleTeam {
  name: string;
  gmap: string | null;
  rules: BundleRule[];
}

export interface BundleTenant {
  name: string;
  gmap: string | null;
  rules: BundleRule[];
  teams: BundleTeam[];
}

/** Who is served what: a tenant (and team) with the flows its rules open, on the bundle's channels. */
export interface BundleBinding {
  tenant: string;
  team: string;
  /** `pack_id/flow_id` of every flow the rules make public. */
  flows: string[];
  /** Messaging providers (channel packs) the tenant is bound to. */
  channels: string[];
}

export interface BundleReport {
  root: string;
  name: string;
  packs: BundlePack[];
  providers: BundlePack[];
  tenants: BundleTenant[];
  bindings: BundleBinding[];
  problems: BundleProblem[];
  /** True when no problem is an error. */
  ok: boolean;
}

export const bundleMethods = {
  /** Reads and checks a bundle folder (as `greentic-studio bundle check`), trusting the studio's trust store. */
  inspectBundle: method<BundleReport>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
};
