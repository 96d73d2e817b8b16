import { useEffect, useState, type KeyboardEvent, type Ref } from 'react';

interface CommitFieldProps {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  multiline?: boolean;
  placeholder?: string;
  testId?: string;
  /** Shown under the field, e.g. why the last value was refused. */
  problem?: string | null;
  /** Checks the text as it is typed; what it returns is shown under the field until fixed. */
  check?: (draft: string) => string | null;
  /** The single-line input, for callers that move focus to it. */
  inputRef?: Ref<HTMLInputElement>;
  /** Marks the label (not the accessible name) as a field that must be filled in. */
  required?: boolean;
}

/**
 * A text field that changes the flow once, when the user is done (Enter or leaving the field),
 * so that one edit is one undo step; Escape puts the current value back.
 */
export function CommitField({ label, value, onCommit, multiline, placeholder, testId, problem, check, inputRef, required }: CommitFieldProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);

  const shown = (check ? check(draft) : null) ?? problem;
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === 'Escape') setDraft(value);
    else if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit();
    }
  };
  const common = {
    'aria-label': label,
    'data-testid': testId,
    value: draft,
    placeholder,
    'aria-invalid': shown ? true : undefined,
    onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    onBlur: commit,
    onKeyDown,
  };
  return (
    <label className="field">
      <span className="field-label">{required ? `${label} *` : label}</span>
      {multiline ? <textarea rows={Math.min(12, Math.max(3, draft.split('\n').length))} spellCheck={false} {...common} /> : <input type="text" ref={inputRef} {...common} />}
      {shown && (
        <span className="field-problem" role="alert">
          {shown}
        </span>
      )}
    </label>
  );
}
