/** Joins path segments with the separator the given absolute path already uses. */
export function joinPath(base: string, ...parts: string[]): string {
  const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return [base.replace(/[\\/]+$/, ''), ...parts].join(separator);
}
