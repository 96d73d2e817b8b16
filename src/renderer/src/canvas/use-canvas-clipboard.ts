import { useCallback, useEffect, type RefObject } from 'react';
import { deleteFromLayout, setNodePosition, type FlowLayout, type NodePosition } from '../../../shared/flow/layout';
import type { FlowModel } from '../document/derive';
import { useEditor } from '../store/editor-store';
import { deleteNodes } from './canvas-edits';
import { copyNodes, pasteNodes } from './clipboard';

const PASTE_OFFSET = 40;

/** Whether a clipboard event belongs to a text field or the YAML editor rather than to the canvas. */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return Boolean(target.closest('input, textarea, select, [contenteditable="true"], .monaco-editor'));
}

/**
 * Copy, cut and paste of the selected nodes through the system clipboard (as YAML, so they paste
 * into another flow or a text editor), and duplicate.
 */
export function useCanvasClipboard(wrapper: RefObject<HTMLDivElement | null>, model: FlowModel | null, positions: Record<string, NodePosition>) {
  const paste = useCallback(
    (text: string) => {
      const state = useEditor.getState();
      let ids: Record<string, string> = {};
      state.edit(
        (source) => {
          const outcome = pasteNodes(source, text, model?.ir ?? null);
          if (!outcome.ok) return { ok: false, code: 'FIELD_INVALID', message: outcome.message };
          ids = outcome.ids;
          return outcome.result;
        },
        { layout: (layout) => placePasted(layout, ids, positions) },
      );
      state.select(Object.values(ids));
    },
    [model, positions],
  );

  const duplicate = useCallback(() => {
    const selection = useEditor.getState().selection;
    if (model && selection.length > 0) paste(copyNodes(model.ir, selection));
  }, [model, paste]);

  useEffect(() => {
    const belongsHere = (event: ClipboardEvent) => {
      if (inTextField(event.target)) return false;
      const active = document.activeElement;
      return !active || active === document.body || Boolean(wrapper.current?.contains(active));
    };
    const onCopy = (event: ClipboardEvent) => {
      const selection = useEditor.getState().selection;
      if (!belongsHere(event) || !model || selection.length === 0) return;
      event.clipboardData?.setData('text/plain', copyNodes(model.ir, selection));
      event.preventDefault();
      if (event.type === 'cut') {
        useEditor.getState().edit(deleteNodes(selection, 'splice'), {
          layout: (layout) => selection.reduce(deleteFromLayout, layout),
          select: [],
        });
      }
    };
    const onPaste = (event: ClipboardEvent) => {
      const text = event.clipboardData?.getData('text/plain');
      if (!belongsHere(event) || !text) return;
      event.preventDefault();
      paste(text);
    };
    window.addEventListener('copy', onCopy);
    window.addEventListener('cut', onCopy);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('copy', onCopy);
      window.removeEventListener('cut', onCopy);
      window.removeEventListener('paste', onPaste);
    };
  }, [wrapper, model, paste]);

  return { duplicate };
}

/** Pasted nodes appear beside their originals (same flow) or in a column of their own. */
function placePasted(layout: FlowLayout, ids: Record<string, string>, positions: Record<string, NodePosition>): FlowLayout {
  let next = layout;
  let row = 0;
  for (const [from, to] of Object.entries(ids)) {
    const original = positions[from];
    const at = original ? { x: original.x + PASTE_OFFSET, y: original.y + PASTE_OFFSET } : { x: 0, y: (row += 1) * 120 };
    next = setNodePosition(next, to, at);
  }
  return next;
}
