/**
 * Watches a project folder for files changed by other programs (an editor, git) and reports them
 * in batches, so the UI can reload a clean flow or ask about a dirty one.
 *
 * Each folder is watched on its own rather than with `recursive: true`: on Linux, Node's recursive
 * watching follows files by inode and loses a file once an atomic save has renamed a new one over it
 * (and older Node versions have no recursive watching there at all). So the watcher follows the
 * folder tree itself: a folder that appears (created, moved or renamed in) is watched from then on
 * and the flows already inside it are reported; a folder that goes away stops being watched and its
 * path is reported, so the project tree drops what it held.
 */
import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';

const BATCH_MS = 120;
const MAX_FOLDERS = 500;
const WATCHED = /(\.ygtc|\.ygtc\.layout\.json|pack\.yaml|\.manifest\.json|\.wasm)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'target', 'dist', 'out']);

export interface ProjectWatcher {
  close(): void;
}

export function watchProject(root: string, onChange: (paths: string[]) => void): ProjectWatcher {
  const pending = new Set<string>();
  /** Every watched folder by its absolute path; a folder whose watch failed keeps its entry until its parent reports it gone. */
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const flush = () => {
    timer = null;
    const paths = [...pending].sort();
    pending.clear();
    if (paths.length > 0) onChange(paths);
  };

  const report = (absolute: string) => {
    pending.add(path.relative(root, absolute).split(path.sep).join('/'));
    timer ??= setTimeout(flush, BATCH_MS);
  };

  const watchFolder = (folder: string) => {
    if (closed || watchers.has(folder) || watchers.size >= MAX_FOLDERS) return;
    try {
      const watcher = watch(folder, { persistent: false }, (event, filename) => {
        const name = filename?.toString();
        if (name && !name.startsWith('.')) onEntry(folder, name, event);
      });
      // A folder that disappears ends its own watch, not the studio.
      watcher.on('error', () => watcher.close());
      watchers.set(folder, watcher);
    } catch {
      // An unreadable folder is simply not watched.
    }
  };

  /** Watches a folder tree; `announce` reports the files already in it (a folder that just appeared). */
  const watchTree = (top: string, announce: boolean) => {
    for (const folder of foldersUnder(top, MAX_FOLDERS - watchers.size)) {
      watchFolder(folder);
      if (announce) for (const file of watchedFilesIn(folder)) report(file);
    }
  };

  const unwatchTree = (top: string): boolean => {
    let any = false;
    for (const [folder, watcher] of watchers) {
      if (folder !== top && !folder.startsWith(top + path.sep)) continue;
      watcher.close();
      watchers.delete(folder);
      any = true;
    }
    return any;
  };

  const onEntry = (folder: string, name: string, event: string) => {
    const absolute = path.join(folder, name);
    if (WATCHED.test(name)) report(absolute);
    const kind = entryKind(absolute);
    if (kind === 'folder' && !SKIPPED_FOLDERS.has(name) && (event === 'rename' || !watchers.has(absolute))) {
      // Created, moved in, or replaced by another folder of the same name: watch what is there now.
      unwatchTree(absolute);
      watchTree(absolute, true);
    } else if (kind === 'missing' && unwatchTree(absolute)) {
      report(absolute);
    }
  };

  watchTree(root, false);

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function entryKind(absolute: string): 'folder' | 'file' | 'missing' {
  try {
    return statSync(absolute).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

function readEntries(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A folder and its sub-folders (no hidden or build folders), breadth first, at most `limit`. */
function foldersUnder(top: string, limit: number): string[] {
  const folders = [top];
  for (let i = 0; i < folders.length && folders.length < limit; i += 1) {
    for (const entry of readEntries(folders[i] as string)) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) folders.push(path.join(folders[i] as string, entry.name));
    }
  }
  return folders.slice(0, Math.max(0, limit));
}

function watchedFilesIn(folder: string): string[] {
  return readEntries(folder)
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && WATCHED.test(entry.name))
    .map((entry) => path.join(folder, entry.name));
}
