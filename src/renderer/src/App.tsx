import { lazy, Suspense, useEffect } from 'react';
import { Group, Panel, useDefaultLayout, usePanelRef } from 'react-resizable-panels';
import { studio } from './api/studio';
import { FlowCanvas } from './canvas/FlowCanvas';
import { ChatPanel } from './chat/ChatPanel';
import { useBreakpoints } from './debug/breakpoint-store';
import { isPaused } from './debug/debug-store';
import { DocumentBanners } from './document/DocumentBanners';
import { SaveBrokenDialog } from './document/SaveBrokenDialog';
import { FindBar } from './find/FindBar';
import { Inspector } from './inspector/Inspector';
import { Palette } from './palette/Palette';
import { ProjectTree } from './projects/ProjectTree';
import { Tabs } from './projects/Tabs';
import { HelpOverlay } from './shortcuts/HelpOverlay';
import { ACTIONS } from './shell/actions';
import { PanelBoundary } from './shell/PanelBoundary';
import { PanelSeparator, useFocusMode } from './shell/panels';
import { SkipLink } from './shell/SkipLink';
import { StatusBar } from './shell/StatusBar';
import { EXTRA_WORKSPACES } from './shell/workspaces';
import { WorkspaceTabs } from './shell/WorkspaceTabs';
import { handleShortcut } from './shortcuts/shortcuts';
import { useTraceFile } from './chat/trace-file-store';
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
    if (!activePath) return;
    void useBreakpoints.getState().show(activePath);
    // A paused turn outlives a look at another flow (a frame of its call stack, say).
    if (!isPaused()) void startChat({ flowPath: activePath });
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
          <PanelBoundary name={`${extra.label} workspace`}>
            <extra.component />
          </PanelBoundary>
        </section>
      ) : (
        <FlowsWorkspace />
      )}
      <StatusBar />
      <SaveBrokenDialog />
      <HelpOverlay />
    </div>
  );
}

function FlowsWorkspace() {
  const project = useProject((state) => state.project);
  const projectError = useProject((state) => state.error);
  const view = useEditor((state) => state.view);
  const doc = useActiveDocument();
  const live = useRunHighlight();
  const traced = useTraceFile((state) => state.highlight);
  const run = traced ?? live;
  const columns = useDefaultLayout({ id: 'flows-columns', storage: localStorage });
  const side = useDefaultLayout({ id: 'flows-side', storage: localStorage });
  const left = usePanelRef();
  const right = usePanelRef();
  useFocusMode(left, right);
  return (
    <Group id="flows-columns" className="flows-columns" defaultLayout={columns.defaultLayout} onLayoutChanged={columns.onLayoutChanged}>
      <Panel id="left" panelRef={left} className="left-panel" defaultSize={230} minSize={170} collapsible aria-label="Project">
        <PanelBoundary name="project tree">
          <ProjectTree />
        </PanelBoundary>
        <PanelBoundary name="palette">
          <Palette />
        </PanelBoundary>
      </Panel>
      <PanelSeparator label="Resize the project panel" />
      <Panel id="center" className="workspace" minSize={320}>
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
              {view !== 'yaml' && (
                <PanelBoundary name="canvas" resetKey={doc.path}>
                  <FlowCanvas key={doc.path} doc={doc} highlight={run.flowPath === doc.path ? run : null} />
                </PanelBoundary>
              )}
              {view !== 'canvas' && (
                <PanelBoundary name="YAML view" resetKey={doc.path}>
                  <Suspense fallback={<div className="empty">Loading the YAML view…</div>}>
                    <YamlView doc={doc} />
                  </Suspense>
                </PanelBoundary>
              )}
            </div>
          </>
        ) : (
          <div className="empty">No flow open</div>
        )}
      </Panel>
      <PanelSeparator label="Resize the inspector and webchat panel" />
      <Panel id="right" panelRef={right} className="side-panel" defaultSize={400} minSize={280} collapsible aria-label="Inspector and webchat">
        <Group id="flows-side" orientation="vertical" defaultLayout={side.defaultLayout} onLayoutChanged={side.onLayoutChanged}>
          {doc && (
            <>
              <Panel id="inspector" className="inspector-panel" defaultSize="40%" minSize={80} collapsible>
                <PanelBoundary name="inspector" resetKey={doc.path}>
                  <Inspector doc={doc} />
                </PanelBoundary>
              </Panel>
              <PanelSeparator label="Resize the inspector" />
            </>
          )}
          <Panel id="live-test" className="live-test-panel" minSize={160}>
            <PanelBoundary name="webchat">
              <ChatPanel />
            </PanelBoundary>
          </Panel>
        </Group>
      </Panel>
    </Group>
  );
}
