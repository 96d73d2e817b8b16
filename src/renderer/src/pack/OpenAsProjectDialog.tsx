import { useRef, useState } from 'react';
import type { PackInspection } from '../../../shared/api';
import { studio } from '../api/studio';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';
import { useUi } from '../store/ui-store';
import { useHostInfo } from '../shell/host';
import { joinPath } from './paths';
import { problemOf } from './pack-store';
import { useModal } from './use-modal';

/** "Open as project": unpack the pack into a new folder and open that folder in the flow editor. */
export function OpenAsProjectDialog({ path, inspection, onClose }: { path: string; inspection: PackInspection; onClose: () => void }) {
  const host = useHostInfo();
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useModal(dialog, onClose);
  const [folder, setFolder] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const suggested = host ? joinPath(host.homeDir, `${inspection.pack_id}-project`) : '';
  const target = (folder ?? suggested).trim();

  async function choose() {
    const picked = await studio.pickPath({ kind: 'folder', title: 'Folder for the new project', defaultPath: target || undefined }).catch(() => null);
    if (picked?.path) setFolder(picked.path);
  }

  async function unpack() {
    if (!target) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await studio.unpackPackToProject({ path, folder: target });
      await useProject.getState().openFolder(result.root);
      useUi.getState().setWorkspace('flows');
      if (result.warnings.length > 0) useEditor.getState().notify({ kind: 'info', text: `Unpacked ${inspection.pack_id}: ${result.warnings.join('; ')}` });
      onClose();
    } catch (error) {
      setProblem(problemOf(error).message);
      setBusy(false);
    }
  }

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="unpack-title" ref={dialog}>
        <h3 id="unpack-title">Open {inspection.pack_id} as a project</h3>
        <p className="muted">
          The flows, assets and components are written into a new or empty folder with a pack.yaml made from the manifest, and the folder opens in the flow
          editor.
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void unpack();
          }}
        >
          <label className="field">
            <span className="field-label">Project folder</span>
            <span className="pack-path-row">
              <input aria-label="Project folder" autoFocus value={folder ?? suggested} onChange={(event) => setFolder(event.target.value)} placeholder="/path/to/new-project" />
              {host?.nativeDialogs && (
                <button type="button" onClick={() => void choose()}>
                  Choose…
                </button>
              )}
            </span>
          </label>
          {problem && (
            <p className="banner error" role="alert">
              {problem}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy || !target}>
              {busy ? 'Unpacking…' : 'Unpack and open'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
