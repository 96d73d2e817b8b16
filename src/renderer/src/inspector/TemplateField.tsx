import { createContext, lazy, Suspense, useContext } from 'react';
import { CommitField } from './CommitField';
import './template-field.css';

// Monaco loads with the first template shown, not with the inspector.
const TemplateEditor = lazy(() => import('../yaml/TemplateEditor'));

/** The template paths the selected node can read; the node inspector provides them. */
export const TemplatePaths = createContext<readonly string[]>([]);

/** A Handlebars template field: Monaco with the node's paths, a plain field while Monaco loads. */
export function TemplateField({ label, value, onCommit }: { label: string; value: string; onCommit(value: string): void }) {
  const paths = useContext(TemplatePaths);
  return (
    <div className="field">
      <span className="field-label" id={`template-${label}`}>
        {label} <span className="muted">(Handlebars; type {'{{'} for the paths this node can read)</span>
      </span>
      <Suspense fallback={<CommitField label={label} value={value} multiline onCommit={onCommit} />}>
        <TemplateEditor label={label} value={value} paths={paths} onCommit={onCommit} />
      </Suspense>
    </div>
  );
}
