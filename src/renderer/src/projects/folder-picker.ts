/**
 * Where "Open folder…" and "New project…" get a folder from: the OS folder dialog in the desktop app,
 * a typed path where there is none (web mode, whose browser cannot name local folders).
 */
import type { HostInfo } from '../../../shared/api';

export type FolderChoice = { kind: 'picked'; path: string } | { kind: 'cancelled' } | { kind: 'typed' };

export interface FolderDialogs {
  hostInfo(): Promise<HostInfo>;
  /** The folder the user picked, or null when they cancelled. */
  pickFolder(title: string): Promise<string | null>;
}

export async function chooseFolder(title: string, dialogs: FolderDialogs): Promise<FolderChoice> {
  const info = await dialogs.hostInfo().catch(() => null);
  if (!info?.nativeDialogs) return { kind: 'typed' };
  try {
    const path = await dialogs.pickFolder(title);
    return path ? { kind: 'picked', path } : { kind: 'cancelled' };
  } catch {
    // A dialog that cannot open leaves the typed field, which works everywhere.
    return { kind: 'typed' };
  }
}
