/**
 * The components a project offers to the palette: those `pack.yaml` lists, every
 * `component.manifest.json` under `components/`, and the registry components its lock pins (from
 * the cache), with their operations, input and config schemas.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ComponentEntry, ComponentOperation } from '../../shared/api';
import { lockedInCache } from '../components/wasm/locked-sources';
import { toProjectPath } from './paths';

const MANIFEST_NAME = 'component.manifest.json';
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_DEPTH = 4;

export async function listComponents(root: string, packYaml: unknown): Promise<ComponentEntry[]> {
  const byId = new Map<string, ComponentEntry>();
  for (const entry of componentsOfPack(packYaml)) byId.set(entry.id, entry);
  const manifests: string[] = [];
  await findManifests(path.join(root, 'components'), 0, manifests);
  for (const file of manifests.sort()) {
    const entry = await readManifest(root, file);
    if (!entry) continue;
    const known = byId.get(entry.id);
    byId.set(entry.id, known ? { ...known, ...entry, operations: entry.operations.length ? entry.operations : known.operations } : entry);
  }
  for (const { entry, cached } of await lockedInCache(root)) {
    if (byId.has(entry.component_id)) continue;
    const manifest = cached.manifestPath ? await readManifestValue(cached.manifestPath) : null;
    byId.set(entry.component_id, {
      id: entry.component_id,
      name: stringOr(manifest?.name),
      version: entry.component_version ?? stringOr(manifest?.version),
      manifestPath: null,
      operations: operationsOf(manifest?.operations),
      ...(manifest && manifest.config_schema !== undefined ? { configSchema: manifest.config_schema } : {}),
      ...(manifest && manifest.dev_flows !== undefined ? { devFlows: manifest.dev_flows } : {}),
      ...(entry.ref ? { lockedRef: entry.ref } : {}),
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The components of a project folder, with its `pack.yaml` read from disk. */
export async function projectComponentEntries(root: string): Promise<ComponentEntry[]> {
  const packText = await fs.readFile(path.join(root, 'pack.yaml'), 'utf8').catch(() => null);
  return listComponents(root, readPackYaml(packText));
}

function componentsOfPack(packYaml: unknown): ComponentEntry[] {
  const list = isRecord(packYaml) && Array.isArray(packYaml.components) ? packYaml.components : [];
  return list.flatMap((item): ComponentEntry[] => {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') return [];
    return [{ id: item.id, name: stringOr(item.name), version: stringOr(item.version), manifestPath: null, operations: operationsOf(item.operations) }];
  });
}

async function findManifests(folder: string, depth: number, into: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) await findManifests(absolute, depth + 1, into);
    else if (entry.isFile() && entry.name === MANIFEST_NAME) into.push(absolute);
  }
}

async function readManifest(root: string, file: string): Promise<ComponentEntry | null> {
  const value = await readManifestValue(file);
  if (!value || typeof value.id !== 'string' || value.id === '') return null;
  return {
    id: value.id,
    name: stringOr(value.name),
    version: stringOr(value.version),
    manifestPath: toProjectPath(root, file),
    operations: operationsOf(value.operations),
    ...(value.config_schema !== undefined ? { configSchema: value.config_schema } : {}),
    ...(value.dev_flows !== undefined ? { devFlows: value.dev_flows } : {}),
  };
}

/** A manifest file's JSON object; null when it is too big or broken (the pack builder reports that; the palette simply does not offer it). */
async function readManifestValue(file: string): Promise<Record<string, unknown> | null> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_MANIFEST_BYTES) return null;
    const value: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function operationsOf(value: unknown): ComponentOperation[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((op): ComponentOperation[] =>
    isRecord(op) && typeof op.name === 'string' && op.name !== '' ? [{ name: op.name, inputSchema: op.input_schema ?? null }] : [],
  );
}

export function readPackYaml(text: string | null): unknown {
  if (text === null) return null;
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
