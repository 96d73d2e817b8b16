import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BotMessage } from '../../../shared/api';
import { useChat } from '../store/chat-store';

/** The live-test webchat: talks to the embedded runner through the contract, never computes replies itself. */
export function ChatPanel() {
  const { conversation, transcript, busy, error, send, restart } = useChat();
  const [draft, setDraft] = useState('');
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [transcript.length]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !conversation) return;
    setDraft('');
    void send(text);
  }

  return (
    <section className="chat" aria-label="Webchat">
      <header className="panel-header">
        <span>Webchat</span>
        <span className="muted">{conversation ? conversation.flowId : 'no conversation'}</span>
        <button type="button" onClick={() => void restart()} title="Start a new conversation">
          Restart
        </button>
      </header>
      <div className="chat-log" role="log" aria-live="polite">
        {transcript.map((entry) => (
          <div key={entry.key} className={`bubble ${entry.from}`} data-testid={entry.from === 'bot' ? 'bot-message' : 'user-message'}>
            {entry.from === 'user' ? entry.text : <BotMessageView message={entry.message} />}
          </div>
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
          placeholder={conversation ? 'Type a message and press Enter' : 'Starting…'}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={!conversation}
        />
        <button type="submit" disabled={!conversation || busy || draft.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}

function BotMessageView({ message }: { message: BotMessage }) {
  if (message.type === 'text') return <>{message.text}</>;
  return <pre className="card-json">{JSON.stringify(message.card, null, 2)}</pre>;
}
