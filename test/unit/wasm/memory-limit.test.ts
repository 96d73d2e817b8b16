import { describe, expect, it } from 'vitest';
import { WasmComponentError } from '../../../src/runtime/components/wasm/errors';
import { loadJco } from '../../../src/runtime/components/wasm/jco';
import { capModuleMemory } from '../../../src/runtime/components/wasm/memory-limit';

async function module(wat: string): Promise<Uint8Array<ArrayBuffer>> {
  const jco = await loadJco();
  return new Uint8Array(await jco.parse(wat));
}

describe('capping core module memory', () => {
  it('makes memory.grow fail past the cap', async () => {
    const bytes = await module('(module (memory (export "m") 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(capModuleMemory(bytes, 4 * 65536)));
    const grow = instance.exports.grow as (pages: number) => number;
    expect(grow(2)).toBe(1);
    expect(grow(2)).toBe(-1);
    expect(grow(1)).toBe(3);
  });

  it('keeps a smaller declared maximum and leaves modules without memory alone', async () => {
    const bounded = await module('(module (memory (export "m") 1 2))');
    const memory = new WebAssembly.Instance(new WebAssembly.Module(capModuleMemory(bounded, 100 * 65536))).exports.m as WebAssembly.Memory;
    expect(() => memory.grow(2)).toThrow(RangeError);
    const none = await module('(module (func (export "f")))');
    expect(capModuleMemory(none, 65536)).toEqual(none);
  });

  it('refuses a module whose initial memory is already above the cap', async () => {
    const big = await module('(module (memory 64))');
    expect(() => capModuleMemory(big, 16 * 65536)).toThrow(WasmComponentError);
    expect(() => capModuleMemory(big, 16 * 65536)).toThrow(/needs 4 MB of memory to start, above its limit of 1 MB/);
  });

  it('reports a truncated module as not a component rather than crashing', () => {
    const truncated = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 10, 1);
    expect(() => capModuleMemory(truncated, 65536)).toThrow(WasmComponentError);
  });
});
