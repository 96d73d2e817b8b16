import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BotMessage } from '../../../shared/api';
import { useChat, type TranscriptEntry } from '../store/chat-store';
import { AdaptiveCardView } from './AdaptiveCardView';
import { ChatSettingsBar } from './ChatSettingsBar';
import { RunInspector } from './RunInspector';
import './chat.css';

/** The live-test panel: webchat against the embedded runner (or a remote one over NATS), with the run's trace and session below. */
export function ChatPanel() {
  return (
    <div className="live-test">
      <WebChat />
      <RunInspector />
    </div>
  );
}

function WebChat() {
  const { conversation, remote, transcript, busy, error, send, submit } = useChat();
  const ready = conversation !== null || remote !== null;
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
          <TranscriptItem key={entry.key} entry={entry} busy={busy || answered(transcript, index)} onSubmit={(data, title) => void submit(data, title)} />
        ))}
        {error && (
          <div className="bubble error" role="alert">
            {error}
          </div>
        )}
        <div ref={endRef} />
      </div>
      <form className="chat-input" onSubmit={onSubmit}>
        <input
          aria-label="Message"
          placeholder={ready ? 'Type a message and press Enter' : 'Starting…'}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={!ready}
        />
        <button type="submit" disabled={!ready || busy || draft.trim() === ''}>
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

function TranscriptItem({ entry, busy, onSubmit }: { entry: TranscriptEntry; busy: boolean; onSubmit(data: Record<string, unknown>, title?: string): void }) {
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
  return (
    <div className={`bubble bot${entry.message.type === 'adaptive_card' ? ' card' : ''}`} data-testid="bot-message">
      <BotMessageView message={entry.message} busy={busy} onSubmit={onSubmit} />
    </div>
  );
}

function BotMessageView({ message, busy, onSubmit }: { message: BotMessage; busy: boolean; onSubmit(data: Record<string, unknown>, title?: string): void }) {
  if (message.type === 'text') return <>{message.text}</>;
  return <AdaptiveCardView card={message.card} onSubmit={onSubmit} disabled={busy} />;
}
