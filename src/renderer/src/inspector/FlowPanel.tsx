import { setFlowField, type FlowIr } from '../../../shared/flow';
import { ProjectProblems } from '../problems/ProjectProblems';
import { useEditor } from '../store/editor-store';
import { CommitField } from './CommitField';
import { RawYamlField } from './RawYamlField';

/** The flow types the compiler accepts (flow-format §1.2); the editor offers only these. */
const FLOW_TYPES = ['messaging', 'event', 'component-config', 'job', 'http'];

/** Flow metadata: id, title, type, start, parameters, entrypoints; and every problem of the project. */
export function FlowPanel({ ir }: { ir: FlowIr }) {
  const edit = useEditor((state) => state.edit);
  const types = ir.type && !FLOW_TYPES.includes(ir.type) ? [ir.type, ...FLOW_TYPES] : FLOW_TYPES;
  return (
    <div className="inspector-flow" data-testid="flow-panel">
      <h2>Flow</h2>
      <CommitField label="Flow id" value={ir.id ?? ''} onCommit={(v) => edit((text) => setFlowField(text, 'id', v))} />
      <CommitField label="Title" value={ir.title ?? ''} onCommit={(v) => edit((text) => setFlowField(text, 'title', v === '' ? undefined : v))} />
      <label className="field">
        <span className="field-label">Type</span>
        <select aria-label="Flow type" value={ir.type ?? ''} onChange={(e) => edit((text) => setFlowField(text, 'type', e.target.value))}>
          {!ir.type && <option value="">(missing)</option>}
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Start</span>
        <select aria-label="Start node" value={ir.start ?? ''} onChange={(e) => edit((text) => setFlowField(text, 'start', e.target.value === '' ? undefined : e.target.value))}>
          <option value="">(implicit: {ir.resolvedStart ?? 'none'})</option>
          {ir.start && !ir.nodes.some((n) => n.id === ir.start) && <option value={ir.start}>{ir.start} (missing)</option>}
          {ir.nodes.map((node) => (
            <option key={node.id} value={node.id}>
              {node.id}
            </option>
          ))}
        </select>
      </label>
      <RawYamlField label="Parameters" value={Object.keys(ir.parameters).length ? ir.parameters : undefined} onCommit={(v) => edit((text) => setFlowField(text, 'parameters', v ?? undefined))} />
      <RawYamlField label="Entrypoints" value={Object.keys(ir.entrypoints).length ? ir.entrypoints : undefined} onCommit={(v) => edit((text) => setFlowField(text, 'entrypoints', v ?? undefined))} />
      <h3>Problems</h3>
      <ProjectProblems />
    </div>
  );
}
