import { isDirty } from '../document/flow-document';
import { useEditor } from '../store/editor-store';

/** One tab per open flow, with a dirty marker until its edits are on disk; Delete or × closes one. */
export function Tabs() {
  const tabs = useEditor((state) => state.tabs);
  const docs = useEditor((state) => state.docs);
  const active = useEditor((state) => state.active);
  const activate = useEditor((state) => state.activate);
  const closeTab = useEditor((state) => state.closeTab);
  return (
    <div className="tabs" role="tablist" aria-label="Open flows">
      {tabs.map((path) => {
        const doc = docs[path];
        const dirty = doc ? isDirty(doc) : false;
        return (
          <div key={path} role="presentation" className={`tab${path === active ? ' active' : ''}`} data-testid="tab" data-path={path} data-dirty={dirty}>
            <button
              type="button"
              role="tab"
              aria-selected={path === active}
              onClick={() => activate(path)}
              onKeyDown={(event) => event.key === 'Delete' && closeTab(path)}
              title={`${path} (Delete closes it)`}
            >
              {path.replace(/^.*\//, '')}
              {dirty && (
                <span className="dirty-marker" aria-label="unsaved changes">
                  ●
                </span>
              )}
            </button>
            {/* A tab list holds only tabs: from the keyboard a tab closes with Delete. */}
            <button type="button" className="tab-close" aria-hidden="true" tabIndex={-1} title={`Close ${path}`} onClick={() => closeTab(path)}>
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
