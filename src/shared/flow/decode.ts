/**
 * Flow files are UTF-8. Upstream reads them with Rust's `read_to_string`, which refuses invalid bytes
 * ("stream did not contain valid UTF-8") where a lenient decoder would silently put U+FFFD in their
 * place; ours refuses them too, and says where the first bad byte is. A BOM is kept, as upstream
 * keeps it: the YAML parser skips it.
 */
import type { Diagnostic } from './diagnostic';

export type DecodedFlow = { text: string } | { problem: Diagnostic };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeFlowBytes(bytes: Uint8Array, sourceName: string): DecodedFlow {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const at = firstInvalidByte(bytes);
    const before = lenient.decode(bytes.subarray(0, at));
    const line = before.split('\n').length;
    const col = before.length - (before.lastIndexOf('\n') + 1) + 1;
    const range = { offset: before.length, endOffset: before.length + 1, line, col, endLine: line, endCol: col + 1 };
    const byte = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    const message = `failed to read ${sourceName}: stream did not contain valid UTF-8 (byte 0x${byte} at line ${range.line} column ${range.col})`;
    return { problem: { severity: 'error', code: 'invalid_utf8', kind: 'Internal', message, range } };
  }
}

/** The index of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (length > 1) {
      const second = bytes[i + 1];
      if (second === undefined) return i;
      const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second < low || second > high) return i;
      for (let k = 2; k < length; k += 1) {
        const next = bytes[i + k];
        if (next === undefined || next < 0x80 || next > 0xbf) return i;
      }
    }
    i += length;
  }
  return bytes.length;
}
