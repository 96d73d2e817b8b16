import type { PackDiagnostic } from '../../../shared/api';
import type { Diagnostic, FlowFileCheck } from '../../../shared/flow';
import { QuickFixButton } from '../inspector/DiagnosticsList';
import { useEditor } from '../store/editor-store';
import { useProblems, useProjectProblems } from './problems-store';
import { nodeOf, revealLine, revealNode } from './reveal';
import './problems.css';

/**
 * Every problem of every flow of the project, the same as `greentic-studio validate` reports (plus
 * notes); each one opens its node and its YAML line. The active flow's problems come first.
 */
export function ProjectProblems() {
  const files = useProjectProblems();
  const pack = useProblems((state) => state.onDisk?.pack ?? NO_PACK_PROBLEMS);
  const error = useProblems((state) => state.error);
  const active = useEditor((state) => state.active);
  if (error) return <p className="field-problem">The project could not be checked: {error}</p>;
  if (!files) return <p className="muted">Checking the project…</p>;
  const withProblems = files.filter((file) => file.diagnostics.length > 0).sort((a, b) => Number(b.path === active) - Number(a.path === active));
  if (withProblems.length === 0 && pack.length === 0) return <p className="muted" data-testid="problems-none">No problems in the project's {files.length} flows.</p>;
  return (
    <div className="project-problems" data-testid="project-problems">
      <p className="muted">{summary(files)}</p>
      {pack.length > 0 && <PackProblems diagnostics={pack} />}
      {withProblems.map((file) => (
        <FileProblems key={file.path} file={file} />
      ))}
    </div>
  );
}

const NO_PACK_PROBLEMS: PackDiagnostic[] = [];

/** What `greentic-studio pack doctor` finds in the project folder, before a build or a deploy. */
function PackProblems({ diagnostics }: { diagnostics: readonly PackDiagnostic[] }) {
  return (
    <section className="problems-file" aria-label="Pack checks">
      <h4>Pack checks (pack doctor)</h4>
      <ul className="diagnostics" data-testid="pack-diagnostics">
        {diagnostics.map((d, index) => (
          <li key={index} className={`diagnostic ${d.severity === 'warn' ? 'warning' : 'error'}`} data-testid="pack-problem" data-code={d.code}>
            <span className="severity">{d.severity === 'warn' ? 'warning' : 'error'}</span> <code>{d.code}</code> {d.path && <span className="muted">{d.path}</span>} {d.message}
            {d.hint && <span className="muted"> — {d.hint}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FileProblems({ file }: { file: FlowFileCheck }) {
  const active = useEditor((state) => state.active);
  const ir = useEditor((state) => state.docs[file.path]?.model?.ir ?? null);
  return (
    <section className="problems-file" aria-label={`Problems in ${file.path}`}>
      <h4>{file.path}</h4>
      <ul className="diagnostics" data-testid="diagnostics">
        {file.diagnostics.map((d, index) => {
          const node = nodeOf(d, ir);
          return (
            <li key={index} className={`diagnostic ${d.severity}`} data-testid="problem" data-code={d.code} data-file={file.path}>
              <span className="severity">{d.severity}</span>{' '}
              <button type="button" className="link" onClick={() => void revealLine(file.path, d)} title="Show the line in the YAML view" data-testid="problem-line">
                line {d.range.line}
              </button>
              {node && (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => void revealNode(file.path, d)} title="Select the node on the canvas" data-testid="problem-node">
                    {shortId(node)}
                  </button>
                </>
              )}{' '}
              <code>{d.code}</code> {d.message}
              {file.path === active && <QuickFixButton diagnostic={d} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function shortId(id: string): string {
  return id.length > 32 ? `${id.slice(0, 31)}…` : id;
}

function summary(files: readonly FlowFileCheck[]): string {
  const count = (severity: Diagnostic['severity']) => files.reduce((n, file) => n + file.diagnostics.filter((d) => d.severity === severity).length, 0);
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), plural(count('info'), 'note')].filter(Boolean);
  return `${parts.join(', ')} in ${plural(files.filter((f) => f.diagnostics.length > 0).length, 'flow')} of ${files.length}`;
}

function plural(n: number, word: string): string {
  return n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`;
}
