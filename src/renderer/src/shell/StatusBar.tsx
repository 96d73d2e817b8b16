import type { ComponentType } from 'react';
import { isDirty } from '../document/flow-document';
import { NatsStatusItem } from '../nats/NatsStatusItem';
import { useEditor } from '../store/editor-store';
import { useProject } from '../store/project-store';

/** Indicators other features put on the right of the status bar (connection states and the like). */
export const STATUS_ITEMS: ComponentType[] = [NatsStatusItem];

export function StatusBar() {
  const root = useProject((state) => state.project?.root ?? null);
  const unsaved = useEditor((state) => Object.values(state.docs).filter(isDirty).length);
  return (
    <footer className="statusbar" role="status" aria-label="Status">
      <span className="status-project" title={root ?? undefined}>
        {root ?? 'No project'}
      </span>
      <span className="status-unsaved">{unsaved === 0 ? 'All changes saved' : `${unsaved} unsaved flow${unsaved === 1 ? '' : 's'}`}</span>
      <span className="status-spacer" />
      {STATUS_ITEMS.map((Item, index) => (
        <Item key={index} />
      ))}
    </footer>
  );
}
