import { concatBytes } from '../../fs/bytes';
import { WasmComponentError } from './errors';

const WASM_PAGE = 65536;
const MEMORY_SECTION = 5;

/**
 * Caps every memory a core module defines at `maxBytes`, by rewriting the limits in its memory
 * section. `memory.grow` past the cap then fails inside the guest, which is how a component meets
 * its `limits.memory_mb`: WebAssembly memory lives outside the V8 heap that worker resource limits
 * bound. Imported memories are left alone (their defining module is capped instead).
 */
export function capModuleMemory(module: Uint8Array<ArrayBuffer>, maxBytes: number): Uint8Array<ArrayBuffer> {
  const maxPages = Math.max(1, Math.floor(maxBytes / WASM_PAGE));
  const reader = new ByteReader(module);
  reader.skip(8); // magic and version
  while (!reader.atEnd()) {
    const sectionStart = reader.offset;
    const id = reader.byte();
    const size = reader.leb();
    const contentStart = reader.offset;
    if (id === MEMORY_SECTION) {
      const content = capMemorySection(module.subarray(contentStart, contentStart + size), maxPages);
      return concatBytes([module.subarray(0, sectionStart), Uint8Array.of(id), leb(content.length), content, module.subarray(contentStart + size)]);
    }
    reader.skip(size);
  }
  return module;
}

function capMemorySection(section: Uint8Array, maxPages: number): Uint8Array {
  const reader = new ByteReader(section);
  const count = reader.leb();
  const parts: Uint8Array[] = [leb(count)];
  for (let i = 0; i < count; i += 1) {
    const flags = reader.byte();
    if (flags > 1) {
      // Shared or 64-bit memories: not produced by the toolchains we run; keep them as they are.
      parts.push(section.subarray(reader.offset - 1));
      return concatBytes(parts);
    }
    const min = reader.leb();
    const max = flags === 1 ? reader.leb() : Infinity;
    if (min > maxPages) {
      throw new WasmComponentError(
        'memory_too_small',
        `the component needs ${Math.ceil((min * WASM_PAGE) / 1048576)} MB of memory to start, above its limit of ${Math.floor((maxPages * WASM_PAGE) / 1048576)} MB`,
      );
    }
    parts.push(Uint8Array.of(1), leb(min), leb(Math.min(max, maxPages)));
  }
  parts.push(section.subarray(reader.offset));
  return concatBytes(parts);
}

class ByteReader {
  offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new WasmComponentError('not_a_component', 'truncated WebAssembly module');
    this.offset += 1;
    return value;
  }

  leb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmComponentError('not_a_component', 'malformed LEB128 in WebAssembly module');
    }
  }

  skip(count: number): void {
    this.offset += count;
    if (this.offset > this.bytes.length) throw new WasmComponentError('not_a_component', 'truncated WebAssembly module');
  }
}

function leb(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  do {
    let b = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) b |= 0x80;
    out.push(b);
  } while (rest > 0);
  return Uint8Array.from(out);
}
