import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { checkFlowFile, decodeFlowBytes, flowIdsOf, RESOLVE_SIDECAR_SUFFIX, setContextFor, type DecodedFlow, type Diagnostic, type FlowFileCheck, type FlowFileInput, type KnownComponent } from '../../shared/flow';
import { knownComponents } from '../../runtime/project/component-catalog';
import { CliExit, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../command';

interface ValidateOptions {
  json?: boolean;
}

const FLOW_EXTENSION = '.ygtc';
/** Flow files larger than this are reported as unreadable rather than loaded. */
const MAX_FLOW_FILE_BYTES = 8 * 1024 * 1024;

interface FileReport {
  path: string;
  ok: boolean;
  flow_id: string | null;
  diagnostics: Array<{ severity: 'error' | 'warning'; kind?: string; code: string; message: string; line: number; col: number; file?: string }>;
}

export const validateCommand: CommandModule = (program: Command) => {
  program
    .command('validate')
    .description('check .ygtc flows as upstream greentic-flow loads and compiles them, plus the studio lints')
    .argument('<paths...>', 'flow files, or folders searched for *.ygtc files')
    .option('--json', 'print one JSON document instead of text')
    .action(async (paths: string[], options: ValidateOptions) => {
      const { files, problems, searchedFolders } = await collectFlowFiles(paths);
      const inputs: FlowFileInput[] = [];
      const undecodable: FlowFileCheck[] = [];
      for (const file of files) {
        const read = await readFlowFile(file);
        if ('error' in read) problems.push(read.error);
        else if ('problem' in read) undecodable.push({ path: file, flowId: null, ok: false, diagnostics: [read.problem] });
        else inputs.push({ path: file, text: read.text, resolveSidecar: await readOptional(file + RESOLVE_SIDECAR_SUFFIX) });
      }
      // Validating a set of flows (a folder) lets calls between them, and their ids, be checked.
      const flows = searchedFolders ? flowIdsOf(inputs) : null;
      const catalogs = new Map<string, Promise<KnownComponent[]>>();
      const checked: FlowFileCheck[] = [];
      for (const input of inputs) {
        const root = await projectRootOf(input.path);
        if (!catalogs.has(root)) catalogs.set(root, knownComponents(root));
        const components = await catalogs.get(root)!;
        checked.push(checkFlowFile(input, { ...(flows ? setContextFor(input.path, flows) : {}), components }));
      }
      const reports = [...checked, ...undecodable].sort((a, b) => files.indexOf(a.path) - files.indexOf(b.path)).map(report);
      const ok = reports.every((r) => r.ok);
      if (options.json) process.stdout.write(`${JSON.stringify({ ok: ok && problems.length === 0, files: reports })}\n`);
      else for (const r of reports) printHuman(r);
      for (const problem of problems) process.stderr.write(`greentic-studio: ${problem}\n`);
      if (problems.length > 0) throw new CliExit(EXIT_USAGE);
      if (!ok) throw new CliExit(EXIT_FAILED);
    });
};

function report(flow: FlowFileCheck): FileReport {
  return {
    path: flow.path,
    ok: flow.ok,
    flow_id: flow.flowId,
    diagnostics: flow.diagnostics.filter(isReported).map((d) => ({
      severity: d.severity as 'error' | 'warning',
      ...(d.kind ? { kind: d.kind } : {}),
      code: d.code,
      message: d.message,
      line: d.range.line,
      col: d.range.col,
      ...(d.file ? { file: d.file } : {}),
    })),
  };
}

/** The command line reports errors and warnings; informational notes are for the editor. */
function isReported(d: Diagnostic): boolean {
  return d.severity === 'error' || d.severity === 'warning';
}

function printHuman(r: FileReport): void {
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.diagnostics.length - errors;
  const summary = r.ok ? 'ok' : 'invalid';
  const counts = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
  process.stdout.write(`${r.path}: ${summary}${counts ? ` (${counts})` : ''}\n`);
  for (const d of r.diagnostics) {
    process.stdout.write(`${d.file ?? r.path}:${d.line}:${d.col} ${d.severity} ${d.code} ${d.message.replace(/\n/g, ' ')}\n`);
  }
}

async function collectFlowFiles(paths: readonly string[]): Promise<{ files: string[]; problems: string[]; searchedFolders: boolean }> {
  const files: string[] = [];
  const problems: string[] = [];
  let searchedFolders = false;
  for (const given of paths) {
    let stat;
    try {
      stat = await fs.stat(given);
    } catch (error) {
      problems.push(`cannot read '${given}': ${describeIoError(error)}`);
      continue;
    }
    if (stat.isDirectory()) {
      searchedFolders = true;
      files.push(...(await findFlows(given)));
    } else files.push(given);
  }
  if (paths.length > 0 && files.length === 0 && problems.length === 0) problems.push(`no ${FLOW_EXTENSION} files found in ${paths.join(', ')}`);
  return { files, problems, searchedFolders };
}

async function findFlows(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await findFlows(full)));
    else if (entry.isFile() && entry.name.endsWith(FLOW_EXTENSION)) found.push(full);
  }
  return found;
}

/** The nearest folder above a flow holding a pack.yaml (its project), else the flow's own folder. */
async function projectRootOf(file: string): Promise<string> {
  let folder = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 6; depth += 1) {
    if ((await fs.stat(path.join(folder, 'pack.yaml')).catch(() => null))?.isFile()) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return path.dirname(path.resolve(file));
}

async function readFlowFile(file: string): Promise<DecodedFlow | { error: string }> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FLOW_FILE_BYTES) return { error: `'${file}' is ${stat.size} bytes, more than the ${MAX_FLOW_FILE_BYTES}-byte limit for a flow` };
    return decodeFlowBytes(await fs.readFile(file), file);
  } catch (error) {
    return { error: `cannot read '${file}': ${describeIoError(error)}` };
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export function describeIoError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}
