/** The pack inspector: the pack shown, how it was opened, why it could not be, and the recent packs. */
import { create } from 'zustand';
import { StudioError, type PackInspection, type RecentPack } from '../../../shared/api';
import { studio } from '../api/studio';
import { pathOfDroppedFile, uploadPackFile } from './upload';

export interface PackProblem {
  /** The studio error code (`invalid_pack`, `io_error`, ...). */
  code: string;
  /** The reader's own code (`unsafe_path`, `entry_too_large`, ...), when the pack itself is at fault. */
  reason: string | null;
  /** The archive entry the problem is about, when there is one. */
  entry: string | null;
  message: string;
}

interface PackState {
  /** The file inspected (for a dropped file in web mode, the back end's copy of it). */
  path: string | null;
  /** The name the user knows the file by. */
  name: string | null;
  inspection: PackInspection | null;
  problem: PackProblem | null;
  busy: string | null;
  recent: RecentPack[];
  open(path: string): Promise<void>;
  openDropped(file: File): Promise<void>;
  reload(): Promise<void>;
  loadRecent(): Promise<void>;
  trustSigner(fingerprint: string, label: string): Promise<void>;
  close(): void;
}

export function problemOf(error: unknown): PackProblem {
  const studioError = StudioError.from(error);
  const details = (studioError.details ?? {}) as { code?: unknown; path?: unknown };
  return {
    code: studioError.code,
    reason: typeof details.code === 'string' ? details.code : null,
    entry: typeof details.path === 'string' ? details.path : null,
    message: studioError.message,
  };
}

const fileName = (path: string) => path.replace(/^.*[\\/]/, '');

export const usePack = create<PackState>((set, get) => {
  /** Runs one opening; a later opening wins over an earlier one still in flight. */
  let generation = 0;
  async function show(path: string, name: string, inspect: () => Promise<PackInspection>): Promise<void> {
    const mine = ++generation;
    set({ busy: `Opening ${name}…`, problem: null });
    try {
      const inspection = await inspect();
      if (mine === generation) set({ path, name, inspection, busy: null });
    } catch (error) {
      if (mine === generation) set({ path, name, inspection: null, problem: problemOf(error), busy: null });
    }
    void get().loadRecent();
  }

  return {
    path: null,
    name: null,
    inspection: null,
    problem: null,
    busy: null,
    recent: [],

    open: (path) => show(path, fileName(path), () => studio.openPackFile({ path })),

    async openDropped(file) {
      const path = pathOfDroppedFile(file);
      if (path) return get().open(path);
      const mine = ++generation;
      try {
        set({ busy: `Uploading ${file.name}…`, problem: null });
        const uploaded = await uploadPackFile(file, (received, total) => {
          if (mine === generation) set({ busy: `Uploading ${file.name}… ${Math.floor((received / total) * 100)}%` });
        });
        if (mine !== generation) return;
        await show(uploaded, file.name, () => studio.inspectPack({ path: uploaded }));
      } catch (error) {
        if (mine === generation) set({ path: null, name: file.name, inspection: null, problem: problemOf(error), busy: null });
      }
    },

    async reload() {
      const { path, name } = get();
      if (path) await show(path, name ?? fileName(path), () => studio.inspectPack({ path }));
    },

    async loadRecent() {
      try {
        set({ recent: await studio.recentPacks({}) });
      } catch {
        // The list is a convenience; without it the path field still opens packs.
      }
    },

    async trustSigner(fingerprint, label) {
      const path = get().path;
      if (!path) return;
      await studio.trustPackSigner({ path, fingerprint, label });
      await get().reload();
    },

    close: () => {
      generation += 1;
      set({ path: null, name: null, inspection: null, problem: null, busy: null });
    },
  };
});
