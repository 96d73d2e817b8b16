/**
 * The project's problems: every flow checked by the back end as `greentic-studio validate` checks it,
 * with the open flows' unsaved text checked here by the same shared function.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import { checkFlowFile, flowIdsOf, setContextFor, type FlowFileCheck, type OtherFlow } from '../../../shared/flow';
import type { ProjectProblems } from '../../../shared/api';
import { studio } from '../api/studio';
import { current, textDirty, type FlowDocument } from '../document/flow-document';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';

interface ProblemsState {
  /** The last check of the files on disk; null until the first arrives. */
  onDisk: ProjectProblems | null;
  error: string | null;
  refresh(): Promise<void>;
}

let latestRequest = 0;

export const useProblems = create<ProblemsState>((set) => ({
  onDisk: null,
  error: null,
  async refresh() {
    const request = ++latestRequest;
    try {
      const onDisk = await studio.validateProject({});
      if (request === latestRequest) set({ onDisk, error: null });
    } catch (error) {
      if (request === latestRequest) set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
}));

// The project opened, or its files changed on disk (our saves included): check again.
useProject.subscribe((state, previous) => {
  if (state.project !== previous.project && state.project) void useProblems.getState().refresh();
});
studio.on('projectFilesChanged', () => void useProblems.getState().refresh());

const checkedTexts = new Map<string, { text: string; flows: string; check: FlowFileCheck }>();

/** An open flow's unsaved text, checked against the project's flows and with the flow's resolve sidecar. */
function checkUnsaved(doc: FlowDocument, onDisk: ProjectProblems, flows: readonly OtherFlow[]): FlowFileCheck {
  const text = current(doc).text;
  const key = JSON.stringify(flows);
  const cached = checkedTexts.get(doc.path);
  if (cached && cached.text === text && cached.flows === key) return cached.check;
  const check = checkFlowFile(
    { path: doc.path, text, resolveSidecar: onDisk.resolveSidecars[doc.path] ?? null },
    { ...setContextFor(doc.path, flows), components: onDisk.components },
  );
  checkedTexts.set(doc.path, { text, flows: key, check });
  return check;
}

/** Every flow's check, the open flows' as they are now in the editor. */
export function useProjectProblems(): FlowFileCheck[] | null {
  const onDisk = useProblems((state) => state.onDisk);
  const docs = useEditor((state) => state.docs);
  return useMemo(() => {
    if (!onDisk) return null;
    const unsaved = Object.values(docs).filter(textDirty);
    if (unsaved.length === 0) return onDisk.files;
    // A flow's unsaved id counts for the others' calls and ids, as it will once saved.
    const unsavedPaths = new Set(unsaved.map((doc) => doc.path));
    const flows = [
      ...onDisk.files.filter((file) => !unsavedPaths.has(file.path)).map((file) => ({ path: file.path, id: file.flowId })),
      ...flowIdsOf(unsaved.map((doc) => ({ path: doc.path, text: current(doc).text, resolveSidecar: null }))),
    ];
    const byPath = new Map(onDisk.files.map((file) => [file.path, file]));
    for (const doc of unsaved) byPath.set(doc.path, checkUnsaved(doc, onDisk, flows));
    return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }, [onDisk, docs]);
}
