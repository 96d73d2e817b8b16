import { z } from 'zod';
import { method } from './define';

export interface FlowEntry {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  /** The flow's `id`, when the file parses far enough to have one. */
  id: string | null;
  title: string | null;
}

export interface ProjectSnapshot {
  root: string;
  name: string;
  /** `pack_id` from `pack.yaml`, or null for a plain folder of flows. */
  packId: string | null;
  flows: FlowEntry[];
}

export interface FlowFile {
  path: string;
  text: string;
}

const relativePath = z.string().min(1).max(4096);

export const projectMethods = {
  /** Open a project folder; without a path, the folder the back end was started on. */
  openProject: method<ProjectSnapshot>()(z.object({ path: z.string().min(1).max(4096).optional() }).strict()),
  getProject: method<ProjectSnapshot | null>()(z.object({}).strict()),
  readFlow: method<FlowFile>()(z.object({ path: relativePath }).strict()),
  saveFlow: method<FlowFile>()(z.object({ path: relativePath, text: z.string().max(16 * 1024 * 1024) }).strict()),
};
