/**
 * The layout sidecar `<flow>.ygtc.layout.json`: where the canvas draws each node. Kept beside the
 * flow, never inside it, so moving a node makes no change to the `.ygtc`.
 */
import { z } from 'zod';

export const LAYOUT_SUFFIX = '.layout.json';
export const LAYOUT_VERSION = 1;
/** Layout files are small; anything bigger is not ours. */
const MAX_LAYOUT_TEXT_LENGTH = 4 * 1024 * 1024;

const position = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();

export const layoutSchema = z
  .object({
    version: z.literal(LAYOUT_VERSION),
    nodes: z.record(z.string().min(1), position),
    viewport: z.object({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().positive().finite() }).strict().optional(),
    /** How auto-layout orders the flow: left to right (the default) or top to bottom. */
    direction: z.enum(['RIGHT', 'DOWN']).optional(),
  })
  .strict();

export type NodePosition = z.infer<typeof position>;
export type FlowLayout = z.infer<typeof layoutSchema>;
export type LayoutDirection = NonNullable<FlowLayout['direction']>;

export function layoutDirection(layout: FlowLayout): LayoutDirection {
  return layout.direction ?? 'RIGHT';
}

export type LayoutParse = { ok: true; layout: FlowLayout } | { ok: false; message: string };

export function layoutPathFor(flowPath: string): string {
  return `${flowPath}${LAYOUT_SUFFIX}`;
}

export function emptyLayout(): FlowLayout {
  return { version: LAYOUT_VERSION, nodes: {} };
}

export function parseLayout(text: string): LayoutParse {
  if (text.length > MAX_LAYOUT_TEXT_LENGTH) return { ok: false, message: `layout file is larger than ${MAX_LAYOUT_TEXT_LENGTH} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `layout file is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = layoutSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, message: `layout file is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}` };
  }
  return { ok: true, layout: result.data };
}

/** Stable text: nodes in the order given, two-space JSON, final newline. */
export function serializeLayout(layout: FlowLayout): string {
  return `${JSON.stringify(layout, null, 2)}\n`;
}

export function setNodePosition(layout: FlowLayout, nodeId: string, at: NodePosition): FlowLayout {
  return { ...layout, nodes: { ...layout.nodes, [nodeId]: { x: at.x, y: at.y } } };
}

export function renameInLayout(layout: FlowLayout, from: string, to: string): FlowLayout {
  if (!Object.prototype.hasOwnProperty.call(layout.nodes, from)) return layout;
  const nodes = Object.fromEntries(Object.entries(layout.nodes).map(([id, p]) => [id === from ? to : id, p]));
  return { ...layout, nodes };
}

export function deleteFromLayout(layout: FlowLayout, nodeId: string): FlowLayout {
  if (!Object.prototype.hasOwnProperty.call(layout.nodes, nodeId)) return layout;
  return { ...layout, nodes: Object.fromEntries(Object.entries(layout.nodes).filter(([id]) => id !== nodeId)) };
}

/** Drops positions of nodes the flow no longer has (after an edit outside the studio). */
export function pruneLayout(layout: FlowLayout, nodeIds: Iterable<string>): FlowLayout {
  const keep = new Set(nodeIds);
  const nodes = Object.fromEntries(Object.entries(layout.nodes).filter(([id]) => keep.has(id)));
  return Object.keys(nodes).length === Object.keys(layout.nodes).length ? layout : { ...layout, nodes };
}
