/**
 * Cutting a flow text into pieces that YAML parses independently: the head (top-level keys up to
 * and including `nodes:`), one entry per node of the `nodes` mapping, and the tail (top-level keys
 * after it). Only plain block layouts are cut; anything the line scan cannot vouch for (directives,
 * document markers, flow-style or oddly indented `nodes`, keys it cannot read) returns null, and
 * the caller parses the whole text instead.
 */

export interface FlowSegments {
  /** Offset of the first node entry: the head is everything before it. */
  nodesStart: number;
  /** Offset of each node entry's key line; an entry runs to the next one's start (the last to `tailStart`). */
  entryStarts: number[];
  /** Offset of the first top-level key after `nodes`; the text's length when there is none. */
  tailStart: number;
  /** The column of the node keys. */
  indent: number;
}

const DOCUMENT_MARKERS = /^(?:%|---|\.\.\.)/m;
const NODES_KEY_LINE = /^nodes:[ \t]*(?:#.*)?\r?$/m;
const TOP_LEVEL_NODES_KEY = /^["']?nodes["']?[ \t]*:/gm;
/** A key this scan can read: plain word characters, or a simply quoted string. */
const KEY = String.raw`(?:[A-Za-z0-9_][\w.-]*|"[^"\\\n]*"|'[^'\n]*')`;
const TOP_LEVEL_KEY_LINE = new RegExp(String.raw`^${KEY}[ \t]*:(?:[ \t]|\r?$)`);

function nodeKeyLine(indent: number): RegExp {
  return new RegExp(String.raw`^ {${indent}}${KEY}[ \t]*:(?:[ \t]|\r?$)`);
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed.startsWith('#');
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i += 1;
  return i;
}

export function splitFlowText(text: string): FlowSegments | null {
  if (DOCUMENT_MARKERS.test(text)) return null;
  const nodesKey = NODES_KEY_LINE.exec(text);
  if (!nodesKey) return null;
  // A second `nodes` key anywhere at the top level would decide which one the flow uses.
  if ((text.match(TOP_LEVEL_NODES_KEY)?.length ?? 0) !== 1) return null;

  let lineStart = text.indexOf('\n', nodesKey.index) + 1;
  if (lineStart === 0) return null;
  let indent = 0;
  let keyLine: RegExp | null = null;
  const entryStarts: number[] = [];
  let tailStart = text.length;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (!isBlankOrComment(line)) {
      if (line.charCodeAt(0) === 9) return null;
      const lineIndent = indentOf(line);
      if (line.charCodeAt(lineIndent) === 9) return null;
      if (lineIndent === 0) {
        if (!TOP_LEVEL_KEY_LINE.test(line)) return null;
        tailStart = lineStart;
        break;
      }
      if (keyLine === null) {
        indent = lineIndent;
        keyLine = nodeKeyLine(indent);
      }
      if (lineIndent < indent) return null;
      if (lineIndent === indent) {
        if (!keyLine.test(line)) return null;
        entryStarts.push(lineStart);
      }
    }
    lineStart = lineEnd + 1;
  }
  const nodesStart = entryStarts[0];
  if (nodesStart === undefined) return null;
  return { nodesStart, entryStarts, tailStart, indent };
}
