import { useState, type FormEvent } from 'react';
import type { FlowEntry } from '../../../shared/api';
import { useProject } from '../store/project-store';
import { useChat } from '../store/chat-store';

const NO_FLOWS: readonly FlowEntry[] = [];

/** Which flow the conversation runs, as which tenant and user; restart and save-as-test. */
export function ChatSettingsBar() {
  const { settings, conversation, start, restart, saveTranscript, transcript } = useChat();
  const flows = useProject((state) => state.project?.flows ?? NO_FLOWS);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setEditing(false);
    void start({
      flowPath: String(form.get('flowPath') || '') || null,
      tenant: String(form.get('tenant') || 'demo'),
      user: String(form.get('user') || 'designer'),
    });
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
        <button type="button" className="link muted" onClick={() => setEditing(!editing)} title="Choose flow, tenant and user">
          {conversation ? `${conversation.flowId} · ${conversation.tenant} · ${conversation.user}` : 'no conversation'}
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
