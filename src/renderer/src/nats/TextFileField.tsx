import { useId, useState } from 'react';

const MAX_FILE_BYTES = 64 * 1024;

interface TextFileFieldProps {
  label: string;
  hint: string;
  value: string;
  onChange(value: string): void;
  /** Whether the profile already stores this text (the UI never sees it). */
  stored: boolean;
  /** Offered when `stored`: remove the stored text on save. */
  remove?: boolean;
  onRemove?(remove: boolean): void;
  required?: boolean;
  /** A secret: the pasted text is masked. */
  secret?: boolean;
}

/** A PEM or credentials text, pasted or loaded from a file (read here: the contract takes the text). */
export function TextFileField({ label, hint, value, onChange, stored, remove = false, onRemove, required = false, secret = false }: TextFileFieldProps) {
  const fileId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  // "Client key" reads "client key" mid-sentence; "CA certificate" keeps its capitals.
  const inSentence = /^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label;

  async function load(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setProblem(`${file.name} is ${file.size} bytes; at most ${MAX_FILE_BYTES} are accepted`);
      return;
    }
    setProblem(null);
    onChange(await file.text());
  }

  return (
    <div className="field nats-text-field">
      <label className="field-label" htmlFor={`${fileId}-text`}>
        {label} <span className="muted">({hint})</span>
      </label>
      <textarea
        id={`${fileId}-text`}
        className={secret && value !== '' ? 'masked' : undefined}
        rows={3}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={stored ? 'stored; leave empty to keep it' : '-----BEGIN …'}
        required={required}
        spellCheck={false}
        autoComplete="off"
        disabled={remove}
      />
      <div className="nats-text-actions">
        <label className="nats-file-button">
          Load from a file…
          <input type="file" aria-label={`Load ${inSentence} from a file`} onChange={(event) => void load(event.target.files?.[0])} />
        </label>
        {stored && onRemove && (
          <label className="field-inline">
            <input type="checkbox" checked={remove} onChange={(event) => onRemove(event.target.checked)} />
            Remove the stored {inSentence}
          </label>
        )}
      </div>
      {problem && (
        <span className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
