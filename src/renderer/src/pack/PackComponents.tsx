import type { PackInspection } from '../../../shared/api';
import { JsonView } from '../chat/JsonView';
import { capabilityPhrases, formatBytes, shortDigest } from './format';

/** The pack's components: what each implements, what it may do, and the wasm it ships. */
export function PackComponents({ inspection }: { inspection: PackInspection }) {
  const components = inspection.component_details;
  if (components.length === 0) return <p className="empty">The manifest lists no components.</p>;
  return (
    <div className="pack-table-wrap">
      <table className="pack-table" aria-label="Components">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">World</th>
            <th scope="col">Operations</th>
            <th scope="col">Capabilities</th>
            <th scope="col">Size</th>
            <th scope="col">BLAKE3</th>
          </tr>
        </thead>
        <tbody>
          {components.map((component) => (
            <tr key={component.id}>
              <td>
                <strong>{component.id}</strong>
                <div className="muted">
                  {component.version}
                  {component.supports.length > 0 && ` · ${component.supports.join(', ')}`}
                </div>
              </td>
              <td className="pack-mono">{component.world ?? '—'}</td>
              <td>{component.operations.length > 0 ? component.operations.join(', ') : '—'}</td>
              <td>
                {capabilityPhrases(component.capabilities).map((phrase) => (
                  <div key={phrase}>{phrase}</div>
                ))}
                {component.capabilities !== null && (
                  <details>
                    <summary className="muted">JSON</summary>
                    <JsonView value={component.capabilities} />
                  </details>
                )}
              </td>
              <td>{component.size === null ? <span className="muted">no wasm in the pack</span> : formatBytes(component.size)}</td>
              <td className="pack-mono" title={component.blake3 ?? undefined}>
                {shortDigest(component.blake3)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
