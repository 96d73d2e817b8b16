/** Text helpers for line-based edits of YAML source. */
import type { TextEdit } from '../diagnostic';

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break ending the line that holds `offset` (or the text's end). */
export function lineEnd(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at < 0 ? text.length : at;
}

/** Offset just after the line break ending the line that holds `offset`. */
export function nextLineStart(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at < 0 ? text.length : at + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

export function lineAt(text: string, start: number): string {
  return text.slice(start, lineEnd(text, start));
}

export function isBlankLine(line: string): boolean {
  return line.trim() === '';
}

export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

export function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/** Applies non-overlapping edits (in any order) to `text`. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.offset < cursor) throw new Error(`overlapping text edits at offset ${edit.offset}`);
    out += text.slice(cursor, edit.offset) + edit.text;
    cursor = edit.endOffset;
  }
  return out + text.slice(cursor);
}

/** Prefixes every non-empty line of `text` with `indent` spaces. */
export function indentLines(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}
