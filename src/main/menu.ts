import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/api';

interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Development builds add reload and the developer tools. */
  dev: boolean;
  send(command: MenuCommand): void;
}

/**
 * The application menu. Items the window also has a keyboard shortcut for show that shortcut but do
 * not register it (`registerAccelerator: false`): the window's own key handler stays the one place
 * that acts on keys, in the desktop app and in web mode alike.
 */
export function menuTemplate({ platform, appName, dev, send }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: () => send(command),
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
  });
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New Project…', 'newProject'),
      item('Open Folder…', 'openFolder'),
      item('Open Pack…', 'openPack'),
      separator,
      item('Save', 'save', 'CmdOrCtrl+S'),
      item('Export Pack…', 'exportPack', 'CmdOrCtrl+E'),
      ...(mac ? [] : [separator, { role: 'quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      item('Undo', 'undo', 'CmdOrCtrl+Z'),
      item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      item('Select All', 'selectAll', 'CmdOrCtrl+A'),
      separator,
      item('Find…', 'find', 'CmdOrCtrl+F'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Flows', 'showFlows'),
      item('Pack', 'showPack'),
      item('NATS', 'showNats'),
      separator,
      item('Toggle YAML View', 'toggleYaml', 'CmdOrCtrl+Shift+E'),
      item('Fit Flow in View', 'fitView', 'F'),
      item('Auto-Layout', 'autoLayout', 'L'),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      ...(dev ? [separator, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const debug: MenuItemConstructorOptions = {
    label: 'Debug',
    submenu: [
      item('Continue', 'debugContinue', 'F5'),
      item('Step Over', 'debugStepOver', 'F10'),
      item('Step Into', 'debugStepInto', 'F11'),
      item('Step Out', 'debugStepOut', 'Shift+F11'),
      item('Stop', 'debugStop', 'Shift+F5'),
      separator,
      item('Toggle Breakpoint', 'toggleBreakpoint', 'F9'),
      item('Toggle Break on Error', 'toggleBreakOnError'),
    ],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [item('Keyboard Shortcuts', 'showShortcuts', '?')] };
  const app: MenuItemConstructorOptions = {
    label: appName,
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
  return [...(mac ? [app] : []), file, edit, view, debug, window, help];
}
