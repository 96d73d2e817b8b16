import type { CallOutcome } from './api/define';
import type { StudioEventName, StudioMethod } from './api';

/** What the preload script exposes to the page as `window.greenticStudio`. */
export interface StudioBridge {
  calls: Record<StudioMethod, (params: unknown) => Promise<CallOutcome>>;
  subscribe(event: StudioEventName, listener: (payload: unknown) => void): () => void;
  /** The path on disk of a file dropped onto the window (Electron's `webUtils.getPathForFile`); "" when it has none. */
  pathForFile?(file: File): string;
}
