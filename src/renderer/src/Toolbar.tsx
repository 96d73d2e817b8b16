import { runCommand } from './commands/registry';
import { isDirty } from './document/flow-document';
import { ExportDialog } from './pack/export/ExportDialog';
import { useExportDialog } from './pack/export/export-store';
import { useActiveDocument, useEditor, type EditorView } from './store/editor-store';
import { useProject } from './store/project-store';
import { useUi } from './store/ui-store';

const VIEWS: Array<{ view: EditorView; label: string }> = [
  { view: 'canvas', label: 'Canvas' },
  { view: 'split', label: 'Split' },
  { view: 'yaml', label: 'YAML' },
];

export function Toolbar() {
  const doc = useActiveDocument();
  const { view, setView, undo, redo, save } = useEditor();
  const toggleHelp = useUi((state) => state.toggleHelp);
  const openFind = useUi((state) => state.openFind);
  const canvasFocus = useUi((state) => state.canvasFocus);
  const toggleCanvasFocus = useUi((state) => state.toggleCanvasFocus);
  const canUndo = (doc?.history.past.length ?? 0) > 0;
  const canRedo = (doc?.history.future.length ?? 0) > 0;
  const isPackProject = useProject((state) => state.project?.packId != null);
  const exportOpen = useExportDialog((state) => state.open);
  const showExport = useExportDialog((state) => state.show);
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <div className="segmented" role="group" aria-label="View">
        {VIEWS.map((entry) => (
          <button key={entry.view} type="button" aria-pressed={view === entry.view} onClick={() => setView(entry.view)}>
            {entry.label}
          </button>
        ))}
      </div>
      <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl/Cmd+Z)">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl/Cmd+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={() => void save()} disabled={!doc || !isDirty(doc)} title="Save (Ctrl/Cmd+S)">
        Save
      </button>
      <button type="button" onClick={() => runCommand('autoLayout')} disabled={!doc} title="Auto-layout (L)">
        Layout
      </button>
      <button type="button" onClick={() => runCommand('fitView')} disabled={!doc} title="Fit view (F)">
        Fit
      </button>
      <button type="button" onClick={toggleCanvasFocus} aria-pressed={canvasFocus} disabled={view === 'yaml'} title="Focus on the canvas: hide the side panels (Shift+F)">
        Focus
      </button>
      <button type="button" onClick={() => runCommand('alignLeft')} disabled={!doc} title="Align the selected nodes left">
        Align left
      </button>
      <button type="button" onClick={() => runCommand('alignTop')} disabled={!doc} title="Align the selected nodes to the top">
        Align top
      </button>
      <button type="button" onClick={openFind} disabled={!doc} title="Find (Ctrl/Cmd+F)">
        Find
      </button>
      <button type="button" onClick={showExport} disabled={!isPackProject} title={isPackProject ? 'Export a signed pack (Ctrl/Cmd+E)' : 'Only a pack project (with pack.yaml) can be exported'}>
        Export pack…
      </button>
      <button type="button" onClick={toggleHelp} title="Keyboard shortcuts (?)">
        ?
      </button>
      {exportOpen && <ExportDialog />}
    </div>
  );
}
