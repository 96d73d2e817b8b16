import { findNode } from '../../../shared/flow';
import type { FlowDocument } from '../document/flow-document';
import { useEditor } from '../store/editor-store';
import { ProjectProblems } from '../problems/ProjectProblems';
import { FlowPanel } from './FlowPanel';
import { NodeInspector } from './NodeInspector';

/** The selected node's inspector, or the flow panel when no single node is selected. */
export function Inspector({ doc }: { doc: FlowDocument }) {
  const selection = useEditor((state) => state.selection);
  const model = doc.model;
  if (!model) {
    return (
      <section className="inspector" aria-label="Inspector">
        <p className="muted">The flow text does not parse yet; fix it in the YAML view.</p>
        <h3>Problems</h3>
        <ProjectProblems />
      </section>
    );
  }
  const node = selection.length === 1 ? findNode(model.ir, selection[0] as string) : undefined;
  return (
    <section className="inspector" aria-label="Inspector">
      {node ? <NodeInspector node={node} ir={model.ir} diagnostics={doc.diagnostics} /> : <FlowPanel ir={model.ir} />}
    </section>
  );
}
