/**
 * Breakpoints in the YAML view's gutter: a glyph on the line of each node id that has one, a faint
 * hint where a click would set one, F9 for the node under the cursor, and the paused node's line
 * marked. The breakpoint store stays the one truth; this only draws it and forwards clicks.
 */
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import type { IrNode } from '../../../shared/flow';
import type { Monaco } from '../yaml/monaco';
import { breakpointTerms, useBreakpoints, type Breakpoint } from './breakpoint-store';

export interface GutterSource {
  /** The nodes of the text shown, or null while it does not parse (the glyphs then stay put). */
  nodes(): readonly IrNode[] | null;
  /** The node the debugger is paused at in this flow, if any. */
  pausedNode(): string | null;
}

interface NodeLines {
  id: string;
  /** The line of the node's id (1-based), where its glyph goes. */
  line: number;
  /** The last line of the node's block. */
  endLine: number;
}

export function attachBreakpointGutter(monaco: Monaco, editor: MonacoEditor.IStandaloneCodeEditor, source: GutterSource): { refresh(): void; dispose(): void } {
  const glyphs = editor.createDecorationsCollection();
  const hint = editor.createDecorationsCollection();
  let lines: NodeLines[] = [];

  const linesOf = (model: MonacoEditor.ITextModel, nodes: readonly IrNode[]): NodeLines[] =>
    nodes.map((node) => ({
      id: node.id,
      line: model.getPositionAt(node.idRange.offset).lineNumber,
      endLine: model.getPositionAt(Math.max(node.range.endOffset - 1, node.idRange.offset)).lineNumber,
    }));

  const refresh = () => {
    const model = editor.getModel();
    const nodes = source.nodes();
    if (!model) return;
    if (nodes) lines = linesOf(model, nodes);
    else return;
    const { breakpoints } = useBreakpoints.getState();
    const paused = source.pausedNode();
    const decorations: MonacoEditor.IModelDeltaDecoration[] = [];
    for (const entry of lines) {
      const breakpoint = breakpoints[entry.id];
      if (breakpoint) {
        decorations.push({
          range: new monaco.Range(entry.line, 1, entry.line, 1),
          options: {
            glyphMarginClassName: `yaml-breakpoint-glyph${breakpoint.condition || breakpoint.hitCount ? ' conditional' : ''}${breakpoint.enabled === false ? ' off' : ''}`,
            glyphMarginHoverMessage: { value: glyphHover(breakpoint) },
            stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
          },
        });
      }
      if (entry.id === paused) {
        decorations.push({
          range: new monaco.Range(entry.line, 1, entry.line, 1),
          options: { isWholeLine: true, className: 'yaml-paused-line', linesDecorationsClassName: 'yaml-paused-marker' },
        });
      }
    }
    glyphs.set(decorations);
  };

  const nodeOnIdLine = (line: number) => lines.find((entry) => entry.line === line)?.id ?? null;
  const nodeAround = (line: number) => lines.find((entry) => line >= entry.line && line <= entry.endLine)?.id ?? null;

  const mouseDown = editor.onMouseDown((event) => {
    if (event.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN) return;
    const id = event.target.position ? nodeOnIdLine(event.target.position.lineNumber) : null;
    if (id) void useBreakpoints.getState().toggle([id]);
  });
  const mouseMove = editor.onMouseMove((event) => {
    const line = event.target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN ? event.target.position?.lineNumber : undefined;
    const id = line === undefined ? null : nodeOnIdLine(line);
    if (line === undefined || !id || useBreakpoints.getState().breakpoints[id]) hint.clear();
    else hint.set([{ range: new monaco.Range(line, 1, line, 1), options: { glyphMarginClassName: 'yaml-breakpoint-hint', glyphMarginHoverMessage: { value: `Stop before \`${id}\` runs` } } }]);
  });
  const mouseLeave = editor.onMouseLeave(() => hint.clear());
  editor.addCommand(monaco.KeyCode.F9, () => {
    const line = editor.getPosition()?.lineNumber;
    const id = line === undefined ? null : nodeAround(line);
    if (id) void useBreakpoints.getState().toggle([id]);
  });
  const unsubscribe = useBreakpoints.subscribe((state, previous) => {
    if (state.breakpoints !== previous.breakpoints) refresh();
  });

  return {
    refresh,
    dispose() {
      unsubscribe();
      mouseDown.dispose();
      mouseMove.dispose();
      mouseLeave.dispose();
      glyphs.clear();
      hint.clear();
    },
  };
}

function glyphHover(breakpoint: Breakpoint): string {
  const terms = breakpointTerms(breakpoint);
  return `Breakpoint on \`${breakpoint.nodeId}\`${terms ? ` (${terms})` : ''}: click to remove`;
}
