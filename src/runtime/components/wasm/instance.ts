import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WasmComponentError } from './errors';
import { createGreenticImports, type GuestHost } from './guest-imports';
import { capModuleMemory } from './memory-limit';
import { COMPONENT_JS, type TranspiledComponent } from './transpiled';
import { createWasiImports, type WasiOptions } from './wasi';

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, object>,
  instantiateCore?: (module: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
) => Promise<Record<string, unknown>>;

/** A transpiled component made ready to instantiate: its JS loaded, its core modules compiled. */
export interface ComponentCode {
  component: TranspiledComponent;
  memoryLimitBytes: number;
  instantiate: Instantiate;
  modules: Map<string, WebAssembly.Module>;
}

/** Loads the generated JS and compiles every core module once, each memory capped at the limit. */
export async function loadComponentCode(component: TranspiledComponent, memoryLimitBytes: number): Promise<ComponentCode> {
  const modules = new Map<string, WebAssembly.Module>();
  for (const name of component.coreModules) {
    const bytes = await fs.readFile(path.join(component.dir, name));
    modules.set(name, await WebAssembly.compile(capModuleMemory(bytes, memoryLimitBytes)));
  }
  const generated = (await import(pathToFileURL(path.join(component.dir, COMPONENT_JS)).href)) as { instantiate: Instantiate };
  return { component, memoryLimitBytes, instantiate: generated.instantiate, modules };
}

/** The interfaces the runner does not serve, from those a component imports. */
export function unservedImports(component: TranspiledComponent, served: readonly string[]): string[] {
  return component.imports.filter((name) => !served.includes(name));
}

/** One live instance: the root of its exports, and a probe of how much memory it holds. */
export interface LiveInstance {
  root: Record<string, unknown>;
  /** True when some memory of the instance has grown to its cap (so a trap was likely an OOM). */
  atMemoryLimit(): boolean;
}

export interface InstanceHost extends GuestHost {
  env: WasiOptions['env'];
}

/**
 * Instantiates a component with WASI and the greentic host interfaces. Each instance has its own
 * linear memory and its own host closures; nothing is shared between two instances.
 */
export async function instantiateComponent(code: ComponentCode, host: InstanceHost): Promise<LiveInstance> {
  const wasi = await createWasiImports({ env: host.env, onOutput: (source, text) => host.log({ source, text }) });
  const provided: Record<string, object> = { ...wasi, ...createGreenticImports(host) };
  const missing = unservedImports(code.component, Object.keys(provided));
  if (missing.length > 0) {
    throw new WasmComponentError('missing_imports', `the component imports interfaces the studio does not provide: ${missing.join(', ')}`);
  }
  const memories: WebAssembly.Memory[] = [];
  const root = await code.instantiate(
    (name) => {
      const module = code.modules.get(name);
      if (!module) throw new WasmComponentError('io_error', `transpiled component is missing its core module ${name}`);
      return module;
    },
    withVersionlessKeys(provided),
    async (module, imports) => {
      const instance = await WebAssembly.instantiate(module, imports);
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) memories.push(value);
      }
      return instance;
    },
  );
  const limit = code.memoryLimitBytes;
  return { root, atMemoryLimit: () => memories.some((memory) => memory.buffer.byteLength + 16 * 65536 > limit) };
}

/** Serves `name@version` keys as well as bare ones: generated code and its typings disagree on which. */
function withVersionlessKeys(imports: Record<string, object>): Record<string, object> {
  return new Proxy(imports, {
    get: (target, key) => (typeof key === 'string' ? target[key.replace(/@[^/]*$/, '')] : undefined),
    has: (target, key) => typeof key === 'string' && key.replace(/@[^/]*$/, '') in target,
  });
}
