/** The open project: its flows, components and assets, recent projects, and flow file operations. */
import { create } from 'zustand';
import type { ComponentSummary, ProjectSnapshot, RecentProject } from '../../../shared/api';
import { studio } from '../api/studio';
import { useEditor } from './editor-store';
import { messageOf } from './errors';

interface ProjectState {
  project: ProjectSnapshot | null;
  recent: RecentProject[];
  error: string | null;
  /** What the project's WASM components say of themselves (`describe()`); empty until known. */
  described: ComponentSummary[];
  openDefault(): Promise<void>;
  openFolder(path: string): Promise<void>;
  newProject(path: string): Promise<void>;
  refresh(): Promise<void>;
  createFlow(name: string): Promise<void>;
  renameFlow(from: string, to: string): Promise<void>;
  duplicateFlow(from: string, to: string): Promise<void>;
  deleteFlow(path: string): Promise<void>;
  describeComponents(): Promise<void>;
}

/** Files whose change can add, remove or redescribe a component. */
export function touchesComponents(paths: readonly string[]): boolean {
  return paths.some((path) => path === 'pack.yaml' || path.startsWith('components/') || path === 'components');
}

/** `orders` -> `flows/orders.ygtc` in a pack project, `orders.ygtc` elsewhere; a full path stays as given. */
export function flowPathFor(project: ProjectSnapshot | null, name: string): string {
  const trimmed = name.trim();
  const file = trimmed.endsWith('.ygtc') ? trimmed : `${trimmed}.ygtc`;
  if (file.includes('/')) return file;
  return project?.packId ? `flows/${file}` : file;
}

export const useProject = create<ProjectState>((set, get) => {
  async function show(project: ProjectSnapshot): Promise<void> {
    useEditor.getState().setRoot(project.root);
    useEditor.getState().setProjectFlows(project.flows);
    set({ project, error: null, described: [] });
    void studio.recentProjects({}).then((recent) => set({ recent }), () => undefined);
    void get().describeComponents();
    const first = project.flows[0];
    if (first) await useEditor.getState().open(first.path);
  }

  async function attempt(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      set({ error: messageOf(error) });
      useEditor.getState().notify({ kind: 'error', text: messageOf(error) });
    }
  }

  return {
    project: null,
    recent: [],
    error: null,
    described: [],

    openDefault: () => attempt(async () => show((await studio.getProject({})) ?? (await studio.openProject({})))),
    openFolder: (path) => attempt(async () => show(await studio.openProject({ path }))),
    newProject: (path) => attempt(async () => show(await studio.newProject({ path }))),

    refresh: () =>
      attempt(async () => {
        const project = await studio.getProject({});
        if (!project) return;
        useEditor.getState().setProjectFlows(project.flows);
        set({ project });
      }),

    createFlow: (name) =>
      attempt(async () => {
        const path = flowPathFor(get().project, name);
        const id = path.replace(/^.*\//, '').replace(/\.ygtc$/, '');
        const file = await studio.createFlow({ path, id, type: 'messaging' });
        await get().refresh();
        await useEditor.getState().open(file.path);
      }),

    renameFlow: (from, to) =>
      attempt(async () => {
        const editor = useEditor.getState();
        await editor.save(from);
        const file = await studio.renameFlow({ from, to: flowPathFor(get().project, to) });
        editor.moved(from, file.path);
        await get().refresh();
      }),

    duplicateFlow: (from, to) =>
      attempt(async () => {
        await useEditor.getState().save(from);
        const file = await studio.duplicateFlow({ from, to: flowPathFor(get().project, to) });
        await get().refresh();
        await useEditor.getState().open(file.path);
      }),

    deleteFlow: (path) =>
      attempt(async () => {
        await studio.deleteFlow({ path });
        useEditor.getState().forget(path);
        await get().refresh();
      }),

    async describeComponents() {
      const root = get().project?.root;
      // Loading every component can take a while; the palette shows the manifests' view meanwhile.
      const described = await studio.listComponents({}).catch(() => null);
      if (described && get().project?.root === root) set({ described });
    },
  };
});

// Another program changed files of the project: refresh the tree and the open flows.
studio.on('projectFilesChanged', (event) => {
  if (event.root !== useProject.getState().project?.root) return;
  void useProject.getState().refresh();
  if (touchesComponents(event.paths)) void useProject.getState().describeComponents();
  void useEditor.getState().filesChanged(event.paths.filter((path) => path.endsWith('.ygtc')));
});
