import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WasmComponentError } from '../../../src/runtime/components/wasm/errors';
import type * as jcoModule from '../../../src/runtime/components/wasm/jco';
import { loadJco } from '../../../src/runtime/components/wasm/jco';
import { SILENT_DEBUG_LOG, TranspileCache } from '../../../src/runtime/components/wasm/transpile';
import { COMPONENT_JS } from '../../../src/runtime/components/wasm/transpiled';
import { tempDir, testComponents } from './support';

vi.mock('../../../src/runtime/components/wasm/jco', async (importOriginal) => {
  const real = await importOriginal<typeof jcoModule>();
  return { loadJco: vi.fn(real.loadJco) };
});

const cacheDir = tempDir();
afterAll(() => cacheDir.cleanup());

async function loadError(bytes: Uint8Array): Promise<WasmComponentError> {
  const error = await new TranspileCache(cacheDir.dir).load(bytes, 'input.wasm').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WasmComponentError);
  return error as WasmComponentError;
}

describe('transpiling components', () => {
  it('detects the world from the exports and lists the imports that carry functions', async () => {
    const paths = await testComponents();
    const cache = new TranspileCache(cacheDir.dir);
    const echo = await cache.load(readFileSync(paths.echo), 'echo.wasm');
    expect(echo.abi).toBe('0.6');
    expect(echo.imports).toEqual([]);
    const http = await cache.load(readFileSync(paths['http-caller']), 'http-caller.wasm');
    expect(http.imports).toEqual(['greentic:http/http-client']);
    expect((await cache.load(readFileSync(paths['json-echo']), 'json-echo.wasm')).abi).toBe('0.5');
  });

  it("writes jco's generated code without its per-call debug logging", async () => {
    const paths = await testComponents();
    const entry = await new TranspileCache(cacheDir.dir).load(readFileSync(paths.chatty), 'chatty.wasm');
    const code = readFileSync(path.join(entry.dir, COMPONENT_JS), 'utf8');
    // A jco that writes the logger differently fails here rather than silently costing every call.
    expect(code).toContain(SILENT_DEBUG_LOG);
    expect(code).not.toContain('JCO_DEBUG');
  });

  it('keeps the output by content hash, so a second load of the same bytes skips jco', async () => {
    const paths = await testComponents();
    const bytes = readFileSync(paths.stateful);
    const { dir, cleanup } = tempDir();
    try {
      vi.mocked(loadJco).mockClear();
      const first = await new TranspileCache(dir).load(bytes, 'stateful.wasm');
      const second = await new TranspileCache(dir).load(bytes, 'stateful.wasm');
      expect(second).toEqual(first);
      expect(first.dir.startsWith(dir)).toBe(true);
      expect(loadJco).toHaveBeenCalledTimes(1);
    } finally {
      cleanup();
    }
  });

  it('refuses bytes that are not WebAssembly, core modules and oversized files with typed errors', async () => {
    expect((await loadError(new TextEncoder().encode('not wasm at all'))).code).toBe('not_a_component');
    const core = await loadError(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    expect(core.code).toBe('not_a_component');
    expect(core.message).toContain('core WebAssembly module');
    const huge = new Uint8Array(64 * 1024 * 1024 + 1);
    expect((await loadError(huge)).code).toBe('too_large');
  });

  it('refuses a truncated component with a clear error instead of crashing', async () => {
    const paths = await testComponents();
    const bytes = readFileSync(paths.echo).subarray(0, 200);
    const error = await loadError(new Uint8Array(bytes));
    expect(error.code).toBe('not_a_component');
    expect(error.message).toContain('could not be transpiled');
  });

  it('refuses a component that exports no greentic node interface, in upstream words', async () => {
    const paths = await testComponents();
    const error = await loadError(readFileSync(paths['no-node']));
    expect(error.code).toBe('unsupported_world');
    expect(error.message).toContain('component exports neither node@0.5/0.4 nor component-runtime@0.6');
  });
});
