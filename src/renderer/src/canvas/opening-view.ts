/**
 * Where the canvas looks when a flow opens: the whole flow when it fits at a zoom where node titles
 * can be read, else the start node at that zoom (the minimap shows the rest).
 */
import { TITLE_FONT_PX } from './node-size';

/** Node titles are at least this tall on screen when a flow opens. */
export const READABLE_TITLE_PX = 11;
/** The smallest zoom that keeps node titles readable. */
export const READABLE_ZOOM = Math.ceil((READABLE_TITLE_PX / TITLE_FONT_PX) * 100) / 100;
const MAX_OPENING_ZOOM = 1.25;
/** Space kept free around the flow (or before the start node), in screen pixels. */
const MARGIN = 32;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export function boundsOf(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The opening viewport for nodes drawn in a canvas of `size` screen pixels. */
export function openingViewport(boxes: Box[], start: Box | null, size: { width: number; height: number }): Viewport | null {
  const bounds = boundsOf(boxes);
  if (!bounds || size.width <= 0 || size.height <= 0) return null;
  const fit = Math.min((size.width - 2 * MARGIN) / bounds.width, (size.height - 2 * MARGIN) / bounds.height, MAX_OPENING_ZOOM);
  if (fit >= READABLE_ZOOM) {
    return { zoom: fit, x: (size.width - bounds.width * fit) / 2 - bounds.x * fit, y: (size.height - bounds.height * fit) / 2 - bounds.y * fit };
  }
  // Too large to read whole: begin where a reader begins, the start node near the top-left corner.
  const anchor = start ?? bounds;
  const zoom = READABLE_ZOOM;
  return { zoom, x: MARGIN - Math.max(bounds.x, anchor.x - MARGIN) * zoom, y: MARGIN - Math.max(bounds.y, anchor.y - MARGIN) * zoom };
}
