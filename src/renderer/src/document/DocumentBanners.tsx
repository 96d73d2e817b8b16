import { current, type FlowDocument } from './flow-document';
import { useEditor } from '../store/editor-store';

/** What the user must know about the open flow: recovered edits, changes on disk, text that does not parse. */
export function DocumentBanners({ doc }: { doc: FlowDocument }) {
  const { recoverDraft, discardDraft, reloadFromDisk, keepMine, notice, notify } = useEditor();
  const firstError = doc.diagnostics.find((d) => d.severity === 'error');
  return (
    <>
      {doc.draft !== null && (
        <div className="banner warning" role="status" data-testid="draft-banner">
          Unsaved edits of this flow were found from an earlier session.
          <button type="button" onClick={() => recoverDraft(doc.path)}>
            Recover them
          </button>
          <button type="button" onClick={() => discardDraft(doc.path)}>
            Discard
          </button>
        </div>
      )}
      {doc.diskText !== null && (
        <div className="banner warning" role="alert" data-testid="conflict-banner">
          This flow was changed on disk by another program while you have unsaved edits.
          <button type="button" onClick={() => reloadFromDisk(doc.path)}>
            Load the disk version
          </button>
          <button type="button" onClick={() => keepMine(doc.path)}>
            Keep mine
          </button>
        </div>
      )}
      {!doc.parses && (
        <div className="banner error" role="status" data-testid="text-errors">
          The YAML has errors{firstError ? ` (line ${firstError.range.line}: ${firstError.message})` : ''}; the canvas shows the last valid state.
        </div>
      )}
      {notice && (
        <div className={`banner ${notice.kind === 'error' ? 'error' : 'info'}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          {notice.text}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => notify(null)}>
            ×
          </button>
        </div>
      )}
      {current(doc).text.length === 0 && <div className="banner info">This flow file is empty.</div>}
    </>
  );
}
