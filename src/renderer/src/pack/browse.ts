import { studio } from '../api/studio';
import { usePack } from './pack-store';

/** The OS file dialog for a `.gtpack`, then the pack opens in the Pack workspace; nothing when cancelled. */
export async function browseForPack(): Promise<void> {
  const picked = await studio.pickPath({ kind: 'file', title: 'Open a pack', filters: [{ name: 'Greentic packs', extensions: ['gtpack'] }] }).catch(() => null);
  if (picked?.path) await usePack.getState().open(picked.path);
}
