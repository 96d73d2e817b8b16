/** Overlays and panels of the window: the workspace shown, the find bar, the shortcut help, the YAML view toggle. */
import { create } from 'zustand';
import { useEditor } from './editor-store';

/** The main area of the window: the flow editor, a pack's inspector, or the NATS bus. */
export type Workspace = 'flows' | 'pack' | 'bundle' | 'nats';

interface UiState {
  workspace: Workspace;
  setWorkspace(workspace: Workspace): void;
  findOpen: boolean;
  helpOpen: boolean;
  openFind(): void;
  closeFind(): void;
  toggleHelp(): void;
  toggleYaml(): void;
  /** The canvas has the whole width: the project and side panels are collapsed. */
  canvasFocus: boolean;
  toggleCanvasFocus(): void;
}

export const useUi = create<UiState>((set, get) => ({
  workspace: 'flows',
  setWorkspace: (workspace) => set({ workspace }),
  findOpen: false,
  helpOpen: false,
  openFind: () => set({ findOpen: true }),
  closeFind: () => set({ findOpen: false }),
  toggleHelp: () => set({ helpOpen: !get().helpOpen }),
  canvasFocus: false,
  toggleCanvasFocus: () => set({ canvasFocus: !get().canvasFocus }),
  toggleYaml() {
    const editor = useEditor.getState();
    editor.setView(editor.view === 'canvas' ? 'split' : 'canvas');
  },
}));
