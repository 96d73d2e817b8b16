import { useState } from 'react';
import { studio } from '../../api/studio';
import { CredentialFields, credentialParams } from '../../registry/CredentialFields';
import { registryFailure } from '../../registry/registry-failure';

type Status = { kind: 'idle' } | { kind: 'pushing' } | { kind: 'published'; pinned: string } | { kind: 'failed'; title: string; message: string };

/** Publish the pack just written to an OCI registry, as one layer holding its bytes. */
export function PublishPanel({ path }: { path: string }) {
  const [ref, setRef] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  async function publish() {
    setStatus({ kind: 'pushing' });
    try {
      const pushed = await studio.publishPack({ path, ref: ref.trim(), ...credentialParams(username, password) });
      setStatus({ kind: 'published', pinned: pushed.pinned });
    } catch (error) {
      setStatus({ kind: 'failed', ...registryFailure(error, 'Could not publish the pack') });
    }
  }

  return (
    // Not a <form>: the export dialog around it is one already.
    <section className="export-publish" aria-label="Publish to a registry">
      <h3>Publish</h3>
      <input type="text" aria-label="Registry reference" placeholder="oci://host[:port]/repo:tag" value={ref} onChange={(e) => setRef(e.target.value)} />
      <CredentialFields username={username} password={password} onUsername={setUsername} onPassword={setPassword} />
      <button type="button" disabled={status.kind === 'pushing' || !ref.trim()} onClick={() => void publish()}>
        {status.kind === 'pushing' ? 'Publishing…' : 'Publish'}
      </button>
      <p role="status" data-testid="publish-status">
        {status.kind === 'published' && `Published as ${status.pinned}`}
      </p>
      {status.kind === 'failed' && (
        <p className="field-problem" role="alert" data-testid="publish-error">
          <strong>{status.title}:</strong> {status.message}
        </p>
      )}
    </section>
  );
}
