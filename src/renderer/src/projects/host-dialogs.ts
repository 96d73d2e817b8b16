/** The folder dialogs of the machine behind this window, through the studio's host methods. */
import { studio } from '../api/studio';
import { hostInfo } from '../shell/host';
import type { FolderDialogs } from './folder-picker';

export const hostDialogs: FolderDialogs = {
  hostInfo,
  pickFolder: async (title) => (await studio.pickPath({ kind: 'folder', title })).path,
};
