/**
 * A `.gtpack` served as the chat's project (`greentic-studio serve sample.gtpack`), read-only: its
 * flows from the sources the archive carries (the `--dev` and legacy layouts keep
 * `flows/<id>/flow.ygtc`), else the compiled flows of its manifest; its assets for card templates;
 * its components for the WASM host (legacy packs: see legacy-pack.ts). Read once through the pack's
 * bounded reader.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import type { Handlers } from '../../shared/api/define';
import type { projectMethods } from '../../shared/api/project';
import { packComponents, type ComponentLocation } from '../components/wasm/sources';
import { PackError } from '../pack/errors';
import { openPack, type OpenedPack } from '../pack/open';
import type { ChatProject } from './chat-host';
import { FlowLibrary, type FlowFileContent } from './flow-library';
import { legacyComponents, legacyFlow } from './legacy-pack';
import type { ChatFiles } from './project-files';

export interface ServedPack {
  project: ChatProject;
  /** `pack_id@version`, for messages. */
  label: string;
  /** The pack's flows as conversations address them (`flowPath`), in manifest order. */
  flowPaths: string[];
  /** The pack's WASM components, for the component host. */
  components: ComponentLocation[];
  /** The flows that cannot run, each with the reason. */
  unrunnable: { path: string; problem: string }[];
}

const ASSETS_PREFIX = 'assets/';
/** Flow sources, and the legacy layout's compiled `flow.json`, read to say why it is not run. */
const FLOW_FILE = /^flows\/[^/]+\/flow\.(ygtc|yaml|json)$/;

/** Opens `file` as a served pack; a clear `StudioError` when it is not a readable pack. */
export async function openServedPack(file: string): Promise<ServedPack> {
  const absolute = path.resolve(file);
  if (!(await fs.stat(absolute).catch(() => null))?.isFile()) throw new StudioError('not_found', `no such pack file: ${file}`);
  let pack: OpenedPack;
  try {
    pack = await openPack({ path: absolute }, { retain: (entry) => entry.startsWith(ASSETS_PREFIX) || FLOW_FILE.test(entry) });
  } catch (error) {
    if (error instanceof PackError) throw new StudioError('invalid_pack', `${file} is not a readable pack: ${error.message}`);
    throw error;
  }
  const { packId, label, flows } = packFlows(pack);
  const byPath = new Map(flows.map((flow) => [flow.path, flow]));
  const readOnly = (what: string) =>
    new StudioError('forbidden', `${what}: ${path.basename(absolute)} is a pack, served read-only; serve the pack's source folder to change it`);
  const files: ChatFiles = {
    root: absolute,
    async readOptional(relative) {
      const bytes = pack.contents.retained.get(path.posix.normalize(relative.replace(/^\.\//, '')));
      return bytes ? Buffer.from(bytes).toString('utf8') : null;
    },
    async readText(relative) {
      const text = await this.readOptional(relative);
      if (text === null) throw new StudioError('not_found', `${path.basename(absolute)} has no file ${relative}`);
      return text;
    },
    write: async (relative) => {
      throw readOnly(`cannot write ${relative}`);
    },
    remove: async (relative) => {
      throw readOnly(`cannot remove ${relative}`);
    },
  };
  const project: ChatProject = {
    root: absolute,
    packId,
    files,
    listFlowPaths: async () => flows.map((flow) => flow.path),
    readFlow: async (flowPath) => {
      const flow = byPath.get(flowPath);
      if (!flow) throw new StudioError('not_found', `${label} has no flow ${flowPath}`);
      if ('problem' in flow.content) throw new StudioError('invalid_flow', flow.content.problem);
      return flow.content;
    },
  };
  const components = pack.decoded.model === 'legacy' ? legacyComponents(absolute, pack.decoded.manifest.components) : await packComponents(absolute);
  const unrunnable = (await new FlowLibrary(project).entries()).flatMap((entry) => (entry.flow ? [] : [{ path: entry.path, problem: entry.problem ?? 'the flow does not compile' }]));
  return { project, label, flowPaths: flows.map((flow) => flow.path), components, unrunnable };
}

interface PackFlow {
  path: string;
  content: FlowFileContent | { problem: string };
}

/** The runnable model of the pack's flows: each flow's source when the archive has it, else its compiled form. */
function packFlows(pack: OpenedPack): { packId: string; label: string; flows: PackFlow[] } {
  const read = (entry: string): string | null => {
    const bytes = pack.contents.retained.get(entry);
    return bytes ? Buffer.from(bytes).toString('utf8') : null;
  };
  const source = (entry: string): FlowFileContent | null => {
    const text = read(entry);
    return text === null ? null : { path: entry, text };
  };
  if (pack.decoded.model === 'legacy') {
    const { meta, flows } = pack.decoded.manifest;
    return {
      packId: meta.pack_id,
      label: `${meta.pack_id}@${meta.version}`,
      flows: flows.map((flow) => {
        const content = legacyFlow(flow, read);
        return { path: 'problem' in content ? (flow.file_yaml ?? compiledPath(flow.id)) : content.path, content };
      }),
    };
  }
  const manifest = pack.decoded.manifest;
  return {
    packId: manifest.pack_id,
    label: `${manifest.pack_id}@${manifest.version}`,
    flows: manifest.flows.map((entry) => {
      const content = source(`flows/${entry.id}/flow.ygtc`) ?? { path: compiledPath(entry.id), compiled: entry.flow };
      return { path: content.path, content };
    }),
  };
}

/** How a conversation names a flow the pack carries only compiled. */
function compiledPath(flowId: string): string {
  return `manifest.cbor#${flowId}`;
}

/**
 * The project methods while a pack is served: there is no folder to open or edit, and the UI says
 * why; the chat, Direct Line and NATS run the pack's flows.
 */
export function servedPackProjectHandlers(pack: ServedPack): Pick<Handlers<typeof projectMethods>, 'openProject' | 'newProject' | 'getProject'> {
  const refuse = async (): Promise<never> => {
    throw new StudioError(
      'unavailable',
      `This studio serves the pack ${pack.label} (${path.basename(pack.project.root)}), read-only: its flows answer in the webchat and on Direct Line. ` +
        `The Pack workspace shows them (open ${pack.project.root}); to edit them, serve the pack's source folder.`,
    );
  };
  return { openProject: refuse, newProject: refuse, getProject: async () => null };
}
