import { useState } from 'react';
import type { PackInspection, SbomEntryStatus } from '../../../shared/api';
import { formatBytes, shortDigest } from './format';

const STATUS_TEXT: Record<SbomEntryStatus, string> = {
  ok: 'matches',
  hash_mismatch: 'hash mismatch',
  size_mismatch: 'size mismatch',
  unlisted: 'not in the SBOM',
  exempt: 'exempt',
  unchecked: 'not checked',
};

const PROBLEM: ReadonlySet<SbomEntryStatus> = new Set(['hash_mismatch', 'size_mismatch', 'unlisted']);

/** Every file of the archive against the SBOM: size, how it is stored, media type, BLAKE3 and its status. */
export function SbomTable({ inspection }: { inspection: PackInspection }) {
  const { sbom, entries } = inspection;
  const [onlyProblems, setOnlyProblems] = useState(false);
  const shown = onlyProblems ? entries.filter((entry) => PROBLEM.has(entry.sbom_status)) : entries;
  return (
    <div className="pack-sbom">
      {sbom.file === null ? (
        <p className="banner warning">The pack has no SBOM: its files are listed as they are, unchecked.</p>
      ) : sbom.ok ? (
        <p className="banner ok">
          Every file matches {sbom.file} ({entries.length} files).
        </p>
      ) : (
        <div className="banner error" role="alert">
          <strong>
            {sbom.problems.length} SBOM {sbom.problems.length === 1 ? 'problem' : 'problems'} in {sbom.file}
          </strong>
          <ul aria-label="SBOM problems">
            {sbom.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <label className="field-inline pack-filter">
        <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.target.checked)} />
        Only files with problems
      </label>
      <div className="pack-table-wrap">
        <table className="pack-table" aria-label="SBOM">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Stored</th>
              <th scope="col">Media type</th>
              <th scope="col">BLAKE3</th>
              <th scope="col">Hash status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.path} data-sbom-status={entry.sbom_status}>
                <td className="pack-mono">{entry.path}</td>
                <td>{formatBytes(entry.size)}</td>
                <td>{entry.method === 'deflate' ? `deflate, ${formatBytes(entry.compressed_size)}` : 'stored'}</td>
                <td>{entry.media_type ?? '—'}</td>
                <td className="pack-mono" title={entry.blake3 ?? undefined}>
                  {shortDigest(entry.blake3)}
                </td>
                <td>
                  <span className={`status status-${PROBLEM.has(entry.sbom_status) ? 'bad' : entry.sbom_status === 'ok' ? 'good' : 'neutral'}`}>{STATUS_TEXT[entry.sbom_status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
