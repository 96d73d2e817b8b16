/** The Bundle workspace's state: the bundle folder opened and what `bundle check` says about it. */
import { create } from 'zustand';
import type { BundleReport } from '../../../shared/api';
import { studio } from '../api/studio';

interface BundleState {
  report: BundleReport | null;
  error: string | null;
  busy: boolean;
  open(path: string): Promise<void>;
  close(): void;
}

export const useBundle = create<BundleState>((set, get) => ({
  report: null,
  error: null,
  busy: false,
  async open(path) {
    set({ busy: true, error: null });
    try {
      set({ report: await studio.inspectBundle({ path }), busy: false });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error), busy: false, report: get().report });
    }
  },
  close: () => set({ report: null, error: null }),
}));
