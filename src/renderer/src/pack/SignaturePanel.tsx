import { useState } from 'react';
import { SIGNATURE_STATUS_TEXT, type PackInspection, type SignatureReport, type SignatureStatus } from '../../../shared/api';
import { problemOf, usePack } from './pack-store';
import { InlineFormActions } from '../shell/InlineFormActions';


const SCHEME_TEXT = {
  embedded: 'Embedded in manifest.cbor (scheme B)',
  envelope: 'Envelope signatures/pack.sig (scheme A)',
};

export function statusTone(status: SignatureStatus): 'good' | 'bad' | 'neutral' {
  if (status === 'valid') return 'good';
  if (status === 'invalid') return 'bad';
  return 'neutral';
}

/** Each signature of the pack: scheme, key id, fingerprint, status; an untrusted signer can be trusted here. */
export function SignaturePanel({ inspection }: { inspection: PackInspection }) {
  if (inspection.signatures.length === 0) return <p className="empty">This pack is not signed.</p>;
  return (
    <ul className="pack-signatures" aria-label="Signatures">
      {inspection.signatures.map((signature, index) => (
        <SignatureCard key={`${signature.scheme}-${index}`} signature={signature} />
      ))}
    </ul>
  );
}

function SignatureCard({ signature }: { signature: SignatureReport }) {
  const trustable = (signature.status === 'untrusted' || signature.status === 'dev_certificate') && signature.fingerprint !== null;
  return (
    <li className="pack-signature" aria-label={`${signature.scheme} signature`}>
      <div className="pack-signature-head">
        <strong>{SCHEME_TEXT[signature.scheme]}</strong>
        <span className={`status status-${statusTone(signature.status)}`} data-testid="signature-status">
          {SIGNATURE_STATUS_TEXT[signature.status]}
        </span>
      </div>
      <dl className="pack-facts">
        <dt>Key id</dt>
        <dd className="pack-mono">{signature.key_id ?? '—'}</dd>
        <dt>Fingerprint</dt>
        <dd className="pack-mono">{signature.fingerprint ?? '—'}</dd>
        {signature.subject && (
          <>
            <dt>Certificate</dt>
            <dd>{signature.subject}</dd>
          </>
        )}
      </dl>
      {signature.message && <p className={signature.status === 'invalid' ? 'field-problem' : 'muted'}>{signature.message}</p>}
      {trustable && <TrustKey signature={signature} />}
    </li>
  );
}

function TrustKey({ signature }: { signature: SignatureReport }) {
  const trustSigner = usePack((state) => state.trustSigner);
  const [label, setLabel] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (label === null) {
    return (
      <button type="button" onClick={() => setLabel(signature.subject?.replace(/^CN=/, '') || signature.key_id || 'Pack signer')}>
        Trust this key
      </button>
    );
  }
  return (
    <form
      className="pack-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!label.trim() || !signature.fingerprint) return;
        setProblem(null);
        trustSigner(signature.fingerprint, label.trim()).catch((error: unknown) => setProblem(problemOf(error).message));
      }}
    >
      {signature.status === 'dev_certificate' && (
        <p className="field-problem">This is a self-signed development certificate: trust it only if you made it yourself.</p>
      )}
      <label className="field">
        <span className="field-label">Name for this key in your trust store</span>
        <input aria-label="Trusted key name" autoFocus value={label} onChange={(event) => setLabel(event.target.value)} maxLength={200} />
      </label>
      <InlineFormActions onCancel={() => setLabel(null)} problem={problem}>
        <button type="submit">Trust</button>
      </InlineFormActions>
    </form>
  );
}
