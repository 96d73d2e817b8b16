/**
 * Checking a set of flow files as `greentic-studio validate` does: each file loaded with the studio
 * lints, calls between flows checked against the ids of the set, resolve sidecars compared. The CLI
 * and the editor's Problems list both go through here, so they always agree.
 */
import type { Diagnostic } from './diagnostic';
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

/** The flow ids of a set of files, so each file's `flow.call` / `flow.goto` targets can be checked. */
export function flowIdsOf(files: readonly FlowFileInput[]): string[] {
  return files.map((file) => idOf(parseFlow(file.text, { sourceName: file.path }))).filter((id): id is string => id !== null);
}

/** One file of a set; `knownFlowIds` absent: its calls to other flows are not checked. */
export function checkFlowFile(file: FlowFileInput, knownFlowIds?: readonly string[]): FlowFileCheck {
  const parsed = parseFlow(file.text, { sourceName: file.path });
  const loaded = loadParsed(parsed, {
    ...(knownFlowIds ? { knownFlowIds } : {}),
    ...(file.resolveSidecar === null
      ? {}
      : { resolveSidecar: { text: file.resolveSidecar, file: file.path + RESOLVE_SIDECAR_SUFFIX, flowFileName: baseName(file.path) } }),
  });
  return { path: file.path, flowId: loaded.ir?.id ?? null, ok: loaded.ok, diagnostics: loaded.diagnostics };
}

/** Every file of a set, calls between them checked. */
export function checkFlowFiles(files: readonly FlowFileInput[]): FlowFileCheck[] {
  const knownFlowIds = flowIdsOf(files);
  return files.map((file) => checkFlowFile(file, knownFlowIds));
}

function idOf(parsed: ParsedFlow): string | null {
  const value = parsed.value as { id?: unknown } | null | undefined;
  return typeof value?.id === 'string' ? value.id : null;
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
