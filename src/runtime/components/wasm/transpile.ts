import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic';
import { detectAbi } from './abi';
import { WasmComponentError } from './errors';
import { loadJco } from './jco';
import { COMPONENT_JS, type TranspiledComponent } from './transpiled';

export type { TranspiledComponent } from './transpiled';

export const MAX_COMPONENT_BYTES = 64 * 1024 * 1024;
const GENERATED_JS = 'component.js';
const INFO_FILE = 'info.json';
// Bump when the layout or the content of a cache entry changes; old entries are then simply not found.
const CACHE_LAYOUT = 'v2';

/**
 * jco's generated code calls `_debugLog` at every step of every call, and each call reads
 * `process.env.JCO_DEBUG` (a lookup in C++ on the main thread): about a quarter of a trivial call. The
 * runner has no use for jco's debug output, so the entry is written with a logger that does nothing.
 */
const JCO_DEBUG_LOG = /const _debugLog = \(\.\.\.args\) => \{\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\s*console\.debug\(\.\.\.args\);\s*\};/;
export const SILENT_DEBUG_LOG = 'const _debugLog = () => {};';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const CORE_MODULE_VERSION = [0x01, 0x00, 0x00, 0x00];

/** Refuses bytes that are not a WebAssembly component, with a message saying what they are instead. */
export function assertComponentBytes(bytes: Uint8Array, origin: string): void {
  if (bytes.length > MAX_COMPONENT_BYTES) {
    throw new WasmComponentError('too_large', `${origin} is ${bytes.length} bytes, above the ${MAX_COMPONENT_BYTES}-byte limit for a component`);
  }
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasmComponentError('not_a_component', `${origin} is not a WebAssembly file`);
  }
  if (CORE_MODULE_VERSION.every((b, i) => bytes[4 + i] === b)) {
    throw new WasmComponentError('not_a_component', `${origin} is a core WebAssembly module, not a component (wrap it with a component adapter)`);
  }
  if (bytes[6] !== 0x01 || bytes[7] !== 0x00) {
    throw new WasmComponentError('not_a_component', `${origin} is not a WebAssembly component (unknown binary layer)`);
  }
}

/**
 * Transpiles components with jco in memory and keeps the output on disk keyed by the content hash,
 * so loading the same bytes again skips jco entirely.
 */
export class TranspileCache {
  constructor(private readonly cacheRoot: string) {}

  async load(bytes: Uint8Array, origin: string): Promise<TranspiledComponent> {
    assertComponentBytes(bytes, origin);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const dir = path.join(this.cacheRoot, 'wasm', CACHE_LAYOUT, hash);
    return (await this.cached(dir, hash)) ?? this.transpile(bytes, dir, hash, origin);
  }

  private async cached(dir: string, hash: string): Promise<TranspiledComponent | null> {
    try {
      const info = JSON.parse(await fs.readFile(path.join(dir, INFO_FILE), 'utf8')) as Omit<TranspiledComponent, 'dir'>;
      return info.hash === hash ? { ...info, dir } : null;
    } catch {
      return null;
    }
  }

  private async transpile(bytes: Uint8Array, dir: string, hash: string, origin: string): Promise<TranspiledComponent> {
    const jco = await loadJco();
    let output: Awaited<ReturnType<typeof jco.transpile>>;
    try {
      output = await jco.transpile(bytes, { name: 'component', instantiation: 'async', noTypescript: true, quiet: true });
    } catch (error) {
      throw new WasmComponentError('not_a_component', `${origin} could not be transpiled: ${errorText(error)}`);
    }
    const exports = output.exports.map(([name]) => name);
    const component: TranspiledComponent = {
      hash,
      dir,
      abi: detectAbi(exports),
      imports: [...output.imports].sort(),
      exports,
      coreModules: Object.keys(output.files).filter((name) => name.endsWith('.wasm')).sort(),
    };
    try {
      await fs.mkdir(dir, { recursive: true });
      for (const [name, data] of Object.entries(output.files)) {
        if (name === GENERATED_JS) await writeFileAtomic(path.join(dir, COMPONENT_JS), withoutDebugLog(data));
        else if (component.coreModules.includes(name)) await writeFileAtomic(path.join(dir, name), data);
      }
      // Written last: an entry without it is incomplete and is transpiled again.
      const { dir: _dir, ...info } = component;
      await writeFileAtomic(path.join(dir, INFO_FILE), JSON.stringify(info));
    } catch (error) {
      throw new WasmComponentError('io_error', `cannot write the transpiled component to the cache folder ${dir}: ${errorText(error)}`);
    }
    return component;
  }
}

function withoutDebugLog(code: Uint8Array): string {
  return new TextDecoder().decode(code).replace(JCO_DEBUG_LOG, SILENT_DEBUG_LOG);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
