import { useState } from 'react';
import type { KeyVaultStatus, SigningKeyInfo } from '../../../../shared/api';
import { studio } from '../../api/studio';
import { problemOf } from '../pack-store';
import { InlineFormActions } from '../../shell/InlineFormActions';

/** Stored passphrases must be at least this long (the contract's bound). */
const MIN_PASSPHRASE = 8;

interface Props {
  keys: SigningKeyInfo[];
  vault: KeyVaultStatus | null;
  keyId: string;
  passphrase: string;
  disabled: boolean;
  onKey(id: string): void;
  onPassphrase(value: string): void;
  onCreated(key: SigningKeyInfo, passphrase: string): void;
}

/** Sign with a stored key, create one here, or export unsigned. Private keys never reach this view. */
export function KeyField({ keys, vault, keyId, passphrase, disabled, onKey, onPassphrase, onCreated }: Props) {
  const [creating, setCreating] = useState(false);
  const unavailable = vault?.backend === 'unavailable';
  const needsPassphrase = vault?.passphrase_required === true;
  return (
    <fieldset disabled={disabled}>
      <legend>Signature</legend>
      <div className="export-choices">
        <select aria-label="Signing key" value={keyId} onChange={(event) => onKey(event.target.value)}>
          <option value="">No signature</option>
          {keys.map((key) => (
            <option key={key.id} value={key.id}>
              {key.label} ({key.fingerprint.slice(0, 12)}…)
            </option>
          ))}
        </select>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)} disabled={unavailable}>
            New key…
          </button>
        )}
      </div>
      {unavailable && <p className="field-problem">Signing keys cannot be stored here: {vault?.reason ?? 'no key store is available'}.</p>}
      {vault?.backend === 'passphrase' && vault.reason && <p className="muted">Signing keys: {vault.reason}.</p>}
      {keyId && needsPassphrase && (
        <label className="field">
          <span className="field-label">Passphrase of the key</span>
          <input type="password" aria-label="Key passphrase" value={passphrase} onChange={(event) => onPassphrase(event.target.value)} autoComplete="current-password" />
        </label>
      )}
      {creating && (
        <NewKeyForm
          needsPassphrase={needsPassphrase}
          onDone={(created, secret) => {
            setCreating(false);
            if (created) onCreated(created, secret);
          }}
        />
      )}
    </fieldset>
  );
}

function NewKeyForm({ needsPassphrase, onDone }: { needsPassphrase: boolean; onDone(created: SigningKeyInfo | null, passphrase: string): void }) {
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    if (!label.trim()) return setProblem('Give the key a name');
    if (needsPassphrase && secret.length < MIN_PASSPHRASE) return setProblem(`The passphrase needs at least ${MIN_PASSPHRASE} characters`);
    if (needsPassphrase && confirmation !== secret) return setProblem('The two passphrases differ: type the same passphrase in both fields');
    setBusy(true);
    setProblem(null);
    try {
      const key = await studio.createSigningKey({ label: label.trim(), ...(needsPassphrase ? { passphrase: secret } : {}) });
      onDone(key, secret);
    } catch (error) {
      setProblem(problemOf(error).message);
      setBusy(false);
    }
  }

  // Not a <form>: it sits inside the dialog's form, and Enter here creates the key, not the pack.
  return (
    <div
      className="pack-inline-form"
      role="group"
      aria-label="New signing key"
      onKeyDown={(event) => {
        if (event.key !== 'Enter') return;
        event.preventDefault();
        void create();
      }}
    >
      <label className="field">
        <span className="field-label">Name of the new key</span>
        <input aria-label="New key name" autoFocus value={label} maxLength={200} onChange={(event) => setLabel(event.target.value)} placeholder="Release key" />
      </label>
      {needsPassphrase && (
        <label className="field">
          <span className="field-label">Passphrase that encrypts it (at least {MIN_PASSPHRASE} characters)</span>
          <input type="password" aria-label="New key passphrase" value={secret} onChange={(event) => setSecret(event.target.value)} autoComplete="new-password" />
        </label>
      )}
      {needsPassphrase && (
        <label className="field">
          <span className="field-label">The same passphrase again</span>
          <input
            type="password"
            aria-label="Confirm new key passphrase"
            value={confirmation}
            onChange={(event) => setConfirmation(event.target.value)}
            autoComplete="new-password"
          />
        </label>
      )}
      <InlineFormActions onCancel={() => onDone(null, '')} problem={problem}>
        <button type="button" onClick={() => void create()} disabled={busy}>
          Create key
        </button>
      </InlineFormActions>
    </div>
  );
}
