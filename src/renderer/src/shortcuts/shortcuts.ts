/** The studio's keyboard shortcuts: one table, used by the key handler and listed in the help overlay. */
import { runCommand } from '../commands/registry';
import { isPaused } from '../debug/debug-store';
import { ACTIONS } from '../shell/actions';
import { useUi } from '../store/ui-store';

export interface Shortcut {
  keys: string;
  description: string;
  /** Also fires while typing in a field or the YAML view. */
  inFields?: boolean;
  matches(event: KeyboardEvent): boolean;
  run(): void;
}

const mod = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;
const plain = (event: KeyboardEvent) => !event.ctrlKey && !event.metaKey && !event.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl/Cmd+S', description: 'Save', inFields: true, matches: (e) => mod(e) && e.key.toLowerCase() === 's', run: ACTIONS.save },
  { keys: 'Ctrl/Cmd+Z', description: 'Undo', matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z', run: ACTIONS.undo },
  {
    keys: 'Ctrl/Cmd+Shift+Z, Ctrl/Cmd+Y',
    description: 'Redo',
    matches: (e) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'),
    run: ACTIONS.redo,
  },
  { keys: 'Ctrl/Cmd+F', description: 'Find a node by id, op key or payload text', matches: (e) => mod(e) && e.key.toLowerCase() === 'f', run: ACTIONS.find },
  { keys: 'Delete, Backspace', description: 'Delete the selected nodes or routes', matches: (e) => plain(e) && (e.key === 'Delete' || e.key === 'Backspace'), run: () => void runCommand('deleteSelection') },
  { keys: 'Ctrl/Cmd+A', description: 'Select all nodes', matches: (e) => mod(e) && e.key.toLowerCase() === 'a', run: ACTIONS.selectAll },
  { keys: 'Ctrl/Cmd+D', description: 'Duplicate the selected nodes', matches: (e) => mod(e) && e.key.toLowerCase() === 'd', run: () => void runCommand('duplicate') },
  { keys: 'Ctrl/Cmd+C, X, V', description: 'Copy, cut, paste nodes (as YAML)', matches: () => false, run: () => undefined },
  {
    keys: 'Shift+F',
    description: 'Focus on the canvas: hide the side panels, or bring them back',
    matches: (e) => plain(e) && e.shiftKey && e.key.toLowerCase() === 'f',
    run: () => useUi.getState().toggleCanvasFocus(),
  },
  { keys: 'F', description: 'Fit the flow in view', matches: (e) => plain(e) && e.key.toLowerCase() === 'f', run: ACTIONS.fitView },
  { keys: 'L', description: 'Auto-layout the flow', matches: (e) => plain(e) && e.key.toLowerCase() === 'l', run: ACTIONS.autoLayout },
  {
    keys: 'Ctrl/Cmd+E',
    description: 'Export the project as a signed pack',
    inFields: true,
    matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'e',
    run: ACTIONS.exportPack,
  },
  { keys: 'Ctrl/Cmd+Shift+E', description: 'Toggle the YAML view', inFields: true, matches: (e) => mod(e) && e.shiftKey && e.key.toLowerCase() === 'e', run: ACTIONS.toggleYaml },
  { keys: 'F9', description: 'Toggle a breakpoint on the selected node (in the YAML view: the node at the cursor)', inFields: true, matches: (e) => plain(e) && !e.shiftKey && e.key === 'F9', run: ACTIONS.toggleBreakpoint },
  // While a turn is paused only: otherwise the browser keeps F5 (reload) and F11 (full screen).
  { keys: 'F5', description: 'Debugger: continue the paused turn', inFields: true, matches: (e) => whilePaused(e, 'F5', false), run: ACTIONS.debugContinue },
  { keys: 'F10', description: 'Debugger: step over (run this node, pause before the next)', inFields: true, matches: (e) => whilePaused(e, 'F10', false), run: ACTIONS.debugStepOver },
  { keys: 'F11', description: 'Debugger: step into the flow this node calls', inFields: true, matches: (e) => whilePaused(e, 'F11', false), run: ACTIONS.debugStepInto },
  { keys: 'Shift+F11', description: 'Debugger: step out of the called flow', inFields: true, matches: (e) => whilePaused(e, 'F11', true), run: ACTIONS.debugStepOut },
  { keys: 'Shift+F5', description: 'Debugger: stop the paused turn (the session stays as before it)', inFields: true, matches: (e) => whilePaused(e, 'F5', true), run: ACTIONS.debugStop },
  { keys: '?', description: 'Show these shortcuts', matches: (e) => e.key === '?', run: ACTIONS.showShortcuts },
];

function whilePaused(event: KeyboardEvent, key: string, shift: boolean): boolean {
  return plain(event) && event.shiftKey === shift && event.key === key && isPaused();
}

export function isTextField(target: EventTarget | null): boolean {
  return target instanceof Element && Boolean(target.closest('input, textarea, select, [contenteditable="true"], .monaco-editor'));
}

export function handleShortcut(event: KeyboardEvent): void {
  if (event.defaultPrevented) return;
  const typing = isTextField(event.target);
  const shortcut = SHORTCUTS.find((candidate) => candidate.matches(event) && (!typing || candidate.inFields));
  if (!shortcut) return;
  event.preventDefault();
  shortcut.run();
}
