import { useEffect } from 'react';
import { FlowCanvas } from './canvas/FlowCanvas';
import { ChatPanel } from './chat/ChatPanel';
import { useChat } from './store/chat-store';
import { useProject } from './store/project-store';

export function App() {
  const { project, activePath, view, error, openDefault, selectFlow } = useProject();
  const startChat = useChat((state) => state.start);

  useEffect(() => {
    void openDefault();
  }, [openDefault]);

  useEffect(() => {
    if (activePath) void startChat({ flowPath: activePath });
  }, [activePath, startChat]);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Greentic Studio</span>
        <span className="project-name">{project?.name ?? 'Opening project…'}</span>
      </header>
      <nav className="sidebar" aria-label="Flows">
        <h2>Flows</h2>
        <ul>
          {project?.flows.map((flow) => (
            <li key={flow.path}>
              <button
                type="button"
                className={flow.path === activePath ? 'active' : ''}
                onClick={() => void selectFlow(flow.path)}
                title={flow.path}
              >
                {flow.title ?? flow.id ?? flow.path}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="workspace">
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        {view?.problems.length ? (
          <div className="banner warning" role="status">
            {view.problems[0]}
            {view.problems.length > 1 ? ` (+${view.problems.length - 1} more)` : ''}
          </div>
        ) : null}
        {view ? <FlowCanvas graph={view.graph} start={view.start} /> : <div className="empty">No flow open</div>}
      </main>
      <aside className="side-panel">
        <ChatPanel />
      </aside>
    </div>
  );
}
