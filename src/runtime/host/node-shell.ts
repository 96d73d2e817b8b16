import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { StudioError } from '../../shared/api';
import type { DesktopShell } from './desktop-shell';

interface Opener {
  command: string;
  args(path: string): string[];
}

/** The platform's own way to show a path in its file manager, when it has one on this machine. */
function findOpener(platform = process.platform): Opener | null {
  if (platform === 'darwin') return { command: 'open', args: (path) => ['-R', path] };
  if (platform === 'win32') return { command: 'explorer.exe', args: (path) => [`/select,${path}`] };
  if (!onPath('xdg-open')) return null;
  // xdg-open cannot select a file, so it opens the folder that holds it.
  return { command: 'xdg-open', args: (path) => [isDirectory(path) ? path : dirname(path)] };
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Web mode and the CLI: no native dialogs (the browser has none for local paths); the file manager when the OS has an opener. */
export function nodeShell(): DesktopShell {
  const opener = findOpener();
  return {
    info: { desktop: false, nativeDialogs: false, fileManager: opener !== null },
    async pickPath() {
      throw new StudioError('unavailable', 'Native file dialogs exist only in the desktop app; type the path instead.');
    },
    async reveal(path) {
      if (!opener) throw new StudioError('unavailable', 'No file manager opener (xdg-open) is installed on this machine.');
      const child = spawn(opener.command, opener.args(path), { detached: true, stdio: 'ignore' });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(new StudioError('unavailable', `Could not open the file manager: ${error.message}`)));
      });
      child.unref();
    },
  };
}
