import { useEditor } from '../store/editor-store';
import { useBreakpoints } from './breakpoint-store';

/** F9 and the menu's Toggle Breakpoint: on the selected nodes, or on the canvas node the keyboard has focused outside them. */
export function toggleBreakpointsOnSelection(): void {
  const { selection } = useEditor.getState();
  const focused = document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id');
  const nodeIds = focused && !selection.includes(focused) ? [focused] : selection;
  if (nodeIds.length > 0) void useBreakpoints.getState().toggle(nodeIds);
}
