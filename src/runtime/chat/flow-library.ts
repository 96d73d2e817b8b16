/**
 * The flows a conversation can run: every `.ygtc` of the project compiled into one catalog (the
 * pack's flows, which `flow.call` and jumps reach by id). Compiled flows are cached by their text,
 * and the folder is re-read at most every `refreshMs`, so edits show up in the next turn.
 */
import { StudioError } from '../../shared/api';
import { compileFlow, type CompiledFlow } from '../../shared/flow';
import { FlowCatalog } from '../engine/catalog';

/** A flow as its source holds it: `.ygtc` text, or already compiled (a pack manifest's flows). */
export type FlowFileContent = { path: string; text: string } | { path: string; compiled: CompiledFlow };

/** Read access to a project's flows (the project service implements it). */
export interface FlowSource {
  readonly packId: string | null;
  listFlowPaths(): Promise<string[]>;
  readFlow(path: string): Promise<FlowFileContent>;
}

export interface FlowLibraryOptions {
  /** Re-read the folder at most this often (milliseconds). */
  refreshMs?: number;
  /** The flow conversations run when none was picked, before the rules of runtime.md §2. */
  defaultFlow?: string;
}

export interface LoadedFlowEntry {
  path: string;
  flow: CompiledFlow | null;
  /** Why the flow does not compile, when it does not. */
  problem?: string;
}

interface Snapshot {
  at: number;
  catalog: FlowCatalog;
  entries: LoadedFlowEntry[];
  /** Catalogs in which a flow whose id an earlier file also claims is the one under that id. */
  byPath: Map<string, FlowCatalog>;
}

/** The pack id of a folder without `pack.yaml`. */
export const LOCAL_PACK_ID = 'local';

export class FlowLibrary {
  private readonly compiled = new Map<string, { text: string; entry: LoadedFlowEntry }>();
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private readonly refreshMs: number;

  constructor(
    private readonly source: FlowSource,
    private readonly options: FlowLibraryOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 250;
  }

  /** Forget the cached listing: the next call re-reads the folder. */
  invalidate(): void {
    this.snapshot = null;
  }

  /**
   * The flows `flow.call` and jumps reach by id. With `forPath`, the flow at that path is the one
   * under its id, even when an earlier file claims the same id: the file a conversation was started
   * on is the one that runs.
   */
  async catalog(forPath?: string): Promise<FlowCatalog> {
    const snapshot = await this.load();
    const named = forPath === undefined ? undefined : snapshot.entries.find((e) => e.path === forPath)?.flow;
    if (!named || snapshot.catalog.get(named.id)?.flow === named) return snapshot.catalog;
    let catalog = snapshot.byPath.get(forPath as string);
    if (!catalog) {
      catalog = new FlowCatalog(snapshot.catalog.packId, [...snapshot.catalog.all().map((f) => f.flow).filter((f) => f.id !== named.id), named]);
      snapshot.byPath.set(forPath as string, catalog);
    }
    return catalog;
  }

  async entries(): Promise<LoadedFlowEntry[]> {
    return (await this.load()).entries;
  }

  /** The compiled flow at a project path; a clear error when it is missing or does not compile. */
  async byPath(path: string): Promise<CompiledFlow> {
    const entry = (await this.entries()).find((e) => e.path === path);
    if (!entry) throw new StudioError('not_found', `flow not found: ${path}`);
    if (!entry.flow) throw new StudioError('invalid_flow', `flow ${path} does not compile: ${entry.problem ?? 'unknown error'}`);
    return entry.flow;
  }

  /** The path of the flow with `flowId`; a clear error when several files claim that id. */
  async pathOf(flowId: string): Promise<string | null> {
    const paths = (await this.entries()).filter((e) => e.flow?.id === flowId).map((e) => e.path);
    if (paths.length > 1) throw new StudioError('bad_request', `${paths.length} flows have id "${flowId}" (${paths.join(', ')}); name the flow file instead`);
    return paths[0] ?? null;
  }

  /**
   * The flow a conversation runs when none was picked: the library's default flow when it has one,
   * else (runtime.md §2) the flow with id `default`, else the single messaging flow, else the only flow.
   */
  async appFlow(): Promise<{ path: string; flow: CompiledFlow }> {
    if (this.options.defaultFlow !== undefined) return { path: this.options.defaultFlow, flow: await this.byPath(this.options.defaultFlow) };
    const entries = await this.entries();
    const usable = entries.filter((e): e is LoadedFlowEntry & { flow: CompiledFlow } => e.flow !== null);
    const byDefault = usable.find((e) => e.flow.id === 'default');
    const messaging = usable.filter((e) => e.flow.kind === 'messaging');
    const chosen = byDefault ?? (messaging.length === 1 ? messaging[0] : usable.length === 1 ? usable[0] : undefined);
    if (!chosen) {
      throw new StudioError(
        'bad_request',
        usable.length === 0
          ? `the project has no flow that compiles${problemList(entries)}`
          : `cannot choose the app flow: no flow has id "default" and ${messaging.length} messaging flows exist; pick a flow`,
      );
    }
    return chosen;
  }

  private async load(): Promise<Snapshot> {
    if (this.snapshot && performance.now() - this.snapshot.at < this.refreshMs) return this.snapshot;
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async reload(): Promise<Snapshot> {
    const paths = await this.source.listFlowPaths();
    const entries = await Promise.all(paths.map(async (path) => this.compile(path)));
    const seen = new Set<string>();
    const flows: CompiledFlow[] = [];
    for (const entry of entries) {
      if (!entry.flow) continue;
      if (seen.has(entry.flow.id)) {
        entry.problem = `another flow already has id "${entry.flow.id}"`;
        continue;
      }
      seen.add(entry.flow.id);
      flows.push(entry.flow);
    }
    const catalog = new FlowCatalog(this.source.packId ?? LOCAL_PACK_ID, flows);
    this.snapshot = { at: performance.now(), catalog, entries, byPath: new Map() };
    return this.snapshot;
  }

  private async compile(path: string): Promise<LoadedFlowEntry> {
    let text: string;
    try {
      const file = await this.source.readFlow(path);
      if ('compiled' in file) return { path, flow: file.compiled };
      text = file.text;
    } catch (error) {
      return { path, flow: null, problem: error instanceof Error ? error.message : String(error) };
    }
    const cached = this.compiled.get(path);
    if (cached && cached.text === text) return { ...cached.entry };
    const result = compileFlow(text, { sourceName: path });
    const firstError = result.diagnostics.find((d) => d.severity === 'error');
    const entry: LoadedFlowEntry = result.flow
      ? { path, flow: result.flow }
      : { path, flow: null, problem: firstError?.message ?? 'the flow does not compile' };
    this.compiled.set(path, { text, entry });
    return { ...entry };
  }
}

/** `: a.ygtc: why; b.ygtc: why` for the first few flows, for an error that names no flow otherwise. */
function problemList(entries: LoadedFlowEntry[]): string {
  if (entries.length === 0) return '';
  const shown = entries.slice(0, 3).map((e) => `${e.path}: ${e.problem ?? 'unknown error'}`);
  return `: ${shown.join('; ')}${entries.length > shown.length ? `; and ${entries.length - shown.length} more` : ''}`;
}
