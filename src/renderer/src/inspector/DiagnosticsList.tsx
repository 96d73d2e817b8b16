import { applyTextEdits, type Diagnostic } from '../../../shared/flow';
import { runCommand } from '../commands/registry';
import { useEditor } from '../store/editor-store';

/** Diagnostics with their code and line; a quick fix applies its edits as one undoable step. */
export function DiagnosticsList({ diagnostics }: { diagnostics: readonly Diagnostic[] }) {
  if (diagnostics.length === 0) return <p className="muted">No problems.</p>;
  return (
    <ul className="diagnostics" data-testid="diagnostics">
      {diagnostics.map((d, index) => (
        <li key={index} className={`diagnostic ${d.severity}`}>
          <button type="button" className="link" onClick={() => runCommand('focusYaml', String(d.range.line))} title="Show in the YAML view">
            line {d.range.line}
          </button>{' '}
          <code>{d.code}</code> {d.message}
          <QuickFixButton diagnostic={d} />
        </li>
      ))}
    </ul>
  );
}

/** A diagnostic's quick fix for the active flow's text, as one undoable step; nothing when it has none. */
export function QuickFixButton({ diagnostic }: { diagnostic: Diagnostic }) {
  const edit = useEditor((state) => state.edit);
  const fix = diagnostic.fix;
  if (!fix || diagnostic.file) return null;
  return (
    <button type="button" className="quick-fix" onClick={() => edit((source) => ({ ok: true, text: applyTextEdits(typeof source === 'string' ? source : source.text, fix.edits) }))}>
      {fix.title}
    </button>
  );
}
