import { useEffect, useRef } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import { useColorScheme } from '../theme/use-color-scheme';
import { monaco } from './monaco';
import { offerTemplatePaths } from './template-completion';

export interface TemplateEditorProps {
  label: string;
  value: string;
  /** The paths the node can read, offered inside `{{ }}`. */
  paths: readonly string[];
  onCommit(value: string): void;
}

let nextModel = 0;

/**
 * A multi-line Handlebars template in Monaco: highlighting, completion of the node's paths, and one
 * change of the flow when the user is done (leaving the field or Ctrl/Cmd+Enter); Escape puts the
 * current value back. Tab moves on to the next field, as in any form.
 */
export default function TemplateEditor({ label, value, paths, onCommit }: TemplateEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditor.IStandaloneCodeEditor | null>(null);
  const latest = useRef({ value, paths, onCommit });
  latest.current = { value, paths, onCommit };
  const scheme = useColorScheme();

  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.createModel(latest.current.value, 'handlebars', monaco.Uri.from({ scheme: 'template', path: `/${(nextModel += 1)}` }));
    const editor = monaco.editor.create(host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      wordWrap: 'on',
      fontSize: 12,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      tabFocusMode: true,
      ariaLabel: label,
      quickSuggestions: { other: true, strings: true, comments: false },
    });
    editorRef.current = editor;
    const stopPaths = offerTemplatePaths(monaco, model, () => latest.current.paths);
    const commit = () => {
      const text = model.getValue();
      if (text !== latest.current.value) latest.current.onCommit(text);
    };
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, commit);
    editor.addCommand(monaco.KeyCode.Escape, () => model.setValue(latest.current.value), '!suggestWidgetVisible');
    const blur = editor.onDidBlurEditorWidget(commit);
    return () => {
      blur.dispose();
      stopPaths();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
  }, [label]);

  // The flow changed elsewhere (undo, the YAML view): show it, unless the user is typing here.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (editor && model && !editor.hasWidgetFocus() && model.getValue() !== value) model.setValue(value);
  }, [value]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  const lines = Math.min(12, Math.max(3, value.split('\n').length + 1));
  return <div className="template-editor nokey" data-testid="template-editor" ref={host} style={{ height: `${lines * 18 + 8}px` }} />;
}
