import type { StudioHandlers } from '../shared/api';
import { createChatHandlers } from './chat/handlers';
import { EventBus } from './events';
import { createProjectHandlers, ProjectSession } from './project/handlers';

export interface StudioServiceOptions {
  /** The folder opened when the UI asks for the default project (the sample project, or `serve <folder>`). */
  projectFolder: string | null;
}

/**
 * The back end of the studio: composes every domain's handlers into the one implementation of the
 * contract in src/shared/api.ts. Both transports (Electron IPC and WebSocket) call into this.
 */
export class StudioService {
  readonly events = new EventBus();
  readonly projects: ProjectSession;
  readonly handlers: StudioHandlers;

  constructor(options: StudioServiceOptions) {
    this.projects = new ProjectSession(options.projectFolder);
    this.handlers = {
      ...createProjectHandlers(this.projects),
      ...createChatHandlers({ projects: this.projects, events: this.events }),
    };
  }
}
