import type { PackInspection } from '../../../shared/api';
import { formatBytes } from './format';
import { SIGNATURE_STATUS_TEXT } from '../../../shared/api';

/** The facts of a pack at a glance: identity, layout, size, SBOM and signature state. */
export function PackSummary({ name, inspection }: { name: string | null; inspection: PackInspection }) {
  const size = inspection.entries.reduce((sum, entry) => sum + entry.size, 0);
  const stored = inspection.entries.reduce((sum, entry) => sum + entry.compressed_size, 0);
  return (
    <section className="pack-summary" aria-label="Pack summary">
      <h2>
        {inspection.name ?? inspection.pack_id}
        <span className="muted"> {inspection.version}</span>
      </h2>
      <dl className="pack-facts pack-facts-grid">
        <dt>Pack id</dt>
        <dd className="pack-mono">{inspection.pack_id}</dd>
        <dt>Version</dt>
        <dd>{inspection.version}</dd>
        <dt>Kind</dt>
        <dd>{inspection.kind ?? '—'}</dd>
        <dt>Publisher</dt>
        <dd>{inspection.publisher ?? '—'}</dd>
        <dt>Layout</dt>
        <dd>
          {inspection.layout} ({inspection.model === 'pack-v1' ? 'greentic-types pack-v1 manifest' : 'legacy manifest'})
        </dd>
        <dt>Entries</dt>
        <dd>{inspection.entries.length}</dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(size)}
          {stored !== size && <span className="muted"> ({formatBytes(stored)} compressed)</span>}
        </dd>
        <dt>SBOM</dt>
        <dd data-testid="sbom-status">
          {inspection.sbom.file === null ? (
            <span className="status status-neutral">none</span>
          ) : inspection.sbom.ok ? (
            <span className="status status-good">all files match</span>
          ) : (
            <span className="status status-bad">
              {inspection.sbom.problems.length} {inspection.sbom.problems.length === 1 ? 'problem' : 'problems'}
            </span>
          )}
        </dd>
        <dt>Signatures</dt>
        <dd>
          {inspection.signatures.length === 0 ? (
            <span className="status status-neutral">unsigned</span>
          ) : (
            inspection.signatures.map((signature) => SIGNATURE_STATUS_TEXT[signature.status]).join(', ')
          )}
        </dd>
        {name && (
          <>
            <dt>File</dt>
            <dd className="pack-mono">{name}</dd>
          </>
        )}
      </dl>
      {inspection.warnings.length > 0 && (
        <ul className="pack-warnings" aria-label="Warnings">
          {inspection.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
