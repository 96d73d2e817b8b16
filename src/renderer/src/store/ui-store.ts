/** Overlays and panels of the window: the find bar, the shortcut help, the YAML view toggle. */
import { create } from 'zustand';
import { useEditor } from './editor-store';

interface UiState {
  findOpen: boolean;
  helpOpen: boolean;
  openFind(): void;
  closeFind(): void;
  toggleHelp(): void;
  toggleYaml(): void;
}

export const useUi = create<UiState>((set, get) => ({
  findOpen: false,
  helpOpen: false,
  openFind: () => set({ findOpen: true }),
  closeFind: () => set({ findOpen: false }),
  toggleHelp: () => set({ helpOpen: !get().helpOpen }),
  toggleYaml() {
    const editor = useEditor.getState();
    editor.setView(editor.view === 'canvas' ? 'split' : 'canvas');
  },
}));
