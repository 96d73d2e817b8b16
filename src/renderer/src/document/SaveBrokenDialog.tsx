import { useRef } from 'react';
import { useModal } from '../pack/use-modal';
import { useEditor } from '../store/editor-store';
import type { FlowDocument } from './flow-document';

/** Asked before a flow whose YAML does not parse is written: the file on disk would not load. */
export function SaveBrokenDialog() {
  const path = useEditor((state) => state.confirmingSave);
  const doc = useEditor((state) => (path ? state.docs[path] : undefined));
  // Mounted only while asking: a modal owns the keyboard for as long as it is mounted.
  return path && doc ? <SaveBrokenQuestion path={path} doc={doc} /> : null;
}

function SaveBrokenQuestion({ path, doc }: { path: string; doc: FlowDocument }) {
  const save = useEditor((state) => state.save);
  const cancel = useEditor((state) => state.cancelSave);
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useModal(dialog, cancel);
  const first = doc.diagnostics.find((d) => d.severity === 'error');
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="save-broken-title" aria-describedby="save-broken-text" ref={dialog} onKeyDown={onKeyDown}>
        <h3 id="save-broken-title">Save {path} with YAML that does not parse?</h3>
        <p id="save-broken-text">
          {first ? `Line ${first.range.line}: ${first.message}. ` : ''}The file would not load in the runner or in <code>greentic-studio validate</code>. Your
          text stays in the editor (and in its crash copy) either way.
        </p>
        <div className="dialog-actions">
          <button type="button" autoFocus onClick={cancel}>
            Keep editing
          </button>
          <button type="button" onClick={() => void save(path, { anyway: true })}>
            Save anyway
          </button>
        </div>
      </div>
    </div>
  );
}
