import { useEffect, useMemo, useState } from 'react';
import type { PackEntryContent, PackInspection } from '../../../shared/api';
import { studio } from '../api/studio';
import { AdaptiveCardView } from '../chat/AdaptiveCardView';
import { JsonView } from '../chat/JsonView';
import { formatBytes } from './format';
import { problemOf } from './pack-store';

/** Files that describe or sign the pack, or that other tabs show; everything else is an asset. */
const NOT_ASSETS = /^(manifest\.cbor|manifest\.json|sbom\.(cbor|json)|provenance\.json|pack\.lock\.cbor|signatures\/.*|components\/.*|flows\/.*)$/;

/** Text beyond this is cut in the preview, so that a big file cannot freeze the view. */
const MAX_TEXT_SHOWN = 100_000;

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  svg: 'image/svg+xml',
};

export function PackAssets({ path, inspection }: { path: string; inspection: PackInspection }) {
  const assets = useMemo(() => inspection.entries.filter((entry) => !NOT_ASSETS.test(entry.path)), [inspection]);
  const [selected, setSelected] = useState(assets[0]?.path ?? null);
  if (assets.length === 0) return <p className="empty">This pack has no assets.</p>;
  const asset = assets.find((entry) => entry.path === selected) ?? assets[0];
  return (
    <div className="pack-split">
      <ul className="pack-list" aria-label="Assets">
        {assets.map((entry) => (
          <li key={entry.path}>
            <button type="button" aria-pressed={entry.path === asset?.path} onClick={() => setSelected(entry.path)} title={entry.path}>
              {entry.path}
              <span className="muted"> {formatBytes(entry.size)}</span>
            </button>
          </li>
        ))}
      </ul>
      {asset && <AssetPreview key={asset.path} path={path} entry={asset.path} />}
    </div>
  );
}

function AssetPreview({ path, entry }: { path: string; entry: string }) {
  const [content, setContent] = useState<PackEntryContent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    studio.readPackEntry({ path, entry }).then(
      (value) => live && setContent(value),
      (error: unknown) => live && setProblem(problemOf(error).message),
    );
    return () => {
      live = false;
    };
  }, [path, entry]);
  return (
    <section className="pack-detail pack-preview" aria-label={`Preview of ${entry}`}>
      <header className="pack-detail-header">
        <h3 className="pack-mono">{entry}</h3>
        {content && (
          <span className="muted">
            {formatBytes(content.size)}
            {content.media_type && ` · ${content.media_type}`}
          </span>
        )}
      </header>
      {problem ? <p className="field-problem">{problem}</p> : content ? <Preview content={content} /> : <p className="muted">Loading…</p>}
    </section>
  );
}

function Preview({ content }: { content: PackEntryContent }) {
  const extension = content.path.replace(/^.*\./, '').toLowerCase();
  const image = IMAGE_TYPES[extension];
  if (image) {
    // data: URLs are allowed for images by the studio's CSP (img-src 'self' data: blob:).
    const src = content.base64 !== null ? `data:${image};base64,${content.base64}` : content.text !== null ? `data:${image};charset=utf-8,${encodeURIComponent(content.text)}` : null;
    return src ? <img className="pack-image" src={src} alt={content.path} /> : <TooLarge content={content} />;
  }
  if (content.text === null) return content.base64 === null ? <TooLarge content={content} /> : <p className="muted">Binary file, no preview.</p>;
  const json = extension === 'json' ? parseJson(content.text) : undefined;
  if (json !== undefined) return <JsonPreview value={json} />;
  const shown = content.text.length > MAX_TEXT_SHOWN ? `${content.text.slice(0, MAX_TEXT_SHOWN)}\n… (${content.text.length - MAX_TEXT_SHOWN} more characters)` : content.text;
  return <pre className="json">{shown}</pre>;
}

function JsonPreview({ value }: { value: unknown }) {
  const isCard = typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';
  const [showJson, setShowJson] = useState(!isCard);
  return (
    <>
      {isCard && (
        <div className="segmented" role="group" aria-label="Preview as">
          <button type="button" aria-pressed={!showJson} onClick={() => setShowJson(false)}>
            Card
          </button>
          <button type="button" aria-pressed={showJson} onClick={() => setShowJson(true)}>
            JSON
          </button>
        </div>
      )}
      {isCard && !showJson ? (
        <div className="pack-card">
          <AdaptiveCardView card={value as Record<string, unknown>} onSubmit={() => undefined} disabled />
        </div>
      ) : (
        <JsonView value={value} />
      )}
    </>
  );
}

function TooLarge({ content }: { content: PackEntryContent }) {
  return <p className="muted">{formatBytes(content.size)}: too large to preview.</p>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
