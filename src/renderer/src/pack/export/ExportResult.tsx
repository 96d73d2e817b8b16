import { studio } from '../../api/studio';
import { useUi } from '../../store/ui-store';
import { formatBytes } from '../format';
import { problemOf, usePack } from '../pack-store';
import { SIGNATURE_STATUS_TEXT } from '../../../../shared/api';
import { statusTone } from '../SignaturePanel';
import { PublishPanel } from './PublishPanel';
import type { ExportOutcome } from './run-export';

/** What was written and what verifying that very file found. */
export function ExportResult({ outcome, fileManager, onClose, onProblem }: { outcome: ExportOutcome; fileManager: boolean; onClose(): void; onProblem(message: string): void }) {
  const { built, verification } = outcome;
  const unsignedButIntact = !built.signed && verification.intact;
  const verdict = verification.ok
    ? 'Verified: every file matches the SBOM and the signatures are valid, made by a signer trusted here.'
    : unsignedButIntact
      ? 'Verified: every file matches the SBOM. The pack is not signed.'
      : 'Verification failed.';
  const problems = unsignedButIntact ? verification.problems.filter((problem) => problem !== 'the pack is not signed') : verification.problems;
  return (
    <section className="export-result" aria-label="Export result">
      <p>
        Wrote <span className="pack-mono">{built.path}</span> ({built.entries} entries, {formatBytes(built.bytes)}), {built.pack_id} {built.version}.
      </p>
      <p className={verification.ok || unsignedButIntact ? 'status-good' : 'status-bad'} data-testid="export-verdict">
        <strong>{verdict}</strong>
      </p>
      {verification.signatures.length > 0 && (
        <ul aria-label="Signatures of the written pack">
          {verification.signatures.map((signature, index) => (
            <li key={`${signature.scheme}-${index}`}>
              {signature.scheme}: <span className={`status status-${statusTone(signature.status)}`}>{SIGNATURE_STATUS_TEXT[signature.status]}</span>
              {signature.fingerprint && <span className="muted pack-mono"> {signature.fingerprint.slice(0, 16)}…</span>}
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <ul className="field-problem" aria-label="Verification problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {built.warnings.length > 0 && (
        <ul className="pack-warnings" aria-label="Build warnings">
          {built.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <PublishPanel path={built.path} />
      <div className="route-actions">
        {fileManager && (
          <button type="button" onClick={() => void studio.revealPath({ path: built.path }).catch((error: unknown) => onProblem(problemOf(error).message))}>
            Show in file manager
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            onClose();
            useUi.getState().setWorkspace('pack');
            void usePack.getState().open(built.path);
          }}
        >
          Open in the pack inspector
        </button>
      </div>
    </section>
  );
}
