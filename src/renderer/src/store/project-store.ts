import { create } from 'zustand';
import type { ProjectSnapshot } from '../../../shared/api';
import { studio } from '../api/studio';
import { flowViewFromText, type FlowView } from '../canvas/graph';

interface ProjectState {
  project: ProjectSnapshot | null;
  activePath: string | null;
  view: FlowView | null;
  error: string | null;
  openDefault(): Promise<void>;
  selectFlow(path: string): Promise<void>;
}

export const useProject = create<ProjectState>((set, get) => ({
  project: null,
  activePath: null,
  view: null,
  error: null,

  async openDefault() {
    try {
      const project = (await studio.getProject({})) ?? (await studio.openProject({}));
      set({ project, error: null });
      const first = project.flows[0];
      if (first) await get().selectFlow(first.path);
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },

  async selectFlow(path) {
    try {
      const file = await studio.readFlow({ path });
      set({ activePath: file.path, view: flowViewFromText(file.text), error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
}));
