import { useUi } from '../store/ui-store';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay() {
  const open = useUi((state) => state.helpOpen);
  const toggle = useUi((state) => state.toggleHelp);
  if (!open) return null;
  return (
    <div className="dialog-backdrop" onClick={toggle} onKeyDown={(event) => event.key === 'Escape' && toggle()} role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(event) => event.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.keys}>
                <td>
                  <kbd>{shortcut.keys}</kbd>
                </td>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" onClick={toggle} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
