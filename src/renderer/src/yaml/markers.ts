import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import type { Diagnostic } from '../../../shared/flow';
import type { Monaco } from './monaco';

/** The flow core's diagnostics as editor markers, with their codes (diagnostics of sidecar files are left out). */
export function toMarkers(monaco: Monaco, model: MonacoEditor.ITextModel, diagnostics: readonly Diagnostic[]): MonacoEditor.IMarkerData[] {
  return diagnostics
    .filter((d) => !d.file)
    .map((d) => {
      const start = model.getPositionAt(d.range.offset);
      const end = model.getPositionAt(Math.max(d.range.endOffset, d.range.offset + 1));
      return {
        severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
        code: d.code,
        message: d.message,
        source: 'flow',
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      };
    });
}
