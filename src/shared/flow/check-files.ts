/**
 * Checking a set of flow files as `greentic-studio validate` does: each file loaded with the studio
 * lints, calls between flows checked against the ids of the set, resolve sidecars compared. The CLI
 * and the editor's Problems list both go through here, so they always agree.
 */
import { checkNodeComponents, type KnownComponent } from './component-check';
import type { Diagnostic } from './diagnostic';
import type { OtherFlow } from './lints';
import { loadParsed } from './load';
import { parseFlow, type ParsedFlow } from './parse';

export const RESOLVE_SIDECAR_SUFFIX = '.resolve.json';

export interface FlowFileInput {
  /** The path shown in messages (the CLI's argument, or the project path). */
  path: string;
  text: string;
  /** The flow's `<flow>.ygtc.resolve.json`, when it has one. */
  resolveSidecar: string | null;
}

export interface FlowFileCheck {
  path: string;
  flowId: string | null;
  /** True when upstream would load and compile the flow and no lint reports an error. */
  ok: boolean;
  diagnostics: Diagnostic[];
}

/** Each file of a set with its flow id, so `flow.call` / `flow.goto` targets and clashing ids can be checked. */
export function flowIdsOf(files: readonly FlowFileInput[]): OtherFlow[] {
  return files.map((file) => ({ path: file.path, id: idOf(parseFlow(file.text, { sourceName: file.path })) }));
}

/** What one file of a set is checked against: every id of the set, and the other files with theirs. */
export function setContextFor(path: string, flows: readonly OtherFlow[]): FlowSetContext {
  return {
    knownFlowIds: flows.flatMap(({ id }) => (id === null ? [] : [id])),
    otherFlows: flows.filter((flow) => flow.path !== path),
  };
}

/** What a file is checked against: the ids of its set (absent: calls to other flows are not checked) and the other files with their ids. */
export interface FlowSetContext {
  knownFlowIds?: readonly string[];
  otherFlows?: readonly OtherFlow[];
  /** The components the project can run; absent: the components steps call are not checked. */
  components?: readonly KnownComponent[];
}

/** One file of a set. */
export function checkFlowFile(file: FlowFileInput, context: FlowSetContext = {}): FlowFileCheck {
  const parsed = parseFlow(file.text, { sourceName: file.path });
  const { components, ...lintContext } = context;
  const loaded = loadParsed(parsed, {
    ...lintContext,
    ...(file.resolveSidecar === null
      ? {}
      : { resolveSidecar: { text: file.resolveSidecar, file: file.path + RESOLVE_SIDECAR_SUFFIX, flowFileName: baseName(file.path) } }),
  });
  const componentDiagnostics = components && loaded.ir ? checkNodeComponents(loaded.ir, components) : [];
  const diagnostics = [...loaded.diagnostics, ...componentDiagnostics];
  return { path: file.path, flowId: loaded.ir?.id ?? null, ok: loaded.ok && componentDiagnostics.every((d) => d.severity !== 'error'), diagnostics };
}

/** Every file of a set, calls between them checked. */
export function checkFlowFiles(files: readonly FlowFileInput[], components?: readonly KnownComponent[]): FlowFileCheck[] {
  const flows = flowIdsOf(files);
  return files.map((file) => checkFlowFile(file, { ...setContextFor(file.path, flows), ...(components ? { components } : {}) }));
}

function idOf(parsed: ParsedFlow): string | null {
  const value = parsed.value as { id?: unknown } | null | undefined;
  return typeof value?.id === 'string' ? value.id : null;
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
