/**
 * A `.gtpack` dropped anywhere on the window opens in the pack inspector. Without this the browser
 * (or Electron) would navigate to the dropped file.
 */
import { useUi } from '../store/ui-store';
import { usePack } from './pack-store';

let installed = false;

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function installPackDrop(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event) || event.defaultPrevented) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event) || event.defaultPrevented) return;
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    // In the pack workspace any file is taken as a pack (and refused clearly if it is not one).
    const inPackWorkspace = useUi.getState().workspace === 'pack';
    if (!inPackWorkspace && !file.name.toLowerCase().endsWith('.gtpack')) return;
    useUi.getState().setWorkspace('pack');
    void usePack.getState().openDropped(file);
  });
}
