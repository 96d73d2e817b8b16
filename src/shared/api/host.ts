import { z } from 'zod';
import { method } from './define';

/** What the machine running the back end can do for the UI beyond the studio's own methods. */
export interface HostInfo {
  /** True in the desktop app (Electron), false in web mode. */
  desktop: boolean;
  /** Native open/save dialogs are available (`pickPath`); web mode shows a path field instead. */
  nativeDialogs: boolean;
  /** `revealPath` can open the OS file manager. */
  fileManager: boolean;
  /** The user's home folder, as a starting point for typed paths. */
  homeDir: string;
}

const fileFilter = z
  .object({
    name: z.string().min(1).max(100),
    extensions: z.array(z.string().regex(/^[A-Za-z0-9*]{1,16}$/)).min(1).max(20),
  })
  .strict();

export const hostMethods = {
  hostInfo: method<HostInfo>()(z.object({}).strict()),
  /**
   * A native dialog: `folder` and `file` open an existing path, `save` names a new file.
   * Resolves `{ path: null }` when the user cancels; fails with `unavailable` without native dialogs.
   */
  pickPath: method<{ path: string | null }>()(
    z
      .object({
        kind: z.enum(['folder', 'file', 'save']),
        title: z.string().max(200).optional(),
        defaultPath: z.string().max(4096).optional(),
        filters: z.array(fileFilter).max(10).optional(),
      })
      .strict(),
  ),
  /** Shows a file or folder in the OS file manager (selected where the OS can do that). */
  revealPath: method<{ path: string }>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
};
