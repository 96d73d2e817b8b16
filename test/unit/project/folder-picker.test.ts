import { describe, expect, it } from 'vitest';
import type { HostInfo } from '../../../src/shared/api';
import { StudioError } from '../../../src/shared/api';
import { chooseFolder, type FolderDialogs } from '../../../src/renderer/src/projects/folder-picker';

const DESKTOP: HostInfo = { desktop: true, nativeDialogs: true, fileManager: true, homeDir: '/home/ada' };
const WEB: HostInfo = { desktop: false, nativeDialogs: false, fileManager: false, homeDir: '/home/ada' };

/** Dialogs that answer as a host would, and remember which titles they were opened with. */
function dialogs(info: HostInfo | Error, pick: () => Promise<string | null>): FolderDialogs & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    hostInfo: () => (info instanceof Error ? Promise.reject(info) : Promise.resolve(info)),
    pickFolder: (title) => {
      opened.push(title);
      return pick();
    },
  };
}

describe('choosing a project folder', () => {
  it('uses the native folder dialog in the desktop app', async () => {
    const host = dialogs(DESKTOP, async () => '/home/ada/orders');
    expect(await chooseFolder('Folder to open', host)).toEqual({ kind: 'picked', path: '/home/ada/orders' });
    expect(host.opened).toEqual(['Folder to open']);
  });

  it('does nothing more when the user cancels the dialog', async () => {
    expect(await chooseFolder('Folder to open', dialogs(DESKTOP, async () => null))).toEqual({ kind: 'cancelled' });
  });

  it('asks for a typed path in web mode without trying a dialog', async () => {
    const host = dialogs(WEB, async () => '/never');
    expect(await chooseFolder('Folder to open', host)).toEqual({ kind: 'typed' });
    expect(host.opened).toEqual([]);
  });

  it('falls back to the typed path when the host cannot say what it offers or the dialog fails', async () => {
    expect(await chooseFolder('Folder to open', dialogs(new Error('socket closed'), async () => '/x'))).toEqual({ kind: 'typed' });
    const failing = dialogs(DESKTOP, () => Promise.reject(new StudioError('unavailable', 'no dialogs here')));
    expect(await chooseFolder('Folder to open', failing)).toEqual({ kind: 'typed' });
  });
});
