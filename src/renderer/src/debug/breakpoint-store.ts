/**
 * Breakpoints of the flow shown: where a studio conversation stops before a node runs, optionally
 * only when a condition holds or from the n-th hit, and whether any failing node stops it. The back
 * end keeps them in a sidecar beside the flow (never in the `.ygtc`); this store shows them at once
 * and writes each change through, in order.
 */
import { create } from 'zustand';
import type { Breakpoint, FlowBreakpoints } from '../../../shared/api';
import { studio } from '../api/studio';
import { messageOf } from '../store/errors';

export type { Breakpoint } from '../../../shared/api';

export type BreakpointChange = Partial<Pick<Breakpoint, 'condition' | 'hitCount' | 'enabled'>>;

interface BreakpointState {
  /** The flow whose breakpoints are shown. */
  flowPath: string | null;
  /** By node id. */
  breakpoints: Record<string, Breakpoint>;
  breakOnError: boolean;
  /** The stored breakpoints have been read: until then a change would overwrite what was never shown. */
  loaded: boolean;
  /** Why the last change could not be stored (the shown breakpoints are then read again). */
  error: string | null;
  show(flowPath: string): Promise<void>;
  /** Sets a breakpoint on each node that has none, and clears it on each that has one. */
  toggle(nodeIds: readonly string[]): Promise<void>;
  update(nodeId: string, change: BreakpointChange): Promise<void>;
  remove(nodeId: string): Promise<void>;
  setBreakOnError(on: boolean): Promise<void>;
}

let writes: Promise<unknown> = Promise.resolve();
let writesInFlight = 0;
/** Counts the user's changes: a read that started before the latest one must not undo it. */
let changes = 0;

export const useBreakpoints = create<BreakpointState>((set, get) => {
  const apply = (stored: FlowBreakpoints) => {
    if (get().flowPath !== stored.flowPath) return;
    set(shownOf(stored));
  };

  async function reload(flowPath: string) {
    const at = changes;
    try {
      const stored = await studio.getBreakpoints({ flowPath });
      if (changes === at) apply(stored);
      if (get().flowPath === flowPath) set({ loaded: true });
    } catch (error) {
      if (get().flowPath === flowPath) set({ error: messageOf(error) });
    }
  }

  /** Shows the change at once, then stores it; writes go out one after another, so the last one wins. */
  function change(next: Pick<BreakpointState, 'breakpoints' | 'breakOnError'>): Promise<void> {
    const { flowPath, loaded } = get();
    if (!flowPath || !loaded) return Promise.resolve();
    set({ ...next, error: null });
    changes += 1;
    writesInFlight += 1;
    const write = writes.then(async () => {
      try {
        const stored = await studio.setBreakpoints({ flowPath, breakpoints: Object.values(next.breakpoints), breakOnError: next.breakOnError });
        if (writesInFlight === 1) apply(stored);
      } catch (error) {
        if (get().flowPath !== flowPath) return;
        set({ error: messageOf(error) });
        await reload(flowPath);
      } finally {
        writesInFlight -= 1;
      }
    });
    writes = write;
    return write;
  }

  return {
    flowPath: null,
    breakpoints: {},
    breakOnError: false,
    loaded: false,
    error: null,

    async show(flowPath) {
      if (get().flowPath === flowPath) return;
      set({ flowPath, breakpoints: {}, breakOnError: false, loaded: false, error: null });
      await reload(flowPath);
    },

    toggle(nodeIds) {
      const breakpoints = { ...get().breakpoints };
      for (const nodeId of nodeIds) {
        if (breakpoints[nodeId]) delete breakpoints[nodeId];
        else breakpoints[nodeId] = { nodeId };
      }
      return change({ breakpoints, breakOnError: get().breakOnError });
    },

    update(nodeId, edit) {
      const current = get().breakpoints[nodeId];
      if (!current) return Promise.resolve();
      return change({ breakpoints: { ...get().breakpoints, [nodeId]: withChange(current, edit) }, breakOnError: get().breakOnError });
    },

    remove(nodeId) {
      const breakpoints = { ...get().breakpoints };
      delete breakpoints[nodeId];
      return change({ breakpoints, breakOnError: get().breakOnError });
    },

    setBreakOnError(on) {
      return change({ breakpoints: get().breakpoints, breakOnError: on });
    },
  };
});

// The CLI or another window changed them: show that, unless a change of ours is still on its way.
studio.on('breakpointsChanged', (stored) => {
  const state = useBreakpoints.getState();
  if (writesInFlight > 0 || state.flowPath !== stored.flowPath) return;
  useBreakpoints.setState(shownOf(stored));
});

function shownOf(stored: FlowBreakpoints): Pick<BreakpointState, 'breakpoints' | 'breakOnError'> {
  return { breakpoints: Object.fromEntries(stored.breakpoints.map((breakpoint) => [breakpoint.nodeId, breakpoint])), breakOnError: stored.breakOnError };
}

function withChange(breakpoint: Breakpoint, change: BreakpointChange): Breakpoint {
  const next: Breakpoint = { ...breakpoint, ...change };
  if (!next.condition?.trim()) delete next.condition;
  if (next.hitCount === undefined || next.hitCount <= 1) delete next.hitCount;
  if (next.enabled !== false) delete next.enabled;
  return next;
}

/** The node's breakpoint in the shown flow, if it has one. */
export function useBreakpoint(nodeId: string): Breakpoint | undefined {
  return useBreakpoints((state) => state.breakpoints[nodeId]);
}

/** What limits a breakpoint, in words (`when x == "y", from hit 3`), or '' when it always stops. */
export function breakpointTerms(breakpoint: Pick<Breakpoint, 'condition' | 'hitCount'>): string {
  return [breakpoint.condition ? `when ${breakpoint.condition}` : '', breakpoint.hitCount ? `from hit ${breakpoint.hitCount}` : ''].filter(Boolean).join(', ');
}
