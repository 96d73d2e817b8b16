/**
 * THE contract between the UI and the back end. Every call the UI may make and every event the back
 * end pushes is declared here; `StudioService` implements it once, and two transports carry it
 * (Electron IPC and WebSocket). Domain tables live in `./api/*`; this file only composes them.
 */
import { bundleMethods } from './api/bundle';
import { chatMethods } from './api/chat';
import { componentMethods } from './api/components';
import { debugMethods } from './api/debug';
import type { Calls, Handlers } from './api/define';
import { hostMethods } from './api/host';
import { natsMethods } from './api/nats';
import { packMethods, packWorkspaceMethods } from './api/pack';
import { projectMethods } from './api/project';
import { runnerMethods } from './api/runner';
import { registryMethods } from './api/registry';
import { telemetryMethods } from './api/telemetry';
import type { StudioEvents } from './api/events';

export const studioApi = {
  ...projectMethods,
  ...chatMethods,
  ...debugMethods,
  ...natsMethods,
  ...packMethods,
  ...packWorkspaceMethods,
  ...componentMethods,
  ...registryMethods,
  ...hostMethods,
  ...runnerMethods,
  ...bundleMethods,
  ...telemetryMethods,
};

export type StudioApiTable = typeof studioApi;
export type StudioMethod = keyof StudioApiTable & string;
export const STUDIO_METHODS = Object.keys(studioApi).sort() as StudioMethod[];

/** What the back end implements. */
export type StudioHandlers = Handlers<StudioApiTable>;

export type StudioEventName = keyof StudioEvents & string;
export type EventListener<E extends StudioEventName> = (payload: StudioEvents[E]) => void;

/** What the renderer holds: every method as a promise, plus event subscription. */
export type StudioClient = Calls<StudioApiTable> & {
  on<E extends StudioEventName>(event: E, listener: EventListener<E>): () => void;
};

export { StudioError, type SerializedStudioError, type StudioErrorCode } from './api/define';
export { STUDIO_EVENTS, type StudioEvents } from './api/events';
export type * from './api/bundle';
export type * from './api/chat';
export type * from './api/components';
export type * from './api/debug';
export type * from './api/events';
export type * from './api/host';
export type * from './api/menu';
export { MENU_COMMANDS } from './api/menu';
export { SIGNATURE_STATUS_TEXT } from './api/pack';
export type * from './api/nats';
export type * from './api/pack';
export type * from './api/project';
export type * from './api/runner';
export type * from './api/registry';
export type * from './api/telemetry';
export { DEFAULT_TELEMETRY_SETTINGS } from './api/telemetry';
