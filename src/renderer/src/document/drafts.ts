/**
 * Crash recovery: the latest unsaved text of each open flow, kept in the page's local storage until
 * it is saved. Opening a flow whose draft differs from the file offers to recover it.
 */
const PREFIX = 'greentic-studio:draft:';

function key(root: string, path: string): string {
  return `${PREFIX}${root}\u0000${path}`;
}

export function writeDraft(root: string, path: string, text: string): void {
  try {
    localStorage.setItem(key(root, path), text);
  } catch {
    // A full or disabled storage only loses the crash copy; autosave still writes the file.
  }
}

export function readDraft(root: string, path: string): string | null {
  try {
    return localStorage.getItem(key(root, path));
  } catch {
    return null;
  }
}

export function clearDraft(root: string, path: string): void {
  try {
    localStorage.removeItem(key(root, path));
  } catch {
    // Nothing to clear.
  }
}
