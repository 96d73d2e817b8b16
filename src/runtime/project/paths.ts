import path from 'node:path';
import { StudioError } from '../../shared/api';

/**
 * Resolves a project-relative path (as the UI and CLI send it) to an absolute one inside the project
 * root, refusing anything that would escape it.
 */
export function resolveInside(root: string, relative: string): string {
  if (relative.includes('\0')) throw new StudioError('bad_request', 'path contains a NUL byte');
  if (path.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    throw new StudioError('bad_request', `path must be relative to the project: ${relative}`);
  }
  const absolute = path.resolve(root, relative);
  const fromRoot = path.relative(root, absolute);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
    throw new StudioError('forbidden', `path leaves the project folder: ${relative}`);
  }
  return absolute;
}

/** The project-relative form of an absolute path, with `/` separators on every platform. */
export function toProjectPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}
