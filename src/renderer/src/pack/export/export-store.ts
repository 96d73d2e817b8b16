/** Whether the export dialog is open; the toolbar button and Ctrl/Cmd+E open it. */
import { create } from 'zustand';

interface ExportDialogState {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useExportDialog = create<ExportDialogState>((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));
