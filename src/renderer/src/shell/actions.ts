/**
 * What the desktop menu's commands do in this window. The keyboard shortcuts call the same actions,
 * so a menu item and its shortcut never drift apart.
 */
import type { MenuCommand } from '../../../shared/api';
import { runCommand } from '../commands/registry';
import { toggleBreakpointsOnSelection } from '../debug/breakpoint-actions';
import { useBreakpoints } from '../debug/breakpoint-store';
import { useDebug } from '../debug/debug-store';
import { browseForPack } from '../pack/browse';
import { useExportDialog } from '../pack/export/export-store';
import { askForProjectFolder } from '../projects/open-folder';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';
import { useUi } from '../store/ui-store';

/** A plain text field has focus: edit commands belong to it (the YAML view's edits are the document's). */
function editingPlainText(): boolean {
  const active = document.activeElement;
  return active instanceof HTMLElement && active.matches('input, textarea, [contenteditable="true"]') && !active.closest('.monaco-editor');
}

export const ACTIONS: Record<MenuCommand, () => void> = {
  newProject: () => void askForProjectFolder('newProject'),
  openFolder: () => void askForProjectFolder('open'),
  openPack: () => {
    useUi.getState().setWorkspace('pack');
    void browseForPack();
  },
  save: () => void useEditor.getState().save(),
  exportPack: () => {
    if (!useProject.getState().project?.packId) return;
    useUi.getState().setWorkspace('flows');
    useExportDialog.getState().show();
  },
  undo: () => (editingPlainText() ? document.execCommand('undo') : useEditor.getState().undo()),
  redo: () => (editingPlainText() ? document.execCommand('redo') : useEditor.getState().redo()),
  selectAll: () => (editingPlainText() ? document.execCommand('selectAll') : runCommand('selectAll')),
  find: () => useUi.getState().openFind(),
  showFlows: () => useUi.getState().setWorkspace('flows'),
  showPack: () => useUi.getState().setWorkspace('pack'),
  showNats: () => useUi.getState().setWorkspace('nats'),
  toggleYaml: () => useUi.getState().toggleYaml(),
  fitView: () => void runCommand('fitView'),
  autoLayout: () => void runCommand('autoLayout'),
  showShortcuts: () => useUi.getState().toggleHelp(),
  toggleBreakpoint: toggleBreakpointsOnSelection,
  toggleBreakOnError: () => {
    const breakpoints = useBreakpoints.getState();
    void breakpoints.setBreakOnError(!breakpoints.breakOnError);
  },
  debugContinue: () => void useDebug.getState().run('continue'),
  debugStepOver: () => void useDebug.getState().run('stepOver'),
  debugStepInto: () => void useDebug.getState().run('stepInto'),
  debugStepOut: () => void useDebug.getState().run('stepOut'),
  debugStop: () => void useDebug.getState().run('stop'),
};
