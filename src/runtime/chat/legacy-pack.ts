/**
 * What the runner takes from a legacy-layout pack (pack-format.md §2.2, §5.5), written by
 * greentic-pack's old `PackBuilder`:
 *
 * - flows run from their YAML source (`flows/<id>/flow.ygtc`, older builders `flow.yaml`) when it is
 *   a flow the runner loads. Their `flow.json` is the old builder's compiled form, whose node model the
 *   pack format does not specify, so it is never executed: a flow without a loadable source gets a
 *   problem that says so, and what is wrong with each file.
 * - components are `components/<name>@<version>/component.wasm`, with an optional `manifest.json`
 *   beside it, addressed by their `name` as the old flows address them; their bytes are read from the
 *   archive when the WASM host first needs them and checked against the manifest's BLAKE3 hash.
 */
import path from 'node:path';
import { compileFlow } from '../../shared/flow';
import { WasmComponentError } from '../components/wasm/errors';
import { parseManifest } from '../components/wasm/manifest';
import { readPackFiles, type ComponentLocation } from '../components/wasm/sources';
import type { LegacyPackManifest } from '../pack/manifest/model';
import type { FlowFileContent } from './flow-library';

type LegacyFlowEntry = LegacyPackManifest['flows'][number];
type LegacyComponentEntry = LegacyPackManifest['components'][number];

/** The pack's files a legacy flow may be read from, the YAML source first. */
export function legacyFlowFiles(flow: LegacyFlowEntry): { sources: string[]; compiled: string } {
  const sources = [flow.file_yaml, `flows/${flow.id}/flow.ygtc`, `flows/${flow.id}/flow.yaml`].filter((file): file is string => Boolean(file));
  return { sources: [...new Set(sources)], compiled: flow.file_json ?? `flows/${flow.id}/flow.json` };
}

/**
 * The runnable source of a legacy flow, or why there is none. `read` gives a file's text from the
 * archive (null when absent).
 */
export function legacyFlow(flow: LegacyFlowEntry, read: (file: string) => string | null): FlowFileContent | { problem: string } {
  const files = legacyFlowFiles(flow);
  const source = files.sources.map((file) => ({ file, text: read(file) })).find((candidate) => candidate.text !== null);
  const sourceProblem = source ? compileProblem(source.text as string) : null;
  if (source && sourceProblem === null) return { path: source.file, text: source.text as string };
  const why = source
    ? `its source ${source.file} does not load as a flow (${sourceProblem})`
    : `the pack carries no YAML source for it (${files.sources.join(', ')})`;
  return { problem: `legacy flow ${flow.id}: ${why}, and ${compiledFormNote(files.compiled, read(files.compiled))}` };
}

function compileProblem(text: string): string | null {
  const result = compileFlow(text);
  if (result.flow) return null;
  return result.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the flow does not compile';
}

/** What the old builder's compiled `flow.json` holds, said plainly, and that it is not run. */
function compiledFormNote(file: string, text: string | null): string {
  const notRun = 'the studio does not execute the legacy compiled flow model (the pack format does not specify its nodes)';
  if (text === null) return `it has no compiled form ${file} either; ${notRun}`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return `its compiled form ${file} is not JSON; ${notRun}`;
  }
  const { kind, nodes, entry } = (typeof doc === 'object' && doc !== null ? doc : {}) as { kind?: unknown; nodes?: unknown; entry?: unknown };
  const count = Array.isArray(nodes) ? nodes.length : typeof nodes === 'object' && nodes !== null ? Object.keys(nodes).length : 0;
  const facts = [
    typeof kind === 'string' ? `kind ${kind}` : null,
    `${count} node${count === 1 ? '' : 's'}`,
    typeof entry === 'string' ? `entry "${entry}"` : null,
  ].filter(Boolean);
  return `its compiled form ${file} (${facts.join(', ')}) is not run: ${notRun}`;
}

/** The pack's legacy components for the WASM host, read from the archive on first use. */
export function legacyComponents(pack: string, components: LegacyComponentEntry[]): ComponentLocation[] {
  return components.map((component) => {
    const wasmPath = component.file_wasm ?? `components/${component.name}@${component.version}/component.wasm`;
    const manifestPath = path.posix.join(path.posix.dirname(wasmPath), 'manifest.json');
    const origin = `${pack}#${wasmPath}`;
    return {
      id: component.name,
      origin,
      async read() {
        const contents = await readPackFiles(pack, [wasmPath, manifestPath]);
        const bytes = contents.retained.get(wasmPath);
        if (!bytes) throw new WasmComponentError('not_found', `${pack} lists component ${component.name}@${component.version} at ${wasmPath}, but has no such file`);
        const digest = contents.entries.find((entry) => entry.path === wasmPath)?.blake3;
        if (component.hash_blake3 && digest && component.hash_blake3.toLowerCase() !== digest) {
          throw new WasmComponentError('invalid_source', `${origin} does not match the hash the pack manifest gives it (${component.hash_blake3}, the file has ${digest})`);
        }
        const manifestBytes = contents.retained.get(manifestPath);
        const manifest = manifestBytes ? parseManifest(Buffer.from(manifestBytes).toString('utf8'), `${pack}#${manifestPath}`) : null;
        return { id: component.name, origin, bytes, manifest };
      },
    };
  });
}
