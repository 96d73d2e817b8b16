/**
 * A deployment bundle's folder as upstream's operator lays it out (`gtc op demo new|build`):
 * `greentic.demo.yaml`, `packs/` (`.gtpack` archives or pack folders), `providers/<domain>/*.gtpack`,
 * `tenants/<tenant>/tenant.gmap`, `tenants/<tenant>/teams/<team>/team.gmap` and the resolved
 * manifests `resolved/<tenant>[.<team>].yaml`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const BUNDLE_FILE = 'greentic.demo.yaml';
const MAX_BUNDLE_TEXT_BYTES = 1024 * 1024;

/** Not a bundle, or not readable: a usage or I/O problem. */
export class BundleError extends Error {}

export interface BundleEntry {
  /** Relative to the bundle root, with `/`. */
  path: string;
  kind: 'gtpack' | 'dir';
}

export interface GmapFile {
  /** Relative path; null when the file is absent (upstream then has no rules: all forbidden). */
  path: string | null;
  text: string | null;
}

export interface TenantEntry {
  name: string;
  gmap: GmapFile;
  teams: { name: string; gmap: GmapFile }[];
}

export interface ResolvedEntry {
  path: string;
  /** The parsed YAML, or the reason it could not be. */
  value: unknown;
  problem?: string;
}

export interface BundleLayout {
  root: string;
  /** `bundle_name` of greentic.demo.yaml, else the folder's name. */
  name: string;
  demo: { value: unknown; problem?: string };
  packs: BundleEntry[];
  providers: { domain: string; entry: BundleEntry }[];
  tenants: TenantEntry[];
  resolved: ResolvedEntry[];
}

export async function isBundleFolder(folder: string): Promise<boolean> {
  return Boolean((await fs.stat(path.join(folder, BUNDLE_FILE)).catch(() => null))?.isFile());
}

export async function readBundleLayout(folder: string): Promise<BundleLayout> {
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new BundleError(`no such bundle folder: ${folder}`);
  if (!(await isBundleFolder(root))) throw new BundleError(`${folder} is not a bundle: it has no ${BUNDLE_FILE}`);
  const demo = await readYaml(root, BUNDLE_FILE);
  const declared = demo.value && typeof demo.value === 'object' ? (demo.value as Record<string, unknown>).bundle_name : undefined;
  return {
    root,
    name: typeof declared === 'string' && declared.trim() ? declared : path.basename(root),
    demo,
    packs: await scanPacks(root),
    providers: await scanProviders(root),
    tenants: await scanTenants(root),
    resolved: await scanResolved(root),
  };
}

async function scanPacks(root: string): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const entry of await listDir(path.join(root, 'packs'))) {
    if (entry.isDirectory()) entries.push({ path: `packs/${entry.name}`, kind: 'dir' });
    else if (entry.isFile() && entry.name.endsWith('.gtpack')) entries.push({ path: `packs/${entry.name}`, kind: 'gtpack' });
  }
  return entries.sort((a, b) => compare(a.path, b.path));
}

async function scanProviders(root: string): Promise<{ domain: string; entry: BundleEntry }[]> {
  const providers: { domain: string; entry: BundleEntry }[] = [];
  for (const domain of await listDir(path.join(root, 'providers'))) {
    if (!domain.isDirectory()) continue;
    for (const file of await listDir(path.join(root, 'providers', domain.name))) {
      if (file.isFile() && file.name.endsWith('.gtpack')) providers.push({ domain: domain.name, entry: { path: `providers/${domain.name}/${file.name}`, kind: 'gtpack' } });
    }
  }
  return providers.sort((a, b) => compare(a.entry.path, b.entry.path));
}

async function scanTenants(root: string): Promise<TenantEntry[]> {
  const tenants: TenantEntry[] = [];
  for (const tenant of await listDir(path.join(root, 'tenants'))) {
    if (!tenant.isDirectory()) continue;
    const base = `tenants/${tenant.name}`;
    const teams: TenantEntry['teams'] = [];
    for (const team of await listDir(path.join(root, base, 'teams'))) {
      if (team.isDirectory()) teams.push({ name: team.name, gmap: await readGmap(root, `${base}/teams/${team.name}/team.gmap`) });
    }
    teams.sort((a, b) => compare(a.name, b.name));
    tenants.push({ name: tenant.name, gmap: await readGmap(root, `${base}/tenant.gmap`), teams });
  }
  return tenants.sort((a, b) => compare(a.name, b.name));
}

async function scanResolved(root: string): Promise<ResolvedEntry[]> {
  const resolved: ResolvedEntry[] = [];
  for (const file of await listDir(path.join(root, 'resolved'))) {
    if (file.isFile() && file.name.endsWith('.yaml')) resolved.push({ path: `resolved/${file.name}`, ...(await readYaml(root, `resolved/${file.name}`)) });
  }
  return resolved.sort((a, b) => compare(a.path, b.path));
}

async function readGmap(root: string, relative: string): Promise<GmapFile> {
  const text = await readBoundedText(path.join(root, relative));
  return text === null ? { path: null, text: null } : { path: relative, text };
}

async function readYaml(root: string, relative: string): Promise<{ value: unknown; problem?: string }> {
  const text = await readBoundedText(path.join(root, relative));
  if (text === null) return { value: null, problem: `cannot read ${relative} (missing, unreadable or larger than ${MAX_BUNDLE_TEXT_BYTES} bytes)` };
  try {
    return { value: parseYaml(text) };
  } catch (error) {
    return { value: null, problem: `${relative} is not YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readBoundedText(file: string): Promise<string | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile() || stat.size > MAX_BUNDLE_TEXT_BYTES) return null;
  return fs.readFile(file, 'utf8').catch(() => null);
}

async function listDir(folder: string) {
  return fs.readdir(folder, { withFileTypes: true }).catch(() => []);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
