import { useEffect, useState } from 'react';
import { studio } from '../api/studio';
import { messageOf } from '../store/errors';

const MAX_SECONDS = 24 * 60 * 60;

/** How long a turn may stay paused before it ends by itself (the session then stays as before the turn). */
export function PauseTimeoutField() {
  const [seconds, setSeconds] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    studio.getDebugSettings({}).then(
      (settings) => {
        if (!live) return;
        const value = Math.round(settings.pausedTurnTimeoutMs / 1000);
        setSeconds(value);
        setDraft(String(value));
      },
      (error: unknown) => live && setFailure(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  const problem = /^\d+$/.test(draft.trim()) && Number(draft) >= 1 && Number(draft) <= MAX_SECONDS ? null : `a whole number of seconds from 1 to ${MAX_SECONDS}`;
  async function commit() {
    if (problem || seconds === null || Number(draft) === seconds) return;
    try {
      const settings = await studio.setDebugSettings({ pausedTurnTimeoutMs: Number(draft) * 1000 });
      setSeconds(Math.round(settings.pausedTurnTimeoutMs / 1000));
      setFailure(null);
      setSaved(true);
    } catch (error) {
      setFailure(messageOf(error));
    }
  }

  if (seconds === null && !failure) return null;
  return (
    <label className="field pause-timeout">
      <span className="field-label">A paused turn ends by itself after (seconds)</span>
      <input
        type="text"
        inputMode="numeric"
        value={draft}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          setSaved(false);
        }}
        onBlur={() => void commit()}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void commit();
          else if (event.key === 'Escape' && seconds !== null) setDraft(String(seconds));
        }}
      />
      {saved && seconds !== null && (
        <span className="muted" role="status" data-testid="pause-timeout-saved">
          Saved: paused turns now end after {seconds} s.
        </span>
      )}
      {(problem ?? failure) && (
        <span className="field-problem" role="alert">
          {problem ?? failure}
        </span>
      )}
    </label>
  );
}
