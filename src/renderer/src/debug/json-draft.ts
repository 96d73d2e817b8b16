import { parseJson } from '../json/parse-json';

/** What a JSON editor holds now: a value (changed or not from where it started), or why it is not JSON. */
export type JsonDraft = { ok: true; value: unknown; changed: boolean } | { ok: false; message: string };

export function parseJsonDraft(text: string, original: unknown): JsonDraft {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: `Not valid JSON: ${parsed.message}` };
  return { ok: true, value: parsed.value, changed: JSON.stringify(parsed.value) !== JSON.stringify(original) };
}
