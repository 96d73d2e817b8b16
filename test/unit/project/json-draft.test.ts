import { describe, expect, it } from 'vitest';
import { parseJsonDraft } from '../../../src/renderer/src/debug/json-draft';

describe("the debugger's JSON drafts", () => {
  it('refuses what is not JSON, saying why', () => {
    const draft = parseJsonDraft('{"text": "Hi"', { text: 'Hello' });
    expect(draft.ok).toBe(false);
    if (!draft.ok) expect(draft.message).toMatch(/^Not valid JSON: .+/);
    expect(parseJsonDraft('   ', null)).toEqual({ ok: false, message: 'Not valid JSON: the value is empty' });
    expect(parseJsonDraft("{'text': 'Hi'}", {}).ok).toBe(false);
  });

  it('tells an edit from the value it started with', () => {
    expect(parseJsonDraft('{"text": "Hi"}', { text: 'Hello' })).toEqual({ ok: true, value: { text: 'Hi' }, changed: true });
    expect(parseJsonDraft('{\n  "text": "Hello"\n}', { text: 'Hello' })).toEqual({ ok: true, value: { text: 'Hello' }, changed: false });
    expect(parseJsonDraft('null', null)).toEqual({ ok: true, value: null, changed: false });
  });
});
