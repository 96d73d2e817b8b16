import type { DeleteStrategy } from '../../../shared/flow';

/** Asked when deleted nodes have predecessors: reconnect them to the successors, or just drop the routes. */
export function DeleteNodesDialog({ ids, onChoose }: { ids: string[]; onChoose: (strategy: DeleteStrategy | null) => void }) {
  const what = ids.length === 1 ? `node '${ids[0]}'` : `${ids.length} nodes`;
  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={(event) => event.key === 'Escape' && onChoose(null)}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="delete-title">
        <h3 id="delete-title">Delete {what}?</h3>
        <p>Other nodes route to {ids.length === 1 ? 'it' : 'them'}. Reconnect those routes to what follows, or remove them?</p>
        <div className="dialog-actions">
          <button type="button" autoFocus onClick={() => onChoose('splice')}>
            Delete and reconnect
          </button>
          <button type="button" onClick={() => onChoose('remove-only')}>
            Delete and remove routes
          </button>
          <button type="button" onClick={() => onChoose(null)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
