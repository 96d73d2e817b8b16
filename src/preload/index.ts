import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { STUDIO_EVENTS, STUDIO_METHODS } from '../shared/api';
import type { StudioBridge } from '../shared/bridge';
import { ipcChannelForMethod, IPC_EVENT_CHANNEL } from '../shared/ipc-channels';

// One named function per contract method, one subscription per event name; nothing generic
// (no send/invoke, no process, no require) reaches the page.
const calls = Object.fromEntries(
  STUDIO_METHODS.map((method) => [method, (params: unknown) => ipcRenderer.invoke(ipcChannelForMethod(method), params)]),
);

const knownEvents = new Set<string>(STUDIO_EVENTS);

const bridge: StudioBridge = {
  calls: calls as StudioBridge['calls'],
  subscribe(event, listener) {
    if (!knownEvents.has(event)) throw new Error(`unknown event ${String(event)}`);
    const relay = (_ipcEvent: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
  },
  // Only the path of a File object the page already holds (a drop); it reads nothing itself.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('greenticStudio', bridge);
