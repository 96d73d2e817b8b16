/**
 * Pinned outputs of the flow on the canvas: what a node returns in the studio's runner instead of
 * running (for components that cannot run locally). The back end keeps them in a sidecar beside the
 * flow, never in the `.ygtc`.
 */
import { create } from 'zustand';
import { studio } from '../api/studio';
import { messageOf } from './errors';

interface PinState {
  /** The flow whose pins are loaded. */
  flowPath: string | null;
  /** Pinned outputs of that flow's nodes, by node id. */
  pins: Record<string, unknown>;
  /** Why the pins could not be read (an unreadable sidecar, say). */
  error: string | null;
  show(flowPath: string): Promise<void>;
  /** Pins `output` on a node of the shown flow; rejects with the back end's reason. */
  pin(nodeId: string, output: unknown): Promise<void>;
  clear(nodeId: string): Promise<void>;
}

export const usePins = create<PinState>((set, get) => {
  /** Applies an answer only if the user has not moved on to another flow meanwhile. */
  const settle = (flowPath: string, pins: Record<string, unknown>) => {
    if (get().flowPath === flowPath) set({ pins, error: null });
  };

  return {
    flowPath: null,
    pins: {},
    error: null,

    async show(flowPath) {
      set({ flowPath, pins: {}, error: null });
      try {
        settle(flowPath, await studio.getPinnedOutputs({ flowPath }));
      } catch (error) {
        if (get().flowPath === flowPath) set({ error: messageOf(error) });
      }
    },

    async pin(nodeId, output) {
      const { flowPath } = get();
      if (!flowPath) throw new Error('no flow is open');
      settle(flowPath, await studio.setPinnedOutput({ flowPath, nodeId, output }));
    },

    async clear(nodeId) {
      const { flowPath } = get();
      if (!flowPath) throw new Error('no flow is open');
      settle(flowPath, await studio.clearPinnedOutput({ flowPath, nodeId }));
    },
  };
});

/** True when the node of the shown flow has a pinned output. */
export function useIsPinned(nodeId: string): boolean {
  return usePins((state) => Object.prototype.hasOwnProperty.call(state.pins, nodeId));
}
