import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { STUDIO_METHODS, type StudioHandlers } from '../shared/api';
import { dispatch, type DispatchResult } from '../runtime/dispatch';
import type { EventBus } from '../runtime/events';
import { ipcChannelForMethod, IPC_EVENT_CHANNEL } from '../shared/ipc-channels';
import { isAppUrl } from './security';

/** A call is served only when it comes from the top frame of one of our own pages. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

const refused: DispatchResult = {
  ok: false,
  error: { code: 'forbidden', message: 'IPC call refused: it does not come from the studio window' },
};

/** The Electron IPC transport of the contract: one handler per method, sender and params checked. */
export function registerIpcTransport(ipcMain: Pick<IpcMain, 'handle'>, handlers: StudioHandlers): void {
  for (const method of STUDIO_METHODS) {
    ipcMain.handle(ipcChannelForMethod(method), async (event, params: unknown): Promise<DispatchResult> => {
      if (!isTrustedSender(event)) return refused;
      return dispatch(handlers, method, params);
    });
  }
}

/** Pushes every back-end event to the studio windows. */
export function forwardEvents(events: EventBus, targets: () => WebContents[]): () => void {
  return events.subscribe((name, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });
}
