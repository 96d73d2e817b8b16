import { PackError } from '../errors';

/**
 * Checks an archive entry name the way upstream's `enclosed_name()` does, and stricter: the name must
 * be a relative path of non-empty segments, with no `.`/`..`, no backslash, no NUL or other control
 * character, no drive letter. Returns the name; throws `unsafe_path` otherwise.
 */
export function checkEntryPath(name: string): string {
  if (!isSafeEntryPath(name)) {
    throw new PackError('unsafe_path', `archive entry contains unsafe path: ${JSON.stringify(name)}`, name);
  }
  return name;
}

export function isSafeEntryPath(name: string): boolean {
  if (name.length === 0 || name.length > 4096) return false;
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Names that only differ by Unicode normalisation or case land on one file on macOS and Windows. */
export function collisionKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
