/** Keyboard behaviour of a modal dialog: Esc closes it, Tab stays inside it, focus returns on close. */
import { useCallback, useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** Returns the dialog's own key handler; keys pressed while focus is outside the dialog are caught too. */
export function useModal(dialog: RefObject<HTMLElement | null>, onClose: () => void): (event: KeyboardEvent) => void {
  const close = useRef(onClose);
  close.current = onClose;

  const handle = useCallback(
    (event: { key: string; shiftKey: boolean; preventDefault(): void }) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close.current();
      } else if (event.key === 'Tab' && dialog.current) {
        cycleFocus(dialog.current, event);
      }
    },
    [dialog],
  );

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = dialog.current;
    if (root && !root.contains(document.activeElement)) root.querySelector<HTMLElement>(`[autofocus], ${FOCUSABLE}`)?.focus();
    // Focus can drop to the page (a button that became disabled); the dialog still owns the keyboard.
    const outside = (event: globalThis.KeyboardEvent) => {
      if (dialog.current?.contains(event.target as Node)) return;
      handle(event);
      // Marked as handled, so the editor's shortcuts beneath the dialog ignore it.
      event.preventDefault();
    };
    window.addEventListener('keydown', outside, true);
    return () => {
      window.removeEventListener('keydown', outside, true);
      before?.focus();
    };
  }, [dialog, handle]);

  return useCallback(
    (event: KeyboardEvent) => {
      // Keys typed in a modal are its own: the editor's shortcuts beneath must not see them.
      event.stopPropagation();
      handle(event);
    },
    [handle],
  );
}

function cycleFocus(root: HTMLElement, event: { shiftKey: boolean; preventDefault(): void }): void {
  const focusable = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.offsetParent !== null);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const inside = root.contains(document.activeElement);
  if (!inside || (event.shiftKey && document.activeElement === first)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
