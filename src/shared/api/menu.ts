/** What the desktop app's menu asks the window to do; the renderer carries each out as its shortcut would. */
export const MENU_COMMANDS = [
  'newProject',
  'openFolder',
  'openPack',
  'save',
  'exportPack',
  'undo',
  'redo',
  'selectAll',
  'find',
  'showFlows',
  'showPack',
  'showNats',
  'toggleYaml',
  'fitView',
  'autoLayout',
  'showShortcuts',
  'toggleBreakpoint',
  'toggleBreakOnError',
  'debugContinue',
  'debugStepOver',
  'debugStepInto',
  'debugStepOut',
  'debugStop',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface MenuCommandEvent {
  command: MenuCommand;
}
