import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { StudioError } from '../../shared/api';
import type { hostMethods } from '../../shared/api/host';
import type { Handlers } from '../../shared/api/define';
import type { DesktopShell } from './desktop-shell';

export function createHostHandlers(shell: DesktopShell): Handlers<typeof hostMethods> {
  return {
    async hostInfo() {
      return { ...shell.info, homeDir: homedir() };
    },
    async pickPath(request) {
      return { path: await shell.pickPath(request) };
    },
    async revealPath({ path }) {
      if (!isAbsolute(path)) throw new StudioError('bad_request', `Not an absolute path: ${path}`);
      await access(path).catch(() => {
        throw new StudioError('not_found', `Nothing exists at ${path}`);
      });
      await shell.reveal(path);
      return { path };
    },
  };
}
