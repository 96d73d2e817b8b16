/**
 * The open flows and everything that changes them. The flow text is the source of truth: canvas,
 * inspector and YAML view all change it through `edit` / `typeText`, and re-derive from it.
 */
import { create } from 'zustand';
import type { EditResult, OtherFlow } from '../../../shared/flow';
import type { Operation } from '../canvas/canvas-edits';
import type { FlowLayout, LayoutDirection, NodePosition } from '../../../shared/flow/layout';
import { studio } from '../api/studio';
import { clearDraft, readDraft, writeDraft } from '../document/drafts';
import {
  change,
  current,
  isDirty,
  layoutDirty,
  markSaved,
  openDocument,
  redoDocument,
  textDirty,
  undoDocument,
  withProjectFlows,
  type FlowDocument,
} from '../document/flow-document';
import { messageOf } from './errors';

export type EditorView = 'canvas' | 'yaml' | 'split';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** How an edit of the text is described: the operation, plus what else changes with it. */
export interface EditOptions {
  /** Merges with the previous step of the same group (typing). */
  group?: string;
  /** Layout change that goes with the text change (a renamed or added node keeps its place). */
  layout?: (layout: FlowLayout) => FlowLayout;
  /** The nodes selected after the edit. */
  select?: string[];
}

interface EditorState {
  root: string | null;
  docs: Record<string, FlowDocument>;
  tabs: string[];
  active: string | null;
  selection: string[];
  view: EditorView;
  notice: Notice | null;
  /** A flow whose text does not parse, waiting for the user to confirm that it be saved as it is. */
  confirmingSave: string | null;
  /** The project's flow files and their ids, which the lints of each open flow check it against. */
  projectFlows: readonly OtherFlow[];

  setRoot(root: string | null): void;
  setProjectFlows(flows: readonly OtherFlow[]): void;
  open(path: string): Promise<void>;
  closeTab(path: string): void;
  activate(path: string): void;
  forget(path: string): void;
  moved(from: string, to: string): void;
  setView(view: EditorView): void;
  select(ids: string[]): void;
  notify(notice: Notice | null): void;

  /** Runs a lossless edit operation on the active flow's text; a refusal becomes a notice. */
  edit(operation: Operation, options?: EditOptions): EditResult;
  /** The YAML view's text, as typed. */
  typeText(text: string): void;
  setPositions(positions: Record<string, NodePosition>): void;
  setAutoPositions(path: string, positions: Record<string, NodePosition>): void;
  /** Lays the active flow out again in a direction, which its layout sidecar then remembers. */
  arrange(direction: LayoutDirection, positions: Record<string, NodePosition>): void;
  undo(): void;
  redo(): void;

  /** Saves a flow; text that does not parse is saved only once the user confirms it (`anyway`). */
  save(path?: string, options?: { anyway?: boolean }): Promise<void>;
  cancelSave(): void;
  filesChanged(paths: string[]): Promise<void>;
  reloadFromDisk(path: string): void;
  keepMine(path: string): void;
  recoverDraft(path: string): void;
  discardDraft(path: string): void;
}

const AUTOSAVE_MS = 800;
const autosaveTimers = new Map<string, ReturnType<typeof setTimeout>>();

export const useEditor = create<EditorState>((set, get) => {
  /** Replaces one document and keeps the crash copy and the autosave timer in step with it. */
  function update(path: string, next: (doc: FlowDocument) => FlowDocument): void {
    const doc = get().docs[path];
    if (!doc) return;
    const updated = next(doc);
    if (updated === doc) return;
    set((state) => ({ docs: { ...state.docs, [path]: updated } }));
    afterChange(updated);
  }

  function afterChange(doc: FlowDocument): void {
    const root = get().root;
    if (root && textDirty(doc)) writeDraft(root, doc.path, current(doc).text);
    if (isDirty(doc)) scheduleAutosave(doc.path);
  }

  function scheduleAutosave(path: string): void {
    clearTimeout(autosaveTimers.get(path));
    autosaveTimers.set(
      path,
      setTimeout(() => {
        autosaveTimers.delete(path);
        const doc = get().docs[path];
        // Text that does not parse waits in the crash copy: the file on disk stays loadable.
        if (doc && doc.parses && doc.diskText === null) void get().save(path);
      }, AUTOSAVE_MS),
    );
  }

  function activeDoc(): FlowDocument | null {
    const { active, docs } = get();
    return active ? (docs[active] ?? null) : null;
  }

  return {
    root: null,
    docs: {},
    tabs: [],
    active: null,
    selection: [],
    view: 'canvas',
    notice: null,
    confirmingSave: null,
    projectFlows: [],

    setRoot(root) {
      for (const timer of autosaveTimers.values()) clearTimeout(timer);
      autosaveTimers.clear();
      set({ root, docs: {}, tabs: [], active: null, selection: [], projectFlows: [] });
    },

    setProjectFlows(flows) {
      const projectFlows = flows.map(({ path, id }) => ({ path, id }));
      set((state) => ({
        projectFlows,
        docs: Object.fromEntries(Object.entries(state.docs).map(([path, doc]) => [path, withProjectFlows(doc, projectFlows)])),
      }));
    },

    async open(path) {
      if (get().docs[path]) return get().activate(path);
      try {
        const [file, layout] = await Promise.all([studio.readFlow({ path }), studio.readLayout({ path })]);
        const root = get().root;
        const doc = openDocument(file.path, file.text, layout.layout, root ? readDraft(root, file.path) : null, get().projectFlows);
        set((state) => ({
          docs: { ...state.docs, [file.path]: doc },
          tabs: state.tabs.includes(file.path) ? state.tabs : [...state.tabs, file.path],
          active: file.path,
          selection: [],
          notice: layout.problem ? { kind: 'info', text: `${layout.path}: ${layout.problem}; the canvas lays the flow out again` } : state.notice,
        }));
      } catch (error) {
        set({ notice: { kind: 'error', text: messageOf(error) } });
      }
    },

    closeTab(path) {
      set((state) => {
        const tabs = state.tabs.filter((tab) => tab !== path);
        const index = state.tabs.indexOf(path);
        const active = state.active === path ? (tabs[Math.min(index, tabs.length - 1)] ?? null) : state.active;
        const docs = { ...state.docs };
        const doc = docs[path];
        // A tab with unsaved edits stays loaded in the store so that autosave can finish it.
        if (doc && !isDirty(doc)) delete docs[path];
        return { tabs, active, docs, selection: active === state.active ? state.selection : [] };
      });
    },

    activate(path) {
      if (get().active !== path) set({ active: path, selection: [] });
    },

    forget(path) {
      clearTimeout(autosaveTimers.get(path));
      autosaveTimers.delete(path);
      const root = get().root;
      if (root) clearDraft(root, path);
      set((state) => {
        const docs = { ...state.docs };
        delete docs[path];
        const tabs = state.tabs.filter((tab) => tab !== path);
        return { docs, tabs, active: state.active === path ? (tabs[0] ?? null) : state.active };
      });
    },

    moved(from, to) {
      set((state) => {
        const doc = state.docs[from];
        if (!doc) return {};
        const docs = { ...state.docs, [to]: { ...doc, path: to } };
        delete docs[from];
        return { docs, tabs: state.tabs.map((tab) => (tab === from ? to : tab)), active: state.active === from ? to : state.active };
      });
    },

    setView(view) {
      set({ view });
    },

    select(ids) {
      const selection = get().selection;
      if (ids.length !== selection.length || ids.some((id, i) => id !== selection[i])) set({ selection: ids });
    },

    notify(notice) {
      set({ notice });
    },

    edit(operation, options = {}) {
      const doc = activeDoc();
      if (!doc) return { ok: false, code: 'DOCUMENT_UNUSABLE', message: 'no flow is open' };
      const snapshot = current(doc);
      // The views' parse of this very text spares the operation parsing it again.
      const result = operation(doc.model?.text === snapshot.text ? doc.model.parsed : snapshot.text);
      if (!result.ok) {
        set({ notice: { kind: 'error', text: result.message } });
        return result;
      }
      update(doc.path, (d) =>
        change(d, { text: result.text, layout: options.layout ? options.layout(snapshot.layout) : snapshot.layout }, options.group ?? null),
      );
      set({ notice: null, ...(options.select ? { selection: options.select } : {}) });
      return result;
    },

    typeText(text) {
      const doc = activeDoc();
      if (doc) update(doc.path, (d) => change(d, { text }, 'typing'));
    },

    setPositions(positions) {
      const doc = activeDoc();
      if (!doc) return;
      update(doc.path, (d) => {
        const layout = current(d).layout;
        // A first move writes every node's place, so the others do not jump on the next auto-layout.
        const nodes = Object.keys(layout.nodes).length === 0 ? { ...d.autoPositions, ...positions } : { ...layout.nodes, ...positions };
        return change(d, { layout: { ...layout, nodes } });
      });
    },

    arrange(direction, positions) {
      const doc = activeDoc();
      if (doc) update(doc.path, (d) => change(d, { layout: { ...current(d).layout, direction, nodes: positions } }));
    },

    setAutoPositions(path, positions) {
      const doc = get().docs[path];
      if (doc) set((state) => ({ docs: { ...state.docs, [path]: { ...doc, autoPositions: positions } } }));
    },

    undo() {
      const doc = activeDoc();
      if (doc) update(doc.path, undoDocument);
    },

    redo() {
      const doc = activeDoc();
      if (doc) update(doc.path, redoDocument);
    },

    async save(path, options = {}) {
      const target = path ?? get().active;
      const doc = target ? get().docs[target] : undefined;
      if (!doc || !isDirty(doc)) return;
      if (!doc.parses && textDirty(doc) && !options.anyway) {
        set({ confirmingSave: doc.path });
        return;
      }
      if (get().confirmingSave === doc.path) set({ confirmingSave: null });
      const snapshot = current(doc);
      try {
        if (textDirty(doc)) await studio.saveFlow({ path: doc.path, text: snapshot.text });
        const layout = layoutDirty(doc) ? snapshot.layout : null;
        if (layout) await studio.saveLayout({ path: doc.path, layout });
        const saved = get().docs[doc.path];
        if (!saved) return;
        set((state) => ({ docs: { ...state.docs, [doc.path]: markSaved(saved, snapshot.text, layout) } }));
        const root = get().root;
        const after = get().docs[doc.path];
        if (root && after && !textDirty(after)) clearDraft(root, doc.path);
      } catch (error) {
        update(doc.path, (d) => ({ ...d, saveError: messageOf(error) }));
        set({ notice: { kind: 'error', text: `could not save ${doc.path}: ${messageOf(error)}` } });
      }
    },

    cancelSave() {
      set({ confirmingSave: null });
    },

    async filesChanged(paths) {
      for (const path of paths) {
        const doc = get().docs[path];
        if (!doc) continue;
        const file = await studio.readFlow({ path }).catch(() => null);
        const latest = get().docs[path];
        if (!file || !latest || file.text === latest.savedText) continue;
        if (file.text === current(latest).text) {
          update(path, (d) => ({ ...d, savedText: file.text }));
          continue;
        }
        if (textDirty(latest)) {
          update(path, (d) => ({ ...d, diskText: file.text }));
        } else {
          update(path, (d) => ({ ...change(d, { text: file.text }), savedText: file.text, diskText: null }));
        }
      }
    },

    reloadFromDisk(path) {
      update(path, (d) => (d.diskText === null ? d : { ...change(d, { text: d.diskText }), savedText: d.diskText, diskText: null }));
    },

    keepMine(path) {
      // The disk text becomes the base, so the next save writes ours over it deliberately.
      update(path, (d) => (d.diskText === null ? d : { ...d, savedText: d.diskText, diskText: null }));
    },

    recoverDraft(path) {
      update(path, (d) => (d.draft === null ? d : { ...change(d, { text: d.draft }), draft: null }));
    },

    discardDraft(path) {
      const root = get().root;
      if (root) clearDraft(root, path);
      update(path, (d) => ({ ...d, draft: null }));
    },
  };
});

/** The active document, for components that show it. */
export function useActiveDocument(): FlowDocument | null {
  return useEditor((state) => (state.active ? (state.docs[state.active] ?? null) : null));
}
