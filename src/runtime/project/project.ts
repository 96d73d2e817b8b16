import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StudioError, type FlowEntry, type FlowFile, type ProjectSnapshot } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';
import { resolveInside, toProjectPath } from './paths';

export const FLOW_EXTENSION = '.ygtc';
const MAX_FLOW_BYTES = 16 * 1024 * 1024;
const MAX_LISTED_FILES = 10_000;
const SKIPPED_FOLDERS = new Set(['node_modules', 'target', 'dist', 'out']);

/** A project folder on disk: a pack project (`pack.yaml` + `flows/`) or any folder with `.ygtc` files. */
export class Project {
  private constructor(
    readonly root: string,
    readonly packId: string | null,
  ) {}

  static async open(folder: string): Promise<Project> {
    const root = path.resolve(folder);
    const stat = await fs.stat(root).catch(() => null);
    if (!stat?.isDirectory()) throw new StudioError('not_found', `project folder not found: ${folder}`);
    return new Project(root, await readPackId(root));
  }

  get name(): string {
    return this.packId ?? path.basename(this.root);
  }

  async snapshot(): Promise<ProjectSnapshot> {
    return { root: this.root, name: this.name, packId: this.packId, flows: await this.listFlows() };
  }

  async listFlows(): Promise<FlowEntry[]> {
    const files: string[] = [];
    await collectFlowFiles(this.root, files);
    files.sort();
    return Promise.all(files.map(async (absolute) => describeFlow(toProjectPath(this.root, absolute), absolute)));
  }

  async readFlow(relative: string): Promise<FlowFile> {
    const absolute = this.flowPath(relative);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat?.isFile()) throw new StudioError('not_found', `flow not found: ${relative}`);
    if (stat.size > MAX_FLOW_BYTES) throw new StudioError('bad_request', `flow is larger than ${MAX_FLOW_BYTES} bytes: ${relative}`);
    return { path: toProjectPath(this.root, absolute), text: await fs.readFile(absolute, 'utf8') };
  }

  async saveFlow(relative: string, text: string): Promise<FlowFile> {
    const absolute = this.flowPath(relative);
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await writeFileAtomic(absolute, text);
    return { path: toProjectPath(this.root, absolute), text };
  }

  private flowPath(relative: string): string {
    if (!relative.endsWith(FLOW_EXTENSION)) throw new StudioError('bad_request', `not a flow file (${FLOW_EXTENSION}): ${relative}`);
    return resolveInside(this.root, relative);
  }
}

async function readPackId(root: string): Promise<string | null> {
  const text = await fs.readFile(path.join(root, 'pack.yaml'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const doc = parseYaml(text) as { pack_id?: unknown } | null;
    return typeof doc?.pack_id === 'string' ? doc.pack_id : null;
  } catch {
    return null;
  }
}

async function collectFlowFiles(folder: string, into: string[]): Promise<void> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (into.length >= MAX_LISTED_FILES) return;
    if (entry.name.startsWith('.')) continue;
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) await collectFlowFiles(absolute, into);
    else if (entry.isFile() && entry.name.endsWith(FLOW_EXTENSION)) into.push(absolute);
  }
}

async function describeFlow(relative: string, absolute: string): Promise<FlowEntry> {
  try {
    const doc = parseYaml(await fs.readFile(absolute, 'utf8'), { maxAliasCount: 100 }) as Record<string, unknown> | null;
    return {
      path: relative,
      id: typeof doc?.id === 'string' ? doc.id : null,
      title: typeof doc?.title === 'string' ? doc.title : null,
    };
  } catch {
    return { path: relative, id: null, title: null };
  }
}
