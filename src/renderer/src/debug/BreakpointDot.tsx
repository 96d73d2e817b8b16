import type { MouseEvent } from 'react';
import { breakpointTerms, useBreakpoint, useBreakpoints } from './breakpoint-store';

/**
 * The breakpoint dot in a node card's title: filled when the node has a breakpoint, a faint ring
 * on a hovered or selected card otherwise. A click toggles it; the keyboard has F9.
 */
export function BreakpointDot({ nodeId }: { nodeId: string }) {
  const breakpoint = useBreakpoint(nodeId);
  const toggle = useBreakpoints((state) => state.toggle);
  const conditional = breakpoint?.condition !== undefined || breakpoint?.hitCount !== undefined;
  const off = breakpoint?.enabled === false;
  const onClick = (event: MouseEvent) => {
    // The click is the dot's: it neither selects nor drags the node.
    event.stopPropagation();
    void toggle([nodeId]);
  };
  const terms = breakpoint ? breakpointTerms(breakpoint) : '';
  const title = breakpoint ? `Breakpoint${off ? ', switched off' : ''}${terms ? ` (${terms})` : ''}: click to remove (F9)` : 'Click to stop here before the node runs (F9)';
  return (
    <button
      type="button"
      tabIndex={-1}
      className={`breakpoint-dot nodrag${breakpoint ? ' set' : ''}${conditional ? ' conditional' : ''}${off ? ' off' : ''}`}
      data-testid="breakpoint-dot"
      aria-label={`Breakpoint on ${nodeId}`}
      aria-pressed={breakpoint !== undefined}
      title={title}
      onClick={onClick}
      onMouseDown={(event) => event.stopPropagation()}
    />
  );
}
