import type { BotMessage, TraceEvent } from './chat';
import type { BreakpointsChangedEvent, DebugResumedEvent, PausedTurn } from './debug';
import type { MenuCommandEvent } from './menu';
import type { NatsBridgeEvent, NatsStatusEvent, NatsTrafficEvent } from './nats';
import type { ProjectFilesChangedEvent } from './project';

/** A reply the runner sent into a conversation, whichever channel started the turn. */
export interface ReplyEvent {
  conversationId: string;
  message: BotMessage;
}

/** One step of a running turn (node start/end, route, wait, error), pushed as it happens. */
export interface TraceEventMessage {
  conversationId: string;
  event: TraceEvent;
}

/** Progress of long work (pack builds, transpiling, layout), so the UI can show a bar. */
export interface ProgressEvent {
  task: string;
  done: number;
  total: number;
  label?: string;
}

/** Every event the back end pushes, by name. */
export interface StudioEvents {
  reply: ReplyEvent;
  trace: TraceEventMessage;
  progress: ProgressEvent;
  natsStatus: NatsStatusEvent;
  natsTraffic: NatsTrafficEvent;
  natsBridge: NatsBridgeEvent;
  projectFilesChanged: ProjectFilesChangedEvent;
  /** A studio conversation's turn paused before a node (or at a failed node). */
  debugPaused: PausedTurn;
  /** A paused turn goes on (or ends: `stop`, `timeout`). */
  debugResumed: DebugResumedEvent;
  /** A flow's breakpoints changed (from the UI, the CLI or another window). */
  breakpointsChanged: BreakpointsChangedEvent;
  /** A desktop menu item was chosen (never sent in web mode, which has no menu). */
  menuCommand: MenuCommandEvent;
}

/** Runtime list of event names; the type check keeps it equal to the keys of StudioEvents. */
export const STUDIO_EVENTS = ['reply', 'trace', 'progress', 'natsStatus', 'natsTraffic', 'natsBridge', 'projectFilesChanged', 'menuCommand', 'debugPaused', 'debugResumed', 'breakpointsChanged'] as const satisfies readonly (keyof StudioEvents)[];

type MissingEvents = Exclude<keyof StudioEvents, (typeof STUDIO_EVENTS)[number]>;
// A compile error here means an event was added to StudioEvents but not to STUDIO_EVENTS.
const _allEventsListed: MissingEvents extends never ? true : never = true;
void _allEventsListed;
