/** The flow editor's resizable panels: their separators and the canvas focus mode. */
import { useEffect, type RefObject } from 'react';
import { Separator, type PanelImperativeHandle } from 'react-resizable-panels';
import { useUi } from '../store/ui-store';

/** A drag bar between two panels; the keyboard moves it too (arrow keys), as the library provides. */
export function PanelSeparator({ label }: { label: string }) {
  return <Separator className="panel-separator" aria-label={label} />;
}

/** Focus mode gives the canvas the whole width: the side panels collapse, and come back as they were. */
export function useFocusMode(...panels: Array<RefObject<PanelImperativeHandle | null>>): void {
  const focus = useUi((state) => state.canvasFocus);
  useEffect(() => {
    for (const panel of panels) {
      if (focus) panel.current?.collapse();
      else panel.current?.expand();
    }
    // The refs are stable; only the mode matters.
  }, [focus]);
}
