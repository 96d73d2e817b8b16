import { useUi } from '../store/ui-store';
import { EXTRA_WORKSPACES } from './workspaces';

export function WorkspaceTabs() {
  const workspace = useUi((state) => state.workspace);
  const setWorkspace = useUi((state) => state.setWorkspace);
  const tabs = [{ id: 'flows' as const, label: 'Flows', title: 'The flow editor' }, ...EXTRA_WORKSPACES];
  if (tabs.length === 1) return null;
  return (
    <nav className="segmented workspace-tabs" aria-label="Workspace">
      {tabs.map((tab) => (
        <button key={tab.id} type="button" aria-pressed={workspace === tab.id} title={tab.title} onClick={() => setWorkspace(tab.id)}>
          {tab.label}
        </button>
      ))}
    </nav>
  );
}
