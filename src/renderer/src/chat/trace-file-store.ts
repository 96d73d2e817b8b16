/**
 * A `trace.json` opened in the run inspector (from upstream's runner or `--trace-out`): its steps
 * are listed, and the flow it ran is opened and drawn with the path highlighted, the failing step
 * marked.
 */
import { create } from 'zustand';
import { firstFailingStep, parseUpstreamTrace, type UpstreamTrace } from '../../../shared/trace/upstream-trace';
import { useChat } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';

interface TraceFileState {
  file: { name: string; trace: UpstreamTrace; flowPath: string | null } | null;
  error: string | null;
  open(name: string, text: string): Promise<void>;
  close(): void;
}

export const useTraceFile = create<TraceFileState>((set) => ({
  file: null,
  error: null,
  async open(name, text) {
    let trace: UpstreamTrace;
    try {
      trace = parseUpstreamTrace(text);
    } catch (error) {
      set({ error: `${name}: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const flowPath = useProject.getState().project?.flows.find((flow) => flow.id === trace.flow.id)?.path ?? null;
    set({ file: { name, trace, flowPath }, error: null });
    if (!flowPath) return;
    await useEditor.getState().open(flowPath);
    const failing = trace.steps[firstFailingStep(trace)]?.node_id ?? null;
    const visited = [...new Set(trace.steps.map((step) => step.node_id))];
    useChat.setState({ highlight: { flowPath, visited, active: null, parked: null, failed: failing } });
  },
  close() {
    set({ file: null, error: null });
    useChat.setState({ highlight: { flowPath: null, visited: [], active: null, parked: null } });
  },
}));
