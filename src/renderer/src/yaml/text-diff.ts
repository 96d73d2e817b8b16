/** The one replacement that turns `before` into `after`: the span between their common prefix and suffix. */
export function minimalEdit(before: string, after: string): { offset: number; endOffset: number; text: string } | null {
  if (before === after) return null;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore -= 1;
    endAfter -= 1;
  }
  return { offset: start, endOffset: endBefore, text: after.slice(start, endAfter) };
}
