import { useEffect, useState } from 'react';
import { registerCommand } from '../commands/registry';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';
import { askForProjectFolder, FOLDER_PROMPT_TITLES } from './open-folder';

type Prompt = { kind: 'new' } | { kind: 'rename' | 'duplicate'; path: string } | { kind: 'delete'; path: string } | { kind: 'open' | 'newProject' };

/** The project: its flows (create, rename, duplicate, delete), components and assets, and recent projects. */
export function ProjectTree() {
  const { project, recent, openFolder, newProject, createFlow, renameFlow, duplicateFlow, deleteFlow } = useProject();
  const open = useEditor((state) => state.open);
  const active = useEditor((state) => state.active);
  const [prompt, setPrompt] = useState<Prompt | null>(null);

  useEffect(() => {
    const unregister = [
      registerCommand('promptOpenFolder', () => setPrompt({ kind: 'open' })),
      registerCommand('promptNewProject', () => setPrompt({ kind: 'newProject' })),
    ];
    return () => unregister.forEach((undo) => undo());
  }, []);

  return (
    <nav className="sidebar" aria-label="Project">
      <div className="tree-section">
        <h2>
          Flows
          <button type="button" className="icon" aria-label="New flow" title="New flow" onClick={() => setPrompt({ kind: 'new' })}>
            +
          </button>
        </h2>
        <ul>
          {project?.flows.map((flow) => (
            <li key={flow.path} className="tree-flow">
              <button type="button" className={flow.path === active ? 'active' : ''} onClick={() => void open(flow.path)} title={flow.path}>
                {flow.title ?? flow.id ?? flow.path}
              </button>
              <span className="tree-actions">
                <button type="button" className="icon" aria-label={`Rename ${flow.path}`} title="Rename" onClick={() => setPrompt({ kind: 'rename', path: flow.path })}>
                  ✎
                </button>
                <button type="button" className="icon" aria-label={`Duplicate ${flow.path}`} title="Duplicate" onClick={() => setPrompt({ kind: 'duplicate', path: flow.path })}>
                  ⧉
                </button>
                <button type="button" className="icon" aria-label={`Delete ${flow.path}`} title="Delete" onClick={() => setPrompt({ kind: 'delete', path: flow.path })}>
                  🗑
                </button>
              </span>
            </li>
          ))}
        </ul>
      </div>
      {prompt && (
        <PromptForm
          prompt={prompt}
          onDone={(value) => {
            setPrompt(null);
            if (value === null) return;
            if (prompt.kind === 'new') void createFlow(value);
            else if (prompt.kind === 'rename') void renameFlow(prompt.path, value);
            else if (prompt.kind === 'duplicate') void duplicateFlow(prompt.path, value);
            else if (prompt.kind === 'delete') void deleteFlow(prompt.path);
            else if (prompt.kind === 'open') void openFolder(value);
            else void newProject(value);
          }}
        />
      )}
      <div className="tree-section">
        <h2>Components</h2>
        <ul>
          {project?.components.map((component) => (
            <li key={component.id} className="muted" title={component.manifestPath ?? 'pack.yaml'}>
              {component.name ?? component.id}
            </li>
          ))}
          {project?.components.length === 0 && <li className="muted">none</li>}
        </ul>
      </div>
      <div className="tree-section">
        <h2>Assets</h2>
        <ul>
          {project?.assets.map((asset) => (
            <li key={asset} className="muted">
              {asset.replace(/^assets\//, '')}
            </li>
          ))}
          {project?.assets.length === 0 && <li className="muted">none</li>}
        </ul>
      </div>
      <div className="tree-section">
        <h2>Projects</h2>
        <div className="route-actions">
          <button type="button" onClick={() => void askForProjectFolder('open')}>
            Open folder…
          </button>
          <button type="button" onClick={() => void askForProjectFolder('newProject')}>
            New project…
          </button>
        </div>
        <ul aria-label="Recent projects">
          {recent
            .filter((entry) => entry.root !== project?.root)
            .map((entry) => (
              <li key={entry.root}>
                <button type="button" className="recent-project" title={entry.root} onClick={() => void openFolder(entry.root)}>
                  <span className="recent-project-name">{entry.name}</span>
                  <span className="recent-project-path muted">{entry.root}</span>
                </button>
              </li>
            ))}
        </ul>
      </div>
    </nav>
  );
}

const PROMPTS: Record<Prompt['kind'], { title: string; action: string; placeholder: string }> = {
  new: { title: 'New flow name', action: 'Create', placeholder: 'orders' },
  rename: { title: 'New name', action: 'Rename', placeholder: 'orders' },
  duplicate: { title: 'Name of the copy', action: 'Duplicate', placeholder: 'orders-copy' },
  delete: { title: 'Delete this flow and its sidecars?', action: 'Delete', placeholder: '' },
  open: { title: FOLDER_PROMPT_TITLES.open, action: 'Open', placeholder: '/path/to/project' },
  newProject: { title: FOLDER_PROMPT_TITLES.newProject, action: 'Create', placeholder: '/path/to/new-project' },
};

function PromptForm({ prompt, onDone }: { prompt: Prompt; onDone: (value: string | null) => void }) {
  const spec = PROMPTS[prompt.kind];
  const initial = 'path' in prompt && prompt.kind !== 'delete' ? prompt.path.replace(/^.*\//, '').replace(/\.ygtc$/, '') + (prompt.kind === 'duplicate' ? '-copy' : '') : '';
  const [value, setValue] = useState(initial);
  return (
    <form
      className="tree-prompt"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onDone(null);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        onDone(prompt.kind === 'delete' ? '' : value.trim() || null);
      }}
    >
      <label className="field">
        <span className="field-label">{spec.title}</span>
        {prompt.kind !== 'delete' && <input aria-label={spec.title} autoFocus value={value} placeholder={spec.placeholder} onChange={(e) => setValue(e.target.value)} />}
      </label>
      <div className="route-actions">
        <button type="submit">{spec.action}</button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
