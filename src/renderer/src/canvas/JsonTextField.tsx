import { useId } from 'react';

interface JsonTextFieldProps {
  label: string;
  text: string;
  onText(text: string): void;
  /** The text as parsed (`parseJson`): a parse error is shown below the field. */
  parsed: { ok: true } | { ok: false; message: string };
  /** Shown below the field when the JSON parses (what went wrong with it afterwards). */
  failure: string | null;
  maxRows: number;
}

/** A JSON text area of a dialog, checked as it is typed, with its problem announced below it. */
export function JsonTextField({ label, text, onText, parsed, failure, maxRows }: JsonTextFieldProps) {
  const problemId = useId();
  return (
    <>
      <textarea
        className="json-input"
        aria-label={label}
        aria-invalid={!parsed.ok}
        aria-describedby={problemId}
        spellCheck={false}
        autoFocus
        rows={Math.min(maxRows, Math.max(5, text.split('\n').length + 1))}
        value={text}
        onChange={(event) => onText(event.target.value)}
      />
      <div id={problemId} className="field-problem" role="alert">
        {!parsed.ok ? `Not valid JSON: ${parsed.message}` : failure}
      </div>
    </>
  );
}
