import { useEditor } from '../store/editor-store';
import { useBreakpoints } from './breakpoint-store';

/** F9 and the menu's Toggle Breakpoint: on each selected node of the flow shown. */
export function toggleBreakpointsOnSelection(): void {
  const { selection } = useEditor.getState();
  if (selection.length > 0) void useBreakpoints.getState().toggle(selection);
}
