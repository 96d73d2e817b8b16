/**
 * Watches a project folder for files changed by other programs (an editor, git) and reports them
 * in batches, so the UI can reload a clean flow or ask about a dirty one.
 *
 * Each folder is watched on its own rather than with `recursive: true`: on Linux, Node's recursive
 * watching follows files by inode and loses a file once an atomic save has renamed a new one over it.
 */
import { readdirSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';

const BATCH_MS = 120;
const MAX_FOLDERS = 500;
const WATCHED = /(\.ygtc|\.ygtc\.layout\.json|pack\.yaml|component\.manifest\.json)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'target', 'dist', 'out']);

export interface ProjectWatcher {
  close(): void;
}

export function watchProject(root: string, onChange: (paths: string[]) => void): ProjectWatcher {
  const pending = new Set<string>();
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    timer = null;
    const paths = [...pending].sort();
    pending.clear();
    if (paths.length > 0) onChange(paths);
  };

  for (const folder of projectFolders(root)) {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, filename) => {
        const name = filename?.toString();
        if (!name || name.startsWith('.') || !WATCHED.test(name)) return;
        pending.add(path.relative(root, path.join(folder, name)).split(path.sep).join('/'));
        timer ??= setTimeout(flush, BATCH_MS);
      });
      // A folder that disappears ends its watch, not the studio.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // An unreadable folder is simply not watched.
    }
  }

  return {
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** The root and its sub-folders (no hidden or build folders), breadth first, bounded. */
function projectFolders(root: string): string[] {
  const folders = [root];
  for (let i = 0; i < folders.length && folders.length < MAX_FOLDERS; i += 1) {
    const folder = folders[i] as string;
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) folders.push(path.join(folder, entry.name));
    }
  }
  return folders.slice(0, MAX_FOLDERS);
}
