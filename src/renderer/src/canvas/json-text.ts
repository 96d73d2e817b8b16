/** JSON typed by the user, checked as it is typed: its value, or why it does not parse. */
export function parseJsonText(text: string, what: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: `the ${what} is empty` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
