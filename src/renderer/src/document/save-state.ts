/**
 * What the status bar says about saving: never "saved" for a flow whose file would not load, and
 * plainly which saved flows still hold errors.
 */
import { isDirty, textDirty, type FlowDocument } from './flow-document';

export interface SaveState {
  text: string;
  tone: 'plain' | 'warning' | 'error';
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function saveState(docs: FlowDocument[]): SaveState {
  const unparsed = docs.filter((doc) => !doc.parses);
  const unsaved = docs.filter(isDirty);
  const waiting = unparsed.filter(textDirty);
  if (waiting.length > 0) {
    const names = waiting.map((doc) => doc.path).join(', ');
    return { tone: 'error', text: `Not saved: ${names} ${waiting.length === 1 ? 'does' : 'do'} not parse (kept as a draft; Ctrl/Cmd+S asks to save it anyway)` };
  }
  if (unsaved.length > 0) return { tone: 'plain', text: count(unsaved.length, 'unsaved flow') };
  if (unparsed.length > 0) return { tone: 'error', text: `Saved, but ${unparsed.map((doc) => doc.path).join(', ')} does not parse and will not load` };
  const withErrors = docs.flatMap((doc) => {
    const errors = doc.diagnostics.filter((d) => d.severity === 'error').length;
    return errors > 0 ? [`${doc.path} (${count(errors, 'error')})`] : [];
  });
  if (withErrors.length > 0) return { tone: 'warning', text: `Saved with errors: ${withErrors.join(', ')}` };
  return { tone: 'plain', text: 'All changes saved' };
}
