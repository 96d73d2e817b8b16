import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopShell } from '../../../src/runtime/host/desktop-shell';
import { createHostHandlers } from '../../../src/runtime/host/handlers';
import { nodeShell } from '../../../src/runtime/host/node-shell';

function recordingShell(): DesktopShell & { revealed: string[] } {
  const revealed: string[] = [];
  return {
    revealed,
    info: { desktop: true, nativeDialogs: true, fileManager: true },
    pickPath: async (request) => (request.kind === 'folder' ? '/picked/folder' : null),
    reveal: async (path) => {
      revealed.push(path);
    },
  };
}

describe('host methods', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('tells the UI what the shell can do, with the home folder as a starting point', async () => {
    const info = await createHostHandlers(recordingShell()).hostInfo({});
    expect(info).toEqual({ desktop: true, nativeDialogs: true, fileManager: true, homeDir: homedir() });
  });

  it('passes a picked path through, and null when the user cancels', async () => {
    const handlers = createHostHandlers(recordingShell());
    await expect(handlers.pickPath({ kind: 'folder' })).resolves.toEqual({ path: '/picked/folder' });
    await expect(handlers.pickPath({ kind: 'file' })).resolves.toEqual({ path: null });
  });

  it('reveals only absolute paths that exist', async () => {
    const shell = recordingShell();
    const handlers = createHostHandlers(shell);
    const dir = await mkdtemp(join(tmpdir(), 'host-'));
    folders.push(dir);
    const file = join(dir, 'demo.gtpack');
    await writeFile(file, 'x');
    await expect(handlers.revealPath({ path: file })).resolves.toEqual({ path: file });
    expect(shell.revealed).toEqual([file]);
    await expect(handlers.revealPath({ path: 'relative/demo.gtpack' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(handlers.revealPath({ path: join(dir, 'missing.gtpack') })).rejects.toMatchObject({ code: 'not_found' });
    expect(shell.revealed).toHaveLength(1);
  });

  it('has no native dialogs in web mode and says to type the path', async () => {
    const handlers = createHostHandlers(nodeShell());
    expect((await handlers.hostInfo({})).nativeDialogs).toBe(false);
    await expect(handlers.pickPath({ kind: 'folder' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('type the path') });
  });
});
