/**
 * A `trace.json` opened in the run inspector (from upstream's runner or `--trace-out`): its steps
 * are listed, and the flow it ran is opened and drawn with the path highlighted, the failing step
 * marked.
 */
import { create } from 'zustand';
import { firstFailingStep, parseUpstreamTrace, type UpstreamTrace } from '../../../shared/trace/upstream-trace';
import type { RunHighlight } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';

interface TraceFileState {
  file: { name: string; trace: UpstreamTrace; flowPath: string | null } | null;
  error: string | null;
  /** What the canvas shows while the trace is open, instead of the live run. */
  highlight: RunHighlight | null;
  open(name: string, text: string): Promise<void>;
  close(): void;
}

export const useTraceFile = create<TraceFileState>((set) => ({
  file: null,
  error: null,
  highlight: null,
  async open(name, text) {
    let trace: UpstreamTrace;
    try {
      trace = parseUpstreamTrace(text);
    } catch (error) {
      set({ file: null, highlight: null, error: `${name}: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const flowPath = useProject.getState().project?.flows.find((flow) => flow.id === trace.flow.id)?.path ?? null;
    const failing = trace.steps[firstFailingStep(trace)]?.node_id ?? null;
    const visited = [...new Set(trace.steps.map((step) => step.node_id))];
    set({ file: { name, trace, flowPath }, error: null, highlight: flowPath ? { flowPath, visited, active: null, parked: null, failed: failing } : null });
    if (flowPath) await useEditor.getState().open(flowPath);
  },
  close() {
    set({ file: null, error: null, highlight: null });
  },
}));
