import { useState } from 'react';
import type { ProgressEvent } from '../../../shared/api';
import { studio } from '../api/studio';
import { CredentialFields, credentialParams } from '../registry/CredentialFields';
import { registryFailure } from '../registry/registry-failure';
import { useProject } from '../store/project-store';

type Status = { kind: 'idle' } | { kind: 'pulling'; progress: ProgressEvent | null } | { kind: 'added'; id: string; pinned: string } | { kind: 'failed'; title: string; message: string };

/** Adds a component by its `oci://` reference: pulled into the cache, listed in pack.yaml, pinned in the lock. */
export function RegistryAdd() {
  const refresh = useProject((state) => state.refresh);
  const [ref, setRef] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  async function add() {
    setStatus({ kind: 'pulling', progress: null });
    const stop = studio.on('progress', (event) => {
      if (event.task === 'registry.pull') setStatus({ kind: 'pulling', progress: event });
    });
    try {
      const added = await studio.addRegistryComponent({ ref: ref.trim(), ...credentialParams(username, password) });
      setStatus({ kind: 'added', id: added.component.id, pinned: added.pinned });
      setRef('');
      await refresh();
    } catch (error) {
      setStatus({ kind: 'failed', ...registryFailure(error, 'Could not add the component') });
    } finally {
      stop();
    }
  }

  const busy = status.kind === 'pulling';
  return (
    <form
      className="palette-registry"
      aria-label="Add a component from a registry"
      onSubmit={(event) => {
        event.preventDefault();
        if (ref.trim()) void add();
      }}
    >
      <h3>From a registry</h3>
      <input type="text" aria-label="Component reference" placeholder="oci://host/repo:tag" value={ref} onChange={(e) => setRef(e.target.value)} disabled={busy} />
      <CredentialFields username={username} password={password} onUsername={setUsername} onPassword={setPassword} />
      <button type="submit" disabled={busy || !ref.trim()}>
        {busy ? 'Pulling…' : 'Add component'}
      </button>
      <p className="palette-registry-status" role="status" data-testid="registry-status">
        {status.kind === 'pulling' && (status.progress && status.progress.total > 0 ? `Pulling… ${Math.round((status.progress.done / status.progress.total) * 100)}%` : 'Pulling…')}
        {status.kind === 'added' && `Added ${status.id}, pinned as ${status.pinned}`}
      </p>
      {status.kind === 'failed' && (
        <p className="palette-registry-error" role="alert" data-testid="registry-error">
          <strong>{status.title}:</strong> {status.message}
        </p>
      )}
    </form>
  );
}
