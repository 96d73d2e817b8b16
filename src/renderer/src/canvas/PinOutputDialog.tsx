import { useState, type KeyboardEvent } from 'react';
import { parseJson } from '../json/parse-json';
import { usePins } from '../store/pin-store';
import { JsonTextField } from './JsonTextField';

interface PinOutputDialogProps {
  nodeId: string;
  /** The JSON the editor starts with, and where it comes from (shown to the user). */
  initial: { value: unknown; source: 'pin' | 'trace' | 'empty' };
  onClose: () => void;
}

const SOURCE_NOTE = {
  pin: 'Editing the output pinned now.',
  trace: "Prefilled with the node's last output in the run trace.",
  empty: 'The node has not produced an output in this session yet.',
} as const;

/**
 * Edits a node's pinned output as JSON: checked as it is typed, saved only when it parses. The
 * runner then returns it instead of running the node; it lives beside the flow, never in the flow.
 */
export function PinOutputDialog({ nodeId, initial, onClose }: PinOutputDialogProps) {
  const pin = usePins((state) => state.pin);
  const [text, setText] = useState(() => JSON.stringify(initial.value, null, 2));
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const parsed = parseJson(text, 'the output');

  async function save() {
    if (!parsed.ok || saving) return;
    setSaving(true);
    setFailure(null);
    try {
      await pin(nodeId, parsed.value);
      onClose();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  }

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <div className="dialog json-dialog" role="dialog" aria-modal="true" aria-labelledby="pin-title">
        <h3 id="pin-title">
          Pinned output of <code>{nodeId}</code>
        </h3>
        <p className="muted">
          The studio&apos;s runner returns this JSON instead of running the node. It is kept beside the flow, never in the flow file. {SOURCE_NOTE[initial.source]}
        </p>
        <JsonTextField label="Pinned output (JSON)" text={text} onText={setText} parsed={parsed} failure={failure} maxRows={18} />
        <div className="dialog-actions">
          <button type="button" className="primary" disabled={!parsed.ok || saving} onClick={() => void save()} title="Save the pinned output (Ctrl+Enter)">
            Pin output
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
