import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError, type FlowEntry, type FlowFile, type FlowLayoutFile, type ProjectProblems, type ProjectSnapshot } from '../../shared/api';
import { checkFlowFiles, decodeFlowBytes, EMPTY_RANGE, RESOLVE_SIDECAR_SUFFIX, type FlowFileCheck, type FlowFileInput } from '../../shared/flow';
import { layoutPathFor, parseLayout, serializeLayout, type FlowLayout } from '../../shared/flow/layout';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../fs/atomic';
import { doctorFolder } from '../pack/doctor/folder';
import { knownComponents } from './component-catalog';
import { listComponents, readPackYaml } from './components';
import { copyFlow, moveFlow, removeFlow, writeNewFlow } from './flow-files';
import { resolveInside, toProjectPath } from './paths';

export const FLOW_EXTENSION = '.ygtc';
const MAX_FLOW_BYTES = 16 * 1024 * 1024;
const MAX_LAYOUT_BYTES = 4 * 1024 * 1024;
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
    return new Project(root, packIdOf(readPackYaml(await readPackText(root))));
  }

  get name(): string {
    return this.packId ?? path.basename(this.root);
  }

  async snapshot(): Promise<ProjectSnapshot> {
    const [flows, components, assets] = await Promise.all([
      this.listFlows(),
      readPackText(this.root).then((text) => listComponents(this.root, readPackYaml(text))),
      this.listAssets(),
    ]);
    return { root: this.root, name: this.name, packId: this.packId, flows, components, assets };
  }

  /** Every flow file's project path, sorted; a directory walk only, cheap enough for every turn. */
  async listFlowPaths(): Promise<string[]> {
    const files: string[] = [];
    await collectFiles(this.root, files, (name) => name.endsWith(FLOW_EXTENSION));
    return files.map((absolute) => toProjectPath(this.root, absolute)).sort();
  }

  /** The flows with their id and title, for the project tree (reads and parses each file). */
  async listFlows(): Promise<FlowEntry[]> {
    return Promise.all((await this.listFlowPaths()).map((relative) => describeFlow(relative, path.join(this.root, relative))));
  }

  async listAssets(): Promise<string[]> {
    const files: string[] = [];
    await collectFiles(path.join(this.root, 'assets'), files, () => true);
    return files.map((absolute) => toProjectPath(this.root, absolute)).sort();
  }

  async readFlow(relative: string): Promise<FlowFile> {
    const absolute = this.flowPath(relative);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat?.isFile()) throw new StudioError('not_found', `flow not found: ${relative}`);
    if (stat.size > MAX_FLOW_BYTES) throw new StudioError('bad_request', `flow is larger than ${MAX_FLOW_BYTES} bytes: ${relative}`);
    const decoded = decodeFlowBytes(await fs.readFile(absolute), relative);
    if ('problem' in decoded) throw new StudioError('invalid_flow', decoded.problem.message);
    return { path: toProjectPath(this.root, absolute), text: decoded.text };
  }

  /** Every flow checked as `greentic-studio validate` checks the project folder. */
  async validate(): Promise<ProjectProblems> {
    const inputs: FlowFileInput[] = [];
    const unreadable: FlowFileCheck[] = [];
    const resolveSidecars: Record<string, string> = {};
    for (const relative of await this.listFlowPaths()) {
      const absolute = path.join(this.root, relative);
      const bytes = await readBounded(absolute, MAX_FLOW_BYTES);
      if (bytes === null) {
        const message = `cannot read '${relative}': missing, unreadable or larger than ${MAX_FLOW_BYTES} bytes`;
        unreadable.push({ path: relative, flowId: null, ok: false, diagnostics: [{ severity: 'error', code: 'unreadable_file', message, range: EMPTY_RANGE }] });
        continue;
      }
      const decoded = decodeFlowBytes(bytes, relative);
      if ('problem' in decoded) {
        unreadable.push({ path: relative, flowId: null, ok: false, diagnostics: [decoded.problem] });
        continue;
      }
      const text = decoded.text;
      const sidecarBytes = await readBounded(absolute + RESOLVE_SIDECAR_SUFFIX, MAX_FLOW_BYTES);
      const sidecar = sidecarBytes?.toString('utf8') ?? null;
      if (sidecar !== null) resolveSidecars[relative] = sidecar;
      inputs.push({ path: relative, text, resolveSidecar: sidecar });
    }
    const components = await knownComponents(this.root);
    const hasPackYaml = (await fs.stat(path.join(this.root, 'pack.yaml')).catch(() => null))?.isFile() === true;
    const pack = hasPackYaml ? await doctorFolder(this.root) : [];
    return { files: [...checkFlowFiles(inputs, components), ...unreadable].sort((a, b) => (a.path < b.path ? -1 : 1)), resolveSidecars, components, pack };
  }

  async saveFlow(relative: string, text: string): Promise<FlowFile> {
    const absolute = this.flowPath(relative);
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await writeFileAtomic(absolute, text);
    return { path: toProjectPath(this.root, absolute), text };
  }

  async createFlow(relative: string, options: { id: string; type: string; title?: string }): Promise<FlowFile> {
    const absolute = this.flowPath(relative);
    const text = await writeNewFlow(absolute, relative, options);
    return { path: toProjectPath(this.root, absolute), text };
  }

  async renameFlow(from: string, to: string): Promise<FlowFile> {
    const target = this.flowPath(to);
    await moveFlow(this.flowPath(from), target, to);
    return this.readFlow(toProjectPath(this.root, target));
  }

  async duplicateFlow(from: string, to: string): Promise<FlowFile> {
    const target = this.flowPath(to);
    const text = await copyFlow(this.flowPath(from), target, to);
    return { path: toProjectPath(this.root, target), text };
  }

  async deleteFlow(relative: string): Promise<{ path: string }> {
    const absolute = this.flowPath(relative);
    await removeFlow(absolute, relative);
    return { path: toProjectPath(this.root, absolute) };
  }

  /** The flow's layout sidecar; a missing one is `null`, an unreadable one `null` with the reason. */
  async readLayout(flow: string): Promise<FlowLayoutFile> {
    const absolute = layoutPathFor(this.flowPath(flow));
    const shown = toProjectPath(this.root, absolute);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat?.isFile()) return { path: shown, layout: null, problem: null };
    if (stat.size > MAX_LAYOUT_BYTES) return { path: shown, layout: null, problem: `layout file is larger than ${MAX_LAYOUT_BYTES} bytes` };
    const parsed = parseLayout(await fs.readFile(absolute, 'utf8'));
    return parsed.ok ? { path: shown, layout: parsed.layout, problem: null } : { path: shown, layout: null, problem: parsed.message };
  }

  async saveLayout(flow: string, layout: FlowLayout): Promise<FlowLayoutFile> {
    const absolute = layoutPathFor(this.flowPath(flow));
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await writeFileAtomic(absolute, serializeLayout(layout));
    return { path: toProjectPath(this.root, absolute), layout, problem: null };
  }

  private flowPath(relative: string): string {
    if (!relative.endsWith(FLOW_EXTENSION)) throw new StudioError('bad_request', `not a flow file (${FLOW_EXTENSION}): ${relative}`);
    return resolveInside(this.root, relative);
  }
}

function readPackText(root: string): Promise<string | null> {
  return fs.readFile(path.join(root, 'pack.yaml'), 'utf8').catch(() => null);
}

function packIdOf(packYaml: unknown): string | null {
  const id = (packYaml as { pack_id?: unknown } | null)?.pack_id;
  return typeof id === 'string' ? id : null;
}

/** A file's text, or null when it is missing, unreadable or larger than `limit` bytes. */
async function readBounded(file: string, limit: number): Promise<Buffer | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile() || stat.size > limit) return null;
  return fs.readFile(file).catch(() => null);
}

async function collectFiles(folder: string, into: string[], wanted: (name: string) => boolean): Promise<void> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (into.length >= MAX_LISTED_FILES) return;
    if (entry.name.startsWith('.')) continue;
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) await collectFiles(absolute, into, wanted);
    else if (entry.isFile() && wanted(entry.name)) into.push(absolute);
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
