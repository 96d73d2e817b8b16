/**
 * Turns WAT plus WIT into a WebAssembly component, offline, with jco's programmatic `parse` →
 * `componentEmbed` → `componentNew`. Shared by the test components (test/fixtures/components) and the
 * components the sample project ships (components/). A body splices in the shared helpers with
 * `;; @prelude` and the describe() export of node@0.6.0 with `;; @node06`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'cbor-x';
import { concatBytes } from '../../src/runtime/fs/bytes';

const toolkitDir = path.dirname(fileURLToPath(import.meta.url));

/** The helpers every WAT body may use (allocator, payload reading, CBOR output, results). */
export const PRELUDE = readFileSync(path.join(toolkitDir, 'prelude.wat'), 'utf8');
/** The upstream interfaces, in nested-package form, appended to a component's own world text. */
export const GREENTIC_WIT = readFileSync(path.join(toolkitDir, 'greentic.wit'), 'utf8');
const TOOLKIT_SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8');

/** One operation as describe() reports it: JSON Schemas become inline CBOR. */
export interface DescribedOp {
  name: string;
  summary: string;
  input: unknown;
  output: unknown;
}

export interface Descriptor {
  name: string;
  version: string;
  summary: string;
  ops: DescribedOp[];
}

/** SHA-256 over the toolkit and the given sources: a build is current while its stamp matches. */
export function sourceStamp(...sources: Array<string | Uint8Array>): string {
  const hash = createHash('sha256').update(TOOLKIT_SOURCE).update(PRELUDE).update(GREENTIC_WIT);
  for (const source of sources) hash.update(source);
  return hash.digest('hex');
}

/** The body with the prelude and, when given, the node@0.6.0 describe() export spliced in. */
export function expandWat(wat: string, descriptor: Descriptor | null): string {
  return wat.replace(';; @prelude', PRELUDE).replace(';; @node06', descriptor ? node06Exports(descriptor) : '');
}

/** `world` is `<package>/<world>` of the WIT text; the greentic interfaces are appended to it. */
export async function compileWatComponent(wat: string, worldWit: string, world: string): Promise<Uint8Array> {
  const jco = await import('@bytecodealliance/jco');
  const core = await jco.parse(wat);
  const embedded = await jco.componentEmbed({ binary: core, witSource: `${worldWit}\n${GREENTIC_WIT}`, world });
  return jco.componentNew(embedded);
}

/** WAT string escapes for raw bytes. */
export function watBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/** Where builder-made data goes in the prelude's memory map: describe() data lives from here on. */
const DATA_BASE = 1280;

function node06Exports(descriptor: Descriptor): string {
  const image = layOutDescriptor(descriptor);
  return [
    `(data (i32.const ${DATA_BASE}) "${watBytes(image.bytes)}")`,
    `(func (export "greentic:component/node@0.6.0#describe") (result i32) (i32.const ${image.address}))`,
    '(func (export "cabi_post_greentic:component/node@0.6.0#invoke") (param i32) (call $reset))',
    '(func (export "cabi_post_greentic:component/node@0.6.0#describe") (param i32) (call $reset))',
  ].join('\n  ');
}

/**
 * Static memory image of a `component-descriptor` at DATA_BASE, in the canonical ABI layout:
 * descriptor 96 bytes (name, version, summary?, capabilities, ops, schemas, setup?); op 92 bytes
 * (name, summary?, input io-schema, output io-schema, examples); io-schema 32 bytes
 * (schema-source variant, content-type, schema-version?).
 */
function layOutDescriptor(descriptor: Descriptor): { bytes: Uint8Array; address: number } {
  const image = new MemoryImage(DATA_BASE);
  const string = (text: string): [number, number] => {
    const bytes = new TextEncoder().encode(text);
    return [image.put(bytes, 1), bytes.length];
  };
  const opRecords = descriptor.ops.map((op) => {
    const record = new Uint8Array(92);
    const view = new DataView(record.buffer);
    const put = (offset: number, [ptr, len]: [number, number]) => {
      view.setUint32(offset, ptr, true);
      view.setUint32(offset + 4, len, true);
    };
    const schema = (offset: number, value: unknown) => {
      const cbor = encode(value);
      view.setUint8(offset, 1); // inline-cbor
      put(offset + 4, [image.put(cbor, 1), cbor.length]);
      put(offset + 12, string('application/cbor'));
      view.setUint8(offset + 20, 0); // schema-version: none
    };
    put(0, string(op.name));
    view.setUint8(8, 1);
    put(12, string(op.summary));
    schema(20, op.input);
    schema(52, op.output);
    return record;
  });
  const opsAddress = image.put(concatBytes(opRecords), 4);
  const record = new Uint8Array(96);
  const view = new DataView(record.buffer);
  const put = (offset: number, [ptr, len]: [number, number]) => {
    view.setUint32(offset, ptr, true);
    view.setUint32(offset + 4, len, true);
  };
  put(0, string(descriptor.name));
  put(8, string(descriptor.version));
  view.setUint8(16, 1);
  put(20, string(descriptor.summary));
  put(36, [opsAddress, descriptor.ops.length]);
  const address = image.put(record, 4);
  return { bytes: image.bytes(), address };
}

class MemoryImage {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly base: number) {}

  put(bytes: Uint8Array, align: number): number {
    const padding = (align - ((this.base + this.size) % align)) % align;
    this.chunks.push(new Uint8Array(padding), bytes);
    this.size += padding + bytes.length;
    return this.base + this.size - bytes.length;
  }

  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
}
