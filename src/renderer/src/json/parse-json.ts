export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON a user typed: its value, or the parser's reason it is not JSON (`what` names it when empty). */
export function parseJson(text: string, what = 'the value'): ParsedJson {
  if (text.trim() === '') return { ok: false, message: `${what} is empty` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
