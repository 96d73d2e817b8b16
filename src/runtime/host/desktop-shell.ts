import type { HostInfo } from '../../shared/api';

export interface PickPathRequest {
  kind: 'folder' | 'file' | 'save';
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

/**
 * What the surrounding shell offers: native dialogs and the file manager. The Electron main process
 * provides one backed by `dialog` and `shell`; web mode uses the Node one, without dialogs.
 */
export interface DesktopShell {
  readonly info: Omit<HostInfo, 'homeDir'>;
  /** Resolves null when the user cancels. */
  pickPath(request: PickPathRequest): Promise<string | null>;
  reveal(path: string): Promise<void>;
}
