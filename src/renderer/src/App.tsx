import { lazy, Suspense, useEffect } from 'react';
import { studio } from './api/studio';
import { FlowCanvas } from './canvas/FlowCanvas';
import { ChatPanel } from './chat/ChatPanel';
import { DocumentBanners } from './document/DocumentBanners';
import { FindBar } from './find/FindBar';
import { Inspector } from './inspector/Inspector';
import { Palette } from './palette/Palette';
import { ProjectTree } from './projects/ProjectTree';
import { Tabs } from './projects/Tabs';
import { HelpOverlay } from './shortcuts/HelpOverlay';
import { ACTIONS } from './shell/actions';
import { SkipLink } from './shell/SkipLink';
import { StatusBar } from './shell/StatusBar';
import { EXTRA_WORKSPACES } from './shell/workspaces';
import { WorkspaceTabs } from './shell/WorkspaceTabs';
import { handleShortcut } from './shortcuts/shortcuts';
import { useChat, useRunHighlight } from './store/chat-store';
import { useActiveDocument, useEditor } from './store/editor-store';
import { useProject } from './store/project-store';
import { useUi } from './store/ui-store';
import { Toolbar } from './Toolbar';

// Monaco is large: it loads when the YAML view first opens, not with the canvas.
const YamlView = lazy(() => import('./yaml/YamlView'));

export function App() {
  const project = useProject((state) => state.project);
  const projectError = useProject((state) => state.error);
  const openDefault = useProject((state) => state.openDefault);
  const activePath = useActiveDocument()?.path ?? null;
  const startChat = useChat((state) => state.start);
  const workspace = useUi((state) => state.workspace);
  const extra = EXTRA_WORKSPACES.find((entry) => entry.id === workspace);

  useEffect(() => {
    void openDefault();
  }, [openDefault]);

  useEffect(() => {
    if (activePath) void startChat({ flowPath: activePath });
  }, [activePath, startChat]);

  // No project to show (`serve` of a pack, which the banner explains): the webchat still talks to the runner.
  const noProject = useProject((state) => state.project === null && state.error !== null);
  useEffect(() => {
    if (noProject) void startChat();
  }, [noProject, startChat]);

  useEffect(() => {
    window.addEventListener('keydown', handleShortcut);
    const stopMenu = studio.on('menuCommand', ({ command }) => ACTIONS[command]());
    return () => {
      window.removeEventListener('keydown', handleShortcut);
      stopMenu();
    };
  }, []);

  return (
    <div className="app">
      <SkipLink />
      <header className="topbar">
        <span className="brand">Greentic Studio</span>
        <span className="project-name">{project?.name ?? (projectError ? 'No project open' : 'Opening project…')}</span>
        <WorkspaceTabs />
        {!extra && <Toolbar />}
      </header>
      {extra ? (
        <section className="workspace-full" aria-label={extra.label}>
          <extra.component />
        </section>
      ) : (
        <FlowsWorkspace />
      )}
      <StatusBar />
      <HelpOverlay />
    </div>
  );
}

function FlowsWorkspace() {
  const project = useProject((state) => state.project);
  const projectError = useProject((state) => state.error);
  const view = useEditor((state) => state.view);
  const doc = useActiveDocument();
  const run = useRunHighlight();
  return (
    <>
      <aside className="left-panel">
        <ProjectTree />
        <Palette />
      </aside>
      <main className="workspace">
        <Tabs />
        {projectError && !project && (
          <div className="banner error" role="alert">
            {projectError}
          </div>
        )}
        {doc ? (
          <>
            <DocumentBanners doc={doc} />
            <FindBar doc={doc} />
            <div className={`views views-${view}`}>
              {view !== 'yaml' && <FlowCanvas key={doc.path} doc={doc} highlight={run.flowPath === doc.path ? run : null} />}
              {view !== 'canvas' && (
                <Suspense fallback={<div className="empty">Loading the YAML view…</div>}>
                  <YamlView doc={doc} />
                </Suspense>
              )}
            </div>
          </>
        ) : (
          <div className="empty">No flow open</div>
        )}
      </main>
      <aside className="side-panel">
        {doc && <Inspector doc={doc} />}
        <ChatPanel />
      </aside>
    </>
  );
}
