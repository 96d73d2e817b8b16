/**
 * A chat runtime over a folder or a flow file on disk, for the command line (`chat`, `test`): the
 * project root is the nearest folder with a `pack.yaml` (or the flow's own folder), so `flow.call`
 * and jumps reach the flow's siblings.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import { Project, FLOW_EXTENSION } from '../project/project';
import { toProjectPath } from '../project/paths';
import { projectComponentHost } from '../components/wasm/studio-components';
import { MemoryStateStore } from '../sessions/state-store';
import { ChatHost, type ChatHostOptions, type ProjectChat } from './chat-host';

export interface LocalChat extends ProjectChat {
  root: string;
  /** The flow named on the command line, relative to the root; undefined for a folder. */
  flowPath?: string;
  /** Stops the project's WASM component runner. */
  close(): Promise<void>;
}

const MAX_PACK_SEARCH_DEPTH = 8;

/** A folder or flow file named on the command line, as a project root and (for a file) the flow in it. */
export interface LocalTarget {
  root: string;
  flowPath?: string;
}

/** Where a folder or a `.ygtc` file on the command line puts the project; clear errors for anything else. */
export async function resolveLocalTarget(target: string): Promise<LocalTarget> {
  const absolute = path.resolve(target);
  const stat = await fs.stat(absolute).catch(() => null);
  if (!stat) throw new StudioError('not_found', `no such file or folder: ${target}`);
  if (!stat.isFile()) return { root: absolute };
  if (!absolute.endsWith(FLOW_EXTENSION)) throw new StudioError('bad_request', `not a flow file (${FLOW_EXTENSION}): ${target}`);
  const root = await packRootOf(path.dirname(absolute));
  return { root, flowPath: toProjectPath(root, absolute) };
}

export async function openLocalChat(target: string, options: Omit<ChatHostOptions, 'projects'> = {}): Promise<LocalChat> {
  const { root, flowPath } = await resolveLocalTarget(target);
  const project = await Project.open(root);
  const stateStore = options.stateStore ?? new MemoryStateStore();
  const components = await projectComponentHost(root, stateStore);
  const chat = await new ChatHost({
    ...options,
    stateStore,
    componentHosts: [...(options.componentHosts ?? []), components],
    projects: { require: async () => project },
  }).project();
  return { ...chat, root, ...(flowPath ? { flowPath } : {}), close: () => components.close() };
}

async function packRootOf(folder: string): Promise<string> {
  let current = folder;
  for (let depth = 0; depth < MAX_PACK_SEARCH_DEPTH; depth += 1) {
    if (await fs.stat(path.join(current, 'pack.yaml')).catch(() => null)) return current;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return folder;
}
