import { StudioError, type ProjectSnapshot } from '../../shared/api';
import type { Handlers } from '../../shared/api/define';
import type { projectMethods } from '../../shared/api/project';
import { Project } from './project';

/** Holds the open project; every domain that needs project files reads them through it. */
export class ProjectSession {
  private current: Project | null = null;

  constructor(private readonly defaultFolder: string | null) {}

  async open(folder?: string): Promise<Project> {
    const target = folder ?? this.defaultFolder;
    if (!target) throw new StudioError('bad_request', 'no project folder given and no default project configured');
    this.current = await Project.open(target);
    return this.current;
  }

  /** The open project; opens the default one on first use. */
  async require(): Promise<Project> {
    return this.current ?? this.open();
  }

  get project(): Project | null {
    return this.current;
  }
}

export function createProjectHandlers(session: ProjectSession): Handlers<typeof projectMethods> {
  return {
    async openProject({ path }): Promise<ProjectSnapshot> {
      return (await session.open(path)).snapshot();
    },
    async getProject() {
      return session.project ? session.project.snapshot() : null;
    },
    async readFlow({ path }) {
      return (await session.require()).readFlow(path);
    },
    async saveFlow({ path, text }) {
      return (await session.require()).saveFlow(path, text);
    },
  };
}
