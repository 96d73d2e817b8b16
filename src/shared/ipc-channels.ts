/** Channel names of the Electron IPC transport of api.ts. */
export const IPC_EVENT_CHANNEL = 'studio:event';

export function ipcChannelForMethod(method: string): string {
  return `studio:call:${method}`;
}
