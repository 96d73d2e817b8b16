/**
 * One open flow: its undoable state (text + layout), what is on disk, and the views' model. Pure
 * functions; the editor store holds the documents and calls these.
 */
import type { Diagnostic, LintContext, OtherFlow } from '../../../shared/flow';
import { emptyLayout, pruneLayout, serializeLayout, type FlowLayout, type NodePosition } from '../../../shared/flow/layout';
import { derive, type FlowModel } from './derive';
import { record, redo, startHistory, undo, type History } from './history';

export interface Snapshot {
  text: string;
  layout: FlowLayout;
}

export interface FlowDocument {
  path: string;
  history: History<Snapshot>;
  /** The flow text as last read from or written to disk. */
  savedText: string;
  /** The layout sidecar as on disk (serialised), or null when the flow has none. */
  savedLayout: string | null;
  /** The last state of the text that parsed: what the canvas and inspector show. */
  model: FlowModel | null;
  /** Diagnostics of the current text, parsing or not (YAML markers). */
  diagnostics: Diagnostic[];
  parses: boolean;
  /** Positions computed by auto-layout for nodes the sidecar does not place. */
  autoPositions: Record<string, NodePosition>;
  /** The file's new text when another program changed it while this document had unsaved edits. */
  diskText: string | null;
  /** Unsaved text found from an earlier session that ended without saving. */
  draft: string | null;
  saveError: string | null;
  /** The project's flow files and their ids as on disk, for the lints that look across flows. */
  projectFlows: readonly OtherFlow[];
}

export function openDocument(
  path: string,
  text: string,
  layout: FlowLayout | null,
  draft: string | null,
  projectFlows: readonly OtherFlow[] = [],
): FlowDocument {
  const derived = derive(text, null, lintContext(path, projectFlows));
  const initial = layout ?? emptyLayout();
  return {
    path,
    history: startHistory({ text, layout: initial }),
    savedText: text,
    savedLayout: layout ? serialize(layout) : null,
    model: derived.model,
    diagnostics: derived.diagnostics,
    parses: derived.model !== null,
    autoPositions: {},
    diskText: null,
    draft: draft !== null && draft !== text ? draft : null,
    saveError: null,
    projectFlows,
  };
}

function lintContext(path: string, projectFlows: readonly OtherFlow[]): LintContext {
  return { otherFlows: projectFlows.filter((flow) => flow.path !== path) };
}

/** The document checked against the project's flows as they now are on disk. */
export function withProjectFlows(doc: FlowDocument, projectFlows: readonly OtherFlow[]): FlowDocument {
  const idsOf = (flows: readonly OtherFlow[]) => JSON.stringify(flows.filter((flow) => flow.path !== doc.path).map((flow) => [flow.path, flow.id]));
  if (idsOf(projectFlows) === idsOf(doc.projectFlows)) return doc;
  const derived = derive(current(doc).text, doc.model, lintContext(doc.path, projectFlows));
  return { ...doc, projectFlows, model: derived.model ?? doc.model, diagnostics: derived.diagnostics, parses: derived.model !== null };
}

export function current(doc: FlowDocument): Snapshot {
  return doc.history.present;
}

export function textDirty(doc: FlowDocument): boolean {
  return doc.history.present.text !== doc.savedText;
}

const serialized = new WeakMap<FlowLayout, string>();

/** A layout's file text, written once per layout state: the dirty markers ask for it on every store change. */
function serialize(layout: FlowLayout): string {
  let text = serialized.get(layout);
  if (text === undefined) {
    text = serializeLayout(layout);
    serialized.set(layout, text);
  }
  return text;
}

export function layoutDirty(doc: FlowDocument): boolean {
  const layout = doc.history.present.layout;
  if (doc.savedLayout === null) return Object.keys(layout.nodes).length > 0;
  return serialize(layout) !== doc.savedLayout;
}

export function isDirty(doc: FlowDocument): boolean {
  return textDirty(doc) || layoutDirty(doc);
}

/** Re-derives the views from a new present state (after an edit, undo or redo). */
function withPresent(doc: FlowDocument, history: History<Snapshot>): FlowDocument {
  const { text } = history.present;
  if (text === doc.history.present.text) return { ...doc, history };
  const derived = derive(text, doc.model, lintContext(doc.path, doc.projectFlows));
  const model = derived.model ?? doc.model;
  const layout = derived.model ? pruneLayout(history.present.layout, derived.model.ir.nodes.map((n) => n.id)) : history.present.layout;
  const present = layout === history.present.layout ? history.present : { ...history.present, layout };
  return { ...doc, history: { ...history, present }, model, diagnostics: derived.diagnostics, parses: derived.model !== null };
}

export function change(doc: FlowDocument, next: Partial<Snapshot>, group: string | null = null): FlowDocument {
  const present = doc.history.present;
  const snapshot: Snapshot = { text: next.text ?? present.text, layout: next.layout ?? present.layout };
  if (snapshot.text === present.text && snapshot.layout === present.layout) return doc;
  return withPresent(doc, record(doc.history, snapshot, group));
}

export function undoDocument(doc: FlowDocument): FlowDocument {
  const history = undo(doc.history);
  return history ? withPresent(doc, history) : doc;
}

export function redoDocument(doc: FlowDocument): FlowDocument {
  const history = redo(doc.history);
  return history ? withPresent(doc, history) : doc;
}

export function markSaved(doc: FlowDocument, text: string, layout: FlowLayout | null): FlowDocument {
  return { ...doc, savedText: text, savedLayout: layout ? serialize(layout) : doc.savedLayout, saveError: null, draft: null };
}

/** Where each node is drawn: its sidecar position, else its auto-layout position. */
export function positionOf(doc: FlowDocument, id: string): NodePosition | undefined {
  return doc.history.present.layout.nodes[id] ?? doc.autoPositions[id];
}
