import path from 'node:path';
import { StudioError, type ProjectSnapshot } from '../../shared/api';
import type { Handlers } from '../../shared/api/define';
import type { projectMethods } from '../../shared/api/project';
import type { EventBus } from '../events';
import { Project } from './project';
import { RecentProjects } from './recent';
import { copyTemplate } from './template';
import { watchProject, type ProjectWatcher } from './watcher';

export interface ProjectSessionOptions {
  /** Where changes made on disk by other programs are reported (`projectFilesChanged`). */
  events?: EventBus;
  /** The sample project "new project" copies; without it, `newProject` is unavailable. */
  templateFolder?: string | null;
  /** The studio's settings folder, where the recent projects are kept; absent: none kept. */
  configDir?: string | null;
}

const RECENT_PROJECTS_FILE = 'recent-projects.json';

/** Holds the open project; every domain that needs project files reads them through it. */
export class ProjectSession {
  private current: Project | null = null;
  private watcher: ProjectWatcher | null = null;
  readonly recent: RecentProjects;

  constructor(
    private readonly defaultFolder: string | null,
    private readonly options: ProjectSessionOptions = {},
  ) {
    this.recent = new RecentProjects(options.configDir ? path.join(options.configDir, RECENT_PROJECTS_FILE) : null);
  }

  async open(folder?: string): Promise<Project> {
    const target = folder ?? this.defaultFolder;
    if (!target) throw new StudioError('bad_request', 'no project folder given and no default project configured');
    const project = await Project.open(target);
    this.current = project;
    this.watch(project);
    await this.recent.remember(project.root, project.name).catch(() => undefined);
    return project;
  }

  async create(folder: string): Promise<Project> {
    const template = this.options.templateFolder;
    if (!template) throw new StudioError('unavailable', 'no project template is configured in this studio');
    return this.open(await copyTemplate(template, folder));
  }

  /** The open project; opens the default one on first use. */
  async require(): Promise<Project> {
    return this.current ?? this.open();
  }

  get project(): Project | null {
    return this.current;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private watch(project: Project): void {
    this.close();
    const events = this.options.events;
    if (!events) return;
    this.watcher = watchProject(project.root, (paths) => events.emit('projectFilesChanged', { root: project.root, paths }));
  }
}

export function createProjectHandlers(session: ProjectSession): Handlers<typeof projectMethods> {
  const project = () => session.require();
  return {
    async openProject({ path: folder }): Promise<ProjectSnapshot> {
      return (await session.open(folder)).snapshot();
    },
    async getProject() {
      return session.project ? session.project.snapshot() : null;
    },
    async newProject({ path: folder }) {
      return (await session.create(folder)).snapshot();
    },
    async recentProjects() {
      return session.recent.list();
    },
    async readFlow({ path: flow }) {
      return (await project()).readFlow(flow);
    },
    async saveFlow({ path: flow, text }) {
      return (await project()).saveFlow(flow, text);
    },
    async createFlow({ path: flow, id, type, title }) {
      return (await project()).createFlow(flow, title === undefined ? { id, type } : { id, type, title });
    },
    async renameFlow({ from, to }) {
      return (await project()).renameFlow(from, to);
    },
    async duplicateFlow({ from, to }) {
      return (await project()).duplicateFlow(from, to);
    },
    async deleteFlow({ path: flow }) {
      return (await project()).deleteFlow(flow);
    },
    async validateProject() {
      return (await project()).validate();
    },
    async readLayout({ path: flow }) {
      return (await project()).readLayout(flow);
    },
    async saveLayout({ path: flow, layout }) {
      return (await project()).saveLayout(flow, layout);
    },
  };
}
