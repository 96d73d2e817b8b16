import { useEffect, useMemo, useState } from 'react';
import { runCommand } from '../commands/registry';
import type { FlowDocument } from '../document/flow-document';
import { useUi } from '../store/ui-store';
import { findNodes } from './search';

/** Find (Ctrl/Cmd+F): nodes by id, op key or payload text; Enter / Shift+Enter step through matches. */
export function FindBar({ doc }: { doc: FlowDocument }) {
  const open = useUi((state) => state.findOpen);
  const close = useUi((state) => state.closeFind);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const matches = useMemo(() => (doc.model ? findNodes(doc.model.ir, query) : []), [doc.model, query]);

  useEffect(() => setIndex(0), [query]);
  useEffect(() => {
    const id = matches[index];
    if (open && id) runCommand('revealNode', id);
  }, [open, matches, index]);

  if (!open) return null;
  const step = (by: number) => matches.length > 0 && setIndex((index + by + matches.length) % matches.length);
  return (
    <div className="find-bar" role="search">
      <input
        autoFocus
        aria-label="Find nodes"
        placeholder="Find by node id, op key or payload text"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') step(event.shiftKey ? -1 : 1);
          else if (event.key === 'Escape') close();
        }}
      />
      <span className="muted" data-testid="find-count">
        {matches.length === 0 ? (query ? 'no matches' : '') : `${index + 1} of ${matches.length}`}
      </span>
      <button type="button" aria-label="Previous match" onClick={() => step(-1)} disabled={matches.length === 0}>
        ↑
      </button>
      <button type="button" aria-label="Next match" onClick={() => step(1)} disabled={matches.length === 0}>
        ↓
      </button>
      <button type="button" aria-label="Close find" onClick={close}>
        ×
      </button>
    </div>
  );
}
