import { BrowserWindow, dialog, shell, type OpenDialogOptions } from 'electron';
import type { DesktopShell, PickPathRequest } from '../runtime/host/desktop-shell';

/** Native open/save dialogs, parented to the focused window, and the OS file manager. */
export function electronShell(): DesktopShell {
  return {
    info: { desktop: true, nativeDialogs: true, fileManager: true },
    async pickPath(request: PickPathRequest) {
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const common = {
        ...(request.title ? { title: request.title } : {}),
        ...(request.defaultPath ? { defaultPath: request.defaultPath } : {}),
        ...(request.filters ? { filters: request.filters } : {}),
      };
      if (request.kind === 'save') {
        const result = parent ? await dialog.showSaveDialog(parent, common) : await dialog.showSaveDialog(common);
        return result.canceled || !result.filePath ? null : result.filePath;
      }
      const options: OpenDialogOptions = {
        ...common,
        properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
      };
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async reveal(path) {
      shell.showItemInFolder(path);
    },
  };
}
