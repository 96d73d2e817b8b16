/**
 * Watches a project folder for files changed by other programs (an editor, git) and reports them
 * in batches, so the UI can reload a clean flow or ask about a dirty one.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

const BATCH_MS = 120;
const WATCHED = /(\.ygtc|\.ygtc\.layout\.json|pack\.yaml|component\.manifest\.json)$/;
const IGNORED_SEGMENTS = new Set(['node_modules', '.git', 'target', 'dist', 'out']);

export interface ProjectWatcher {
  close(): void;
}

export function watchProject(root: string, onChange: (paths: string[]) => void): ProjectWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;

  const flush = () => {
    timer = null;
    const paths = [...pending].sort();
    pending.clear();
    if (paths.length > 0) onChange(paths);
  };

  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, filename) => {
      if (!filename) return;
      const relative = filename.toString().split(path.sep).join('/');
      if (!WATCHED.test(relative) || relative.split('/').some((segment) => IGNORED_SEGMENTS.has(segment) || segment.startsWith('.'))) return;
      pending.add(relative);
      timer ??= setTimeout(flush, BATCH_MS);
    });
    // A folder that disappears (or a platform without recursive watching) ends watching, not the studio.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }

  return {
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      watcher?.close();
    },
  };
}
