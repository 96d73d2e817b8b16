import type { ComponentType } from 'react';
import { saveState } from '../document/save-state';
import { NatsStatusItem } from '../nats/NatsStatusItem';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';

/** Indicators other features put on the right of the status bar (connection states and the like). */
export const STATUS_ITEMS: ComponentType[] = [NatsStatusItem];

export function StatusBar() {
  const root = useProject((state) => state.project?.root ?? null);
  const docs = useEditor((state) => state.docs);
  const state = saveState(Object.values(docs));
  return (
    <footer className="statusbar" role="status" aria-label="Status">
      <span className="status-project" title={root ?? undefined}>
        {root ?? 'No project'}
      </span>
      <span className={`status-unsaved${state.tone === 'plain' ? '' : ` status-${state.tone}`}`} data-testid="save-state">
        {state.text}
      </span>
      <span className="status-spacer" />
      {STATUS_ITEMS.map((Item, index) => (
        <Item key={index} />
      ))}
    </footer>
  );
}
