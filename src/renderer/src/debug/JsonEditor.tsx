import { useEffect, useRef, useState } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import { useColorScheme } from '../theme/use-color-scheme';
import { monaco } from '../yaml/monaco';
import { parseJsonDraft, type JsonDraft } from './json-draft';

export interface JsonEditorProps {
  label: string;
  /** The value the editor starts from; a new one (another pause) replaces what was typed. */
  value: unknown;
  onDraft(draft: JsonDraft): void;
  /** Taller for a whole flow state, shorter for one node's input. */
  lines?: number;
}

let nextModel = 0;

/**
 * A JSON value in Monaco, checked as it is typed: what does not parse is refused, with the parser's
 * reason and where, under the editor. Tab moves on to the next field, as in any form.
 */
export default function JsonEditor({ label, value, onDraft, lines = 10 }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ value, onDraft });
  latest.current = { value, onDraft };
  const [problem, setProblem] = useState<string | null>(null);
  const scheme = useColorScheme();
  const initial = JSON.stringify(value, null, 2) ?? 'null';
  const problemId = useRef(`json-problem-${(nextModel += 1)}`).current;

  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.createModel(initial, 'json', monaco.Uri.from({ scheme: 'debug', path: `/${problemId}.json` }));
    const editor: MonacoEditor.IStandaloneCodeEditor = monaco.editor.create(host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: false,
      folding: true,
      fontSize: 12,
      tabSize: 2,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      tabFocusMode: true,
      autoClosingBrackets: 'never',
      autoClosingQuotes: 'never',
      ariaLabel: label,
    });
    const check = () => {
      const draft = parseJsonDraft(model.getValue(), latest.current.value);
      setProblem(draft.ok ? null : draft.message);
      latest.current.onDraft(draft);
    };
    const typed = model.onDidChangeContent(check);
    return () => {
      typed.dispose();
      editor.dispose();
      model.dispose();
    };
    // A new starting value builds a new editor: what was typed belonged to the previous pause.
  }, [initial, label, problemId]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return (
    <div className="json-editor-field">
      <div className={`json-editor nokey${problem ? ' invalid' : ''}`} data-testid="json-editor" data-label={label} aria-describedby={problemId} ref={host} style={{ height: `${lines * 18 + 8}px` }} />
      <div id={problemId} className="field-problem" role="alert" data-testid="json-problem">
        {problem}
      </div>
    </div>
  );
}
