import { z } from 'zod';
import type { FlowFileCheck } from '../flow/check-files';
import type { KnownComponent } from '../flow/component-check';
import { layoutSchema, type FlowLayout } from '../flow/layout';
import { method } from './define';

export interface FlowEntry {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  /** The flow's `id`, when the file parses far enough to have one. */
  id: string | null;
  title: string | null;
}

/** One operation a component offers, with the JSON Schema of its input when the manifest has one. */
export interface ComponentOperation {
  name: string;
  inputSchema: unknown;
}

/** A component the palette can offer: from `pack.yaml` or a `component.manifest.json` under `components/`. */
export interface ComponentEntry {
  id: string;
  name: string | null;
  version: string | null;
  /** The manifest file it was read from, relative to the project; null when only `pack.yaml` names it. */
  manifestPath: string | null;
  operations: ComponentOperation[];
  /** The manifest's `config_schema`, when it gives one (the inspector draws the step's config from it). */
  configSchema?: unknown;
  /** The manifest's `dev_flows`, when it has them (the inspector asks their questions about a step). */
  devFlows?: unknown;
  /** The `oci://` reference a registry component is pinned by in the project's lock. */
  lockedRef?: string;
}

export interface ProjectSnapshot {
  root: string;
  name: string;
  /** `pack_id` from `pack.yaml`, or null for a plain folder of flows. */
  packId: string | null;
  flows: FlowEntry[];
  components: ComponentEntry[];
  /** Files under `assets/`, relative to the project. */
  assets: string[];
}

export interface FlowFile {
  path: string;
  text: string;
}

/** A flow's layout sidecar as the canvas uses it; `problem` explains a sidecar that could not be read. */
export interface FlowLayoutFile {
  path: string;
  layout: FlowLayout | null;
  problem: string | null;
}

export interface RecentProject {
  root: string;
  name: string;
  /** ISO 8601 time of the last opening. */
  openedAt: string;
}

/** Files of the open project that changed on disk (written by another program, or by us). */
export interface ProjectFilesChangedEvent {
  root: string;
  /** Project-relative paths, `/`-separated. */
  paths: string[];
}

/**
 * Every flow of the project checked as `greentic-studio validate <project>` checks it, from the
 * files on disk; with the resolve sidecars it read, so the editor can check unsaved text the same way.
 */
/** One finding of `pack doctor`, shaped as greentic-pack's diagnostics (severity `error` | `warn`). */
export interface PackDiagnostic {
  severity: 'error' | 'warn';
  code: string;
  message: string;
  /** The file or manifest path the finding is about (`flows/main.ygtc`, `flows.main.nodes.x.component`). */
  path?: string;
  hint?: string;
}

export interface ProjectProblems {
  files: FlowFileCheck[];
  /** The pack checks of `greentic-studio pack doctor` on the project folder; empty for a plain folder of flows. */
  pack: PackDiagnostic[];
  /** The components the check knew (built in, in the project, locked), for checking unsaved text alike. */
  components: KnownComponent[];
  /** Project path of a flow -> the text of its resolve sidecar, for flows that have one. */
  resolveSidecars: Record<string, string>;
}

const relativePath = z.string().min(1).max(4096);
const folderPath = z.string().min(1).max(4096);

export const projectMethods = {
  /** Open a project folder; without a path, the folder the back end was started on. */
  openProject: method<ProjectSnapshot>()(z.object({ path: folderPath.optional() }).strict()),
  getProject: method<ProjectSnapshot | null>()(z.object({}).strict()),
  /** Copy the sample project into a new (or empty) folder and open it. */
  newProject: method<ProjectSnapshot>()(z.object({ path: folderPath }).strict()),
  recentProjects: method<RecentProject[]>()(z.object({}).strict()),
  readFlow: method<FlowFile>()(z.object({ path: relativePath }).strict()),
  saveFlow: method<FlowFile>()(z.object({ path: relativePath, text: z.string().max(16 * 1024 * 1024) }).strict()),
  /** A new flow file with an id, a type and no nodes; refuses to overwrite. */
  createFlow: method<FlowFile>()(
    z.object({ path: relativePath, id: z.string().min(1).max(256), type: z.string().min(1).max(64), title: z.string().max(1024).optional() }).strict(),
  ),
  /** Moves a flow and its sidecars (layout, resolve); refuses to overwrite. */
  renameFlow: method<FlowFile>()(z.object({ from: relativePath, to: relativePath }).strict()),
  /** Copies a flow (with a new `id` taken from the file name) and its layout sidecar. */
  duplicateFlow: method<FlowFile>()(z.object({ from: relativePath, to: relativePath }).strict()),
  /** Deletes a flow and its sidecars. */
  deleteFlow: method<{ path: string }>()(z.object({ path: relativePath }).strict()),
  validateProject: method<ProjectProblems>()(z.object({}).strict()),
  readLayout: method<FlowLayoutFile>()(z.object({ path: relativePath }).strict()),
  saveLayout: method<FlowLayoutFile>()(z.object({ path: relativePath, layout: layoutSchema }).strict()),
};
