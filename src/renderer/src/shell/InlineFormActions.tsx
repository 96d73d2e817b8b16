import type { ReactNode } from 'react';

interface InlineFormActionsProps {
  /** The form's own action button(s). */
  children: ReactNode;
  onCancel(): void;
  /** Why the last attempt failed, announced to screen readers. */
  problem: string | null;
}

/** The foot of an inline form: its action, *Cancel*, and the problem of the last attempt. */
export function InlineFormActions({ children, onCancel, problem }: InlineFormActionsProps) {
  return (
    <>
      <div className="route-actions">
        {children}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
