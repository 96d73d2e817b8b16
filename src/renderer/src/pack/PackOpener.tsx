import { useEffect, useState } from 'react';
import { browseForPack } from './browse';
import { useHostInfo } from '../shell/host';
import { usePack } from './pack-store';

/** Open a `.gtpack`: a native dialog in the desktop app, a path field everywhere, the recent packs, a drop. */
export function PackOpener({ compact }: { compact: boolean }) {
  const host = useHostInfo();
  const open = usePack((state) => state.open);
  const recent = usePack((state) => state.recent);
  const loadRecent = usePack((state) => state.loadRecent);
  const [path, setPath] = useState('');

  useEffect(() => {
    void loadRecent();
  }, [loadRecent]);

  return (
    <div className={compact ? 'pack-opener compact' : 'pack-opener'}>
      {host?.nativeDialogs && (
        <button type="button" className="primary" onClick={() => void browseForPack()}>
          Open pack…
        </button>
      )}
      <form
        className="pack-path-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) void open(path.trim());
        }}
      >
        <input aria-label="Pack file path" placeholder="/path/to/pack.gtpack" value={path} onChange={(event) => setPath(event.target.value)} />
        <button type="submit" disabled={!path.trim()}>
          Open
        </button>
      </form>
      {!compact && recent.length > 0 && (
        <nav className="pack-recent" aria-label="Recent packs">
          <h3>Recent packs</h3>
          <ul>
            {recent.map((entry) => (
              <li key={entry.path}>
                <button type="button" className="link" title={entry.path} onClick={() => void open(entry.path)}>
                  {entry.name}
                </button>
                <span className="muted"> {entry.path}</span>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {compact && recent.length > 0 && (
        <select
          aria-label="Recent packs"
          value=""
          onChange={(event) => {
            if (event.target.value) void open(event.target.value);
          }}
        >
          <option value="">Recent…</option>
          {recent.map((entry) => (
            <option key={entry.path} value={entry.path} title={entry.path}>
              {entry.name} — {entry.path.replace(/^.*[\\/]/, '')}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
