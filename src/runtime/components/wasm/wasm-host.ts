import type { ComponentHost, ComponentDescription, ComponentInvocation, ComponentOutcome, TenantCtx } from '../host';
import { nodeError } from '../host';
import { descriptorExportName } from './abi';
import { defaultCacheDir } from './user-dirs';
import { sessionKey } from './envelope';
import { WasmComponentError } from './errors';
import { RUNNER_ERROR_CODES } from './failures';
import { DEFAULT_LIMITS, grantsFor, limitsFor, type ComponentGrants, type ComponentLimits } from './grants';
import { GREENTIC_IMPORTS } from './guest-imports';
import { unservedImports } from './instance';
import { describeManifest, type ComponentManifest } from './manifest';
import type { RunnableComponent } from './runner';
import { HostServices, type CallScope, type HostServiceDeps } from './services/host-services';
import type { ComponentLocation } from './sources';
import { TranspileCache, type TranspiledComponent } from './transpile';
import { WASI_IMPORTS } from './wasi';
import { LOADING_LIMIT_MS, WorkerPool } from './worker/pool';

export interface WasmHostOptions extends HostServiceDeps {
  /** The user's cache folder (transpiled components live under it); default: the platform's. */
  cacheDir?: string;
  poolSize?: number;
  /** The ceilings of a component call, and the limits of components whose manifest sets none. */
  defaultLimits?: ComponentLimits;
  /** Values for environment variables components declare (`capabilities.wasi.env.allow`). */
  env?: Record<string, string>;
}

/** A component made ready to run: transpiled, with its grants and limits settled. */
export interface PreparedComponent {
  id: string;
  origin: string;
  manifest: ComponentManifest | null;
  transpiled: TranspiledComponent;
  grants: ComponentGrants;
  limits: ComponentLimits;
  runnable: RunnableComponent;
  /** Imports the runner cannot serve; a component with any cannot start. */
  unserved: string[];
}

const DESCRIBE_WALL_TIME_MS = 10_000;
export const SERVED_IMPORTS: readonly string[] = [...WASI_IMPORTS, ...GREENTIC_IMPORTS];

/**
 * The ComponentHost of WASM components: finds components by id among the registered locations (the
 * project's, a pack's, single files), transpiles them through the content-hash cache and runs them on
 * the worker pool within their limits and grants.
 */
export class WasmComponentHost implements ComponentHost {
  private readonly locations = new Map<string, ComponentLocation>();
  private readonly prepared = new Map<string, Promise<PreparedComponent>>();
  private readonly descriptions = new Map<string, Promise<ComponentDescription | null>>();
  private readonly cache: TranspileCache;
  private readonly pool: WorkerPool;

  constructor(private readonly options: WasmHostOptions) {
    this.cache = new TranspileCache(options.cacheDir ?? defaultCacheDir());
    const services = new HostServices(options);
    this.pool = new WorkerPool({ services, ...(options.poolSize ? { size: options.poolSize } : {}) });
  }

  /** Replaces the known components (on project open or when its components change). */
  setLocations(locations: ComponentLocation[]): void {
    this.locations.clear();
    this.prepared.clear();
    for (const location of locations) this.locations.set(location.id, location);
  }

  addLocation(location: ComponentLocation): void {
    this.locations.set(location.id, location);
    this.prepared.delete(location.id);
  }

  componentIds(): string[] {
    return [...this.locations.keys()].sort();
  }

  supports(componentId: string): boolean {
    return this.locations.has(componentId);
  }

  async invoke(invocation: ComponentInvocation): Promise<ComponentOutcome> {
    let component: PreparedComponent;
    try {
      component = await this.prepare(invocation.componentId);
      if (component.unserved.length > 0) throw unservedError(component);
    } catch (error) {
      return nodeError(RUNNER_ERROR_CODES.unavailable, `component ${invocation.componentId} cannot run: ${(error as Error).message}`);
    }
    const wallTimeMs = effectiveWallTime(component.limits.wallTimeMs, invocation.ctx);
    const { result, logs } = await this.pool.invoke({
      component: component.runnable,
      request: {
        componentId: component.id,
        operation: invocation.operation,
        input: invocation.input,
        config: invocation.config,
        ctx: invocation.ctx,
        deadlineMs: Date.now() + wallTimeMs,
      },
      instanceKey: sessionKey(invocation.ctx),
      scope: { ctx: invocation.ctx, componentId: component.id, grants: component.grants },
      wallTimeMs,
      signal: invocation.signal,
    });
    const printed = logs.length > 0 ? { logs } : {};
    return result.ok ? { ok: true, output: result.output, ...printed } : { ok: false, error: result.error, ...printed };
  }

  /**
   * The operations the component offers: its describe() when exported, else its manifest's; null for
   * an id this host does not know or a component that does not load (prepare() says why).
   */
  async describe(componentId: string): Promise<ComponentDescription | null> {
    if (!this.supports(componentId)) return null;
    const component = await this.prepare(componentId).catch(() => null);
    if (!component) return null;
    const fromManifest = component.manifest ? describeManifest(component.manifest) : null;
    const described = component.unserved.length > 0 ? null : await this.describeExport(component).catch(() => null);
    if (!described) return fromManifest;
    return {
      ...described,
      ...(fromManifest?.configSchema !== undefined ? { configSchema: fromManifest.configSchema } : {}),
      ...(fromManifest?.devFlows !== undefined ? { devFlows: fromManifest.devFlows } : {}),
      ...(described.version === undefined && fromManifest?.version ? { version: fromManifest.version } : {}),
    };
  }

  /**
   * The CBOR the component's `component-descriptor` export describes it with, as it returned it (what
   * `pack resolve` hashes); null when it exports no such interface. Throws when it cannot run. The
   * bound covers loading too: resolve may be the first to load a large component.
   */
  async describeCbor(componentId: string): Promise<Uint8Array | null> {
    const component = await this.prepare(componentId);
    if (!descriptorExportName(component.transpiled.exports)) return null;
    if (component.unserved.length > 0) throw unservedError(component);
    return this.pool.describeCbor(component.runnable, component.id, describeScope(component), LOADING_LIMIT_MS);
  }

  /** Loads (or reuses) a component ready to run; throws WasmComponentError when it cannot be. */
  prepare(componentId: string): Promise<PreparedComponent> {
    let prepared = this.prepared.get(componentId);
    if (!prepared) {
      const location = this.locations.get(componentId);
      if (!location) return Promise.reject(new WasmComponentError('not_found', `no WASM component with id ${componentId}`));
      prepared = this.load(location);
      prepared.catch(() => this.prepared.delete(componentId));
      this.prepared.set(componentId, prepared);
    }
    return prepared;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async load(location: ComponentLocation): Promise<PreparedComponent> {
    const source = await location.read();
    const transpiled = await this.cache.load(source.bytes, source.origin);
    const grants = grantsFor(transpiled, source.manifest);
    const limits = limitsFor(source.manifest, this.options.defaultLimits ?? DEFAULT_LIMITS);
    const env = Object.fromEntries(grants.env.flatMap((name) => (this.options.env?.[name] !== undefined ? [[name, this.options.env[name]!]] : [])));
    return {
      id: location.id,
      origin: source.origin,
      manifest: source.manifest,
      transpiled,
      grants,
      limits,
      runnable: { transpiled, memoryLimitBytes: limits.memoryLimitBytes, env },
      unserved: unservedImports(transpiled, SERVED_IMPORTS),
    };
  }

  private describeExport(component: PreparedComponent): Promise<ComponentDescription | null> {
    const key = `${component.transpiled.hash}|${component.id}`;
    let description = this.descriptions.get(key);
    if (!description) {
      description = this.pool.describe(component.runnable, component.id, describeScope(component), DESCRIBE_WALL_TIME_MS);
      description.catch(() => this.descriptions.delete(key));
      this.descriptions.set(key, description);
    }
    return description;
  }
}

/** Host calls a component makes while it describes itself run in a local, default tenant. */
function describeScope(component: PreparedComponent): CallScope {
  const ctx: TenantCtx = { env: 'local', tenant: 'default', flowId: 'describe', nodeId: 'describe', traceId: 'describe', i18nId: 'en', attempt: 1 };
  return { ctx, componentId: component.id, grants: component.grants };
}

function unservedError(component: PreparedComponent): WasmComponentError {
  return new WasmComponentError('missing_imports', `the component imports interfaces the studio does not provide: ${component.unserved.join(', ')}`);
}

/** The manifest's wall time, shortened to what is left before the turn's own deadline. */
function effectiveWallTime(limitMs: number, ctx: TenantCtx): number {
  if (ctx.deadlineMs === undefined) return limitMs;
  return Math.max(1, Math.min(limitMs, ctx.deadlineMs - Date.now()));
}
