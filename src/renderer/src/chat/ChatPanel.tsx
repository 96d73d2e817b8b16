import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Group, Panel, useDefaultLayout, usePanelRef } from 'react-resizable-panels';
import { useDebug } from '../debug/debug-store';
import { PanelSeparator } from '../shell/panels';
import { useChat, type TranscriptEntry } from '../store/chat-store';
import { BotReply, type ReplyActions } from './BotReply';
import { ChatSettingsBar } from './ChatSettingsBar';
import { RunInspector } from './RunInspector';
import './chat.css';

/** The run inspector's share of the column when enlarged, and as it starts. */
const ENLARGED_TRACE = '75%';
const DEFAULT_TRACE = '40%';

/** The live-test panel: webchat against the embedded runner (or a remote one over NATS), with the run's trace and session below. */
export function ChatPanel() {
  const layout = useDefaultLayout({ id: 'live-test', storage: localStorage });
  const inspector = usePanelRef();
  const [enlarged, setEnlarged] = useState(false);
  function toggleEnlarged() {
    inspector.current?.resize(enlarged ? DEFAULT_TRACE : ENLARGED_TRACE);
    setEnlarged(!enlarged);
  }
  return (
    <Group id="live-test" orientation="vertical" className="live-test" defaultLayout={layout.defaultLayout} onLayoutChanged={layout.onLayoutChanged}>
      <Panel id="webchat" className="live-test-part" minSize={140}>
        <WebChat />
      </Panel>
      <PanelSeparator label="Resize the webchat and the run inspector" />
      <Panel id="run-inspector" className="live-test-part" panelRef={inspector} defaultSize={DEFAULT_TRACE} minSize={90}>
        <RunInspector enlarged={enlarged} onEnlarge={toggleEnlarged} />
      </Panel>
    </Group>
  );
}

function WebChat() {
  const { conversation, remote, transcript, busy, error, send, submit } = useChat();
  const ready = conversation !== null || remote !== null;
  const paused = useDebug((state) => (state.paused && state.paused.conversationId === conversation?.conversationId ? state.paused : null));
  const [draft, setDraft] = useState('');
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [transcript.length]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !ready) return;
    setDraft('');
    void send(text);
  }

  return (
    <section className="chat" aria-label="Webchat">
      <ChatSettingsBar />
      <div className="chat-log" role="log" aria-live="polite">
        {transcript.map((entry, index) => (
          <TranscriptItem
            key={entry.key}
            entry={entry}
            actions={{ busy: busy || answered(transcript, index), onSend: (text) => void send(text), onSubmit: (data, title) => void submit(data, title) }}
          />
        ))}
        {error && (
          <div className="bubble error" role="alert">
            {error}
          </div>
        )}
        <div ref={endRef} />
      </div>
      {paused && (
        <div className="chat-paused" role="status" data-testid="chat-paused">
          Paused before <code>{paused.nodeId}</code>: continue (F5), step (F10) or stop (Shift+F5) in the Debug panel.
        </div>
      )}
      <form className="chat-input" onSubmit={onSubmit}>
        <input
          aria-label="Message"
          placeholder={paused ? 'The turn is paused in the debugger' : ready ? 'Type a message and press Enter' : 'Starting…'}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={!ready || paused !== null}
        />
        <button type="submit" disabled={!ready || busy || paused !== null || draft.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}

/** A card the user has answered (or talked past): something they sent comes after it. */
function answered(transcript: readonly TranscriptEntry[], index: number): boolean {
  return transcript.slice(index + 1).some((entry) => entry.from === 'user');
}

function TranscriptItem({ entry, actions }: { entry: TranscriptEntry; actions: ReplyActions }) {
  if (entry.from === 'user') {
    return (
      <div className="bubble user" data-testid="user-message">
        {entry.text}
      </div>
    );
  }
  if (entry.from === 'system') {
    return (
      <div className={`bubble system ${entry.tone}`} data-testid="system-message" role={entry.tone === 'error' ? 'alert' : undefined}>
        {entry.text}
      </div>
    );
  }
  return <BotReply message={entry.message} actions={actions} />;
}
