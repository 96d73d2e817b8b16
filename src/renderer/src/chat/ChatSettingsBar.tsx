import { useState, type FormEvent } from 'react';
import type { FlowEntry } from '../../../shared/api';
import { KNOWN_PLATFORMS } from '../../../shared/nats/subjects';
import { useProject } from '../store/project-store';
import { useChat, type ChatSettings, type ChatTarget } from '../store/chat-store';

const NO_FLOWS: readonly FlowEntry[] = [];

/** Which runner answers (embedded, or remote over NATS), which flow or NATS scope, as which tenant and user; restart and save-as-test. */
export function ChatSettingsBar() {
  const { settings, conversation, remote, start, restart, saveTranscript, transcript } = useChat();
  const flows = useProject((state) => state.project?.flows ?? NO_FLOWS);
  const [editing, setEditing] = useState(false);
  const [target, setTarget] = useState<ChatTarget>(settings.target);
  const [notice, setNotice] = useState<string | null>(null);

  function toggleEditing() {
    setTarget(settings.target);
    setEditing(!editing);
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string, fallback: string) => String(form.get(name) || fallback);
    setEditing(false);
    const common = { target, tenant: text('tenant', 'demo'), user: text('user', 'designer') };
    void start(
      target === 'remote'
        ? { ...common, env: text('env', 'dev'), team: text('team', 'default'), platform: text('platform', 'webchat') as ChatSettings['platform'] }
        : { ...common, flowPath: String(form.get('flowPath') || '') || null },
    );
  }

  async function saveAsTest() {
    const flowName = (conversation?.flowPath.split('/').pop() ?? 'flow').replace(/\.ygtc$/, '');
    const suggested = `tests/${flowName}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.yaml`;
    const path = window.prompt('Save this conversation as a transcript test (project-relative path):', suggested);
    if (!path) return;
    try {
      setNotice(`saved ${await saveTranscript(path)}`);
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <div className="chat-settings">
      <header className="panel-header">
        <span>Webchat</span>
        <button type="button" className="link muted" onClick={toggleEditing} title="Choose the runner, flow, tenant and user">
          {remote
            ? `NATS · ${remote.env}/${remote.tenant}/${remote.team} · ${remote.user}`
            : conversation
              ? `${conversation.flowId} · ${conversation.tenant} · ${conversation.user}`
              : 'no conversation'}
        </button>
        <button type="button" onClick={() => void saveAsTest()} disabled={!conversation || transcript.length === 0} title="Save this conversation as a transcript test">
          Save as test
        </button>
        <button type="button" onClick={() => void restart()} title="Forget the session and start again">
          Restart
        </button>
      </header>
      {notice && (
        <div className="chat-notice" role="status" onClick={() => setNotice(null)}>
          {notice}
        </div>
      )}
      {editing && (
        <form className="chat-settings-form" onSubmit={apply} aria-label="Conversation settings">
          <label className="chat-settings-wide">
            Runner
            <select name="target" aria-label="Runner" value={target} onChange={(event) => setTarget(event.target.value as ChatTarget)}>
              <option value="embedded">Embedded runner</option>
              <option value="remote">Remote runner over NATS</option>
            </select>
          </label>
          {target === 'embedded' ? (
            <label>
              Flow
              <select name="flowPath" defaultValue={settings.flowPath ?? conversation?.flowPath ?? ''}>
                {flows.map((flow) => (
                  <option key={flow.path} value={flow.path}>
                    {flow.id ?? flow.path}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <>
              <label>
                Env
                <input name="env" defaultValue={settings.env} pattern="[A-Za-z0-9_-]+" required />
              </label>
              <label>
                Team
                <input name="team" defaultValue={settings.team} pattern="[A-Za-z0-9_-]+" required />
              </label>
              <label>
                Platform
                <select name="platform" aria-label="Platform" defaultValue={settings.platform}>
                  {KNOWN_PLATFORMS.map((platform) => (
                    <option key={platform}>{platform}</option>
                  ))}
                </select>
              </label>
            </>
          )}
          <label>
            Tenant
            <input name="tenant" defaultValue={settings.tenant} pattern="[A-Za-z0-9._-]+" required />
          </label>
          <label>
            User
            <input name="user" defaultValue={settings.user} pattern="[A-Za-z0-9._@-]+" required />
          </label>
          <button type="submit">Start</button>
        </form>
      )}
    </div>
  );
}
