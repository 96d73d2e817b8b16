import { useId, useState, type FormEvent } from 'react';
import type { NatsAuthMode, NatsProfileSummary } from '../../../shared/api';
import { useNats } from '../store/nats-store';
import { AUTH_MODE_LABELS, draftOf, keepsStoredSecret, profileInputOf, SECRET_LABELS, type ProfileDraft } from './profile-draft';
import { TextFileField } from './TextFileField';

const MODES = Object.keys(AUTH_MODE_LABELS) as NatsAuthMode[];

/** Creates a profile, or edits one (its name stays: it is the key its secrets are stored under). */
export function ProfileForm({ profile, onDone }: { profile: NatsProfileSummary | null; onDone(): void }) {
  const saveProfile = useNats((state) => state.saveProfile);
  const [draft, setDraft] = useState<ProfileDraft>(() => draftOf(profile));
  const [saving, setSaving] = useState(false);
  const titleId = useId();
  const update = (patch: Partial<ProfileDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const keeps = keepsStoredSecret(draft, profile);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const saved = await saveProfile(profileInputOf(draft));
    setSaving(false);
    if (saved) onDone();
  }

  return (
    <form className="nats-profile-form" onSubmit={(event) => void submit(event)} aria-labelledby={titleId}>
      <h3 id={titleId}>{profile ? `Edit profile ${profile.name}` : 'New profile'}</h3>
      <label className="field">
        <span className="field-label">Profile name</span>
        <input value={draft.name} onChange={(event) => update({ name: event.target.value })} disabled={profile !== null} required maxLength={64} />
      </label>
      <label className="field">
        <span className="field-label">Servers</span>
        <input
          value={draft.servers}
          onChange={(event) => update({ servers: event.target.value })}
          placeholder="nats://host:4222, tls://host:4222"
          required
        />
      </label>
      <label className="field">
        <span className="field-label">Authentication</span>
        <select aria-label="Authentication" value={draft.mode} onChange={(event) => update({ mode: event.target.value as NatsAuthMode, secret: '' })}>
          {MODES.map((mode) => (
            <option key={mode} value={mode}>
              {AUTH_MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      {draft.mode === 'userpass' && (
        <label className="field">
          <span className="field-label">User</span>
          <input value={draft.user} onChange={(event) => update({ user: event.target.value })} required autoComplete="off" />
        </label>
      )}
      {draft.mode !== 'none' && <SecretField draft={draft} keeps={keeps} onChange={(secret) => update({ secret })} />}

      <label className="field field-inline">
        <input type="checkbox" checked={draft.tls} onChange={(event) => update({ tls: event.target.checked })} />
        Use TLS
      </label>
      {draft.tls && (
        <fieldset className="nats-tls">
          <legend>TLS</legend>
          <TextFileField
            label="CA certificate"
            hint="PEM; verifies the server"
            value={draft.ca}
            onChange={(ca) => update({ ca })}
            stored={profile?.tls.hasCa ?? false}
            remove={draft.removeCa}
            onRemove={(removeCa) => update({ removeCa })}
          />
          <TextFileField
            label="Client certificate"
            hint="PEM; with the key, authenticates the studio"
            value={draft.cert}
            onChange={(cert) => update({ cert })}
            stored={profile?.tls.hasClientCert ?? false}
            remove={draft.removeCert}
            onRemove={(removeCert) => update({ removeCert })}
          />
          <TextFileField
            label="Client key"
            hint="PEM; kept encrypted, never shown again"
            value={draft.key}
            onChange={(key) => update({ key })}
            stored={profile?.tls.hasClientKey ?? false}
            remove={draft.removeKey}
            onRemove={(removeKey) => update({ removeKey })}
            secret
          />
        </fieldset>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

/** The secret of the auth mode: typed or loaded from a file, never shown back once stored. */
function SecretField({ draft, keeps, onChange }: { draft: ProfileDraft; keeps: boolean; onChange(secret: string): void }) {
  const mode = draft.mode as Exclude<NatsAuthMode, 'none'>;
  const label = SECRET_LABELS[mode];
  const placeholder = keeps ? 'stored; leave empty to keep it' : '';
  if (mode === 'creds') {
    return (
      <TextFileField
        label={label}
        hint="the text of a .creds file; kept encrypted, never shown again"
        value={draft.secret}
        onChange={onChange}
        stored={keeps}
        required={!keeps}
        secret
      />
    );
  }
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="password"
        value={draft.secret}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder || (mode === 'nkey' ? 'SU…' : '')}
        required={!keeps}
        autoComplete="new-password"
      />
    </label>
  );
}
