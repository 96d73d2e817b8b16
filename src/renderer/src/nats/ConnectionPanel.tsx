import { useState } from 'react';
import type { NatsProfileSummary } from '../../../shared/api';
import { useNats } from '../store/nats-store';
import { authSummary } from './profile-draft';
import { ProfileForm } from './ProfileForm';
import { describeStatus, PROBLEM_TITLES } from './status-text';

/** The connection: its state and last problem, and the profiles to connect with. */
export function ConnectionPanel() {
  const status = useNats((state) => state.status);
  const profiles = useNats((state) => state.profiles);
  const profilesLoaded = useNats((state) => state.profilesLoaded);
  const disconnect = useNats((state) => state.disconnect);
  const [editing, setEditing] = useState<{ profile: NatsProfileSummary | null } | null>(null);
  const live = status.state !== 'disconnected' && status.state !== 'closed';

  return (
    <section className="nats-section" aria-label="Connection">
      <header className="panel-header">
        <span>Connection</span>
      </header>
      <div className="nats-state-line">
        <span className={`nats-state state-${status.state}`} data-testid="nats-connection-state">
          {describeStatus(status.state, status.profile, status.server)}
        </span>
        {live && (
          <button type="button" onClick={() => void disconnect()}>
            Disconnect
          </button>
        )}
      </div>
      {status.error && (
        <div className="nats-problem" role="alert">
          <strong>{PROBLEM_TITLES[status.error.kind]}:</strong> {status.error.message}
        </div>
      )}
      {editing ? (
        <ProfileForm profile={editing.profile} onDone={() => setEditing(null)} />
      ) : (
        <>
          <ul className="nats-profiles" aria-label="Connection profiles">
            {profiles.map((profile) => (
              <ProfileItem key={profile.name} profile={profile} current={status.profile === profile.name && live} onEdit={() => setEditing({ profile })} />
            ))}
          </ul>
          {profilesLoaded && profiles.length === 0 && <p className="muted nats-note">No profiles yet: add one with the address of a NATS server.</p>}
          <div className="nats-actions">
            <button type="button" onClick={() => setEditing({ profile: null })}>
              New profile
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ProfileItem({ profile, current, onEdit }: { profile: NatsProfileSummary; current: boolean; onEdit(): void }) {
  const connect = useNats((state) => state.connect);
  const deleteProfile = useNats((state) => state.deleteProfile);

  function remove() {
    if (window.confirm(`Delete the NATS profile "${profile.name}" and its stored secrets?`)) void deleteProfile(profile.name);
  }

  return (
    <li className={current ? 'current' : undefined} data-testid="nats-profile">
      <div className="nats-profile-text">
        <span className="nats-profile-name">{profile.name}</span>
        <span className="muted">{profile.servers.join(', ')}</span>
        <span className="muted">{authSummary(profile)}</span>
      </div>
      <div className="nats-profile-actions">
        <button type="button" onClick={() => void connect(profile.name)} aria-label={`Connect with ${profile.name}`} disabled={current}>
          Connect
        </button>
        <button type="button" onClick={onEdit} aria-label={`Edit ${profile.name}`}>
          Edit
        </button>
        <button type="button" onClick={remove} aria-label={`Delete ${profile.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
