/** The components a replay runs: a project folder's, or a `.gtpack`'s, with the built-ins. */
import { promises as fs } from 'node:fs';
import { BuiltinHost } from '../components/builtin';
import { CompositeHost } from '../components/composite';
import type { ComponentHost } from '../components/host';
import { commandComponentHost, projectComponentHost } from '../components/wasm/studio-components';
import { ProjectFiles } from '../chat/project-files';
import { openServedPack } from '../chat/pack-project';
import { MemoryStateStore } from '../sessions/state-store';

export interface ReplayPack {
  host: ComponentHost;
  close(): Promise<void>;
}

export async function openReplayPack(location: string): Promise<ReplayPack> {
  const state = new MemoryStateStore();
  const stat = await fs.stat(location);
  if (stat.isDirectory()) {
    const wasm = await projectComponentHost(location, state);
    return { host: new CompositeHost([new BuiltinHost({ assets: new ProjectFiles(location) }), wasm]), close: () => wasm.close() };
  }
  const pack = await openServedPack(location);
  const wasm = commandComponentHost(pack.components, null, state);
  const assets = pack.project.files ?? new ProjectFiles(pack.project.root);
  return { host: new CompositeHost([new BuiltinHost({ assets }), wasm]), close: () => wasm.close() };
}
