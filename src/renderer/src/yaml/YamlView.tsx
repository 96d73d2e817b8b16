import { useEffect, useRef } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import { registerCommand } from '../commands/registry';
import { usePausedNodeIn } from '../debug/debug-store';
import { attachBreakpointGutter, type GutterSource } from '../debug/yaml-breakpoints';
import '../debug/debug.css';
import { current, type FlowDocument } from '../document/flow-document';
import { useEditor } from '../store/editor-store';
import { useColorScheme } from '../theme/use-color-scheme';
import { registerFlowLanguage, type FlowLanguageState } from './flow-language';
import { toMarkers } from './markers';
import { monaco } from './monaco';
import { minimalEdit } from './text-diff';

const models = new Map<string, MonacoEditor.ITextModel>();

function modelFor(path: string, text: string): MonacoEditor.ITextModel {
  let model = models.get(path);
  if (!model || model.isDisposed()) {
    model = monaco.editor.createModel(text, 'yaml', monaco.Uri.from({ scheme: 'flow', path: `/${path}` }));
    models.set(path, model);
  }
  return model;
}

/** The flow the language providers answer about: the one shown in the view. */
let languageState: FlowLanguageState = { ir: null, diagnostics: [] };
registerFlowLanguage(monaco, () => languageState);

/**
 * The flow text in Monaco. Typing goes to the editor store (one document, one undo history); text
 * changed elsewhere (canvas, inspector, undo) is applied here as a minimal edit, keeping the cursor.
 */
export default function YamlView({ doc }: { doc: FlowDocument }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditor.IStandaloneCodeEditor | null>(null);
  const applying = useRef(false);
  const scheme = useColorScheme();
  const text = current(doc).text;
  const pausedNode = usePausedNodeIn(doc.model?.ir.id ?? null);
  const shown: GutterSource = { nodes: () => (doc.parses ? (doc.model?.ir.nodes ?? null) : null), pausedNode: () => pausedNode };
  const gutterSource = useRef(shown);
  gutterSource.current = shown;
  const gutter = useRef<{ refresh(): void } | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      insertSpaces: true,
      scrollBeyondLastLine: false,
      renderWhitespace: 'boundary',
      // YAML prose is full of apostrophes ("What's your name?"): a closing quote typed for the user is noise.
      autoClosingQuotes: 'never',
      ariaLabel: 'Flow YAML',
      glyphMargin: true,
    });
    editorRef.current = editor;
    const store = useEditor.getState;
    // One history for the whole document: the editor's own undo would fork it.
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ, () => store().undo());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, () => store().redo());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY, () => store().redo());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void store().save());
    const typed = editor.onDidChangeModelContent(() => {
      if (!applying.current) store().typeText(editor.getValue());
    });
    // `line` or `line:column`: the cursor goes there, in the middle of the view.
    const focus = registerCommand('focusYaml', (at) => {
      editor.focus();
      if (!at) return;
      const [line = 1, column = 1] = at.split(':').map(Number);
      editor.setPosition({ lineNumber: line, column });
      editor.revealLineInCenter(line);
    });
    const breakpoints = attachBreakpointGutter(monaco, editor, { nodes: () => gutterSource.current.nodes(), pausedNode: () => gutterSource.current.pausedNode() });
    gutter.current = breakpoints;
    return () => {
      breakpoints.dispose();
      gutter.current = null;
      typed.dispose();
      focus();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const model = modelFor(doc.path, text);
    if (editor.getModel() !== model) editor.setModel(model);
    const change = minimalEdit(model.getValue(), text);
    if (change) {
      const from = model.getPositionAt(change.offset);
      const to = model.getPositionAt(change.endOffset);
      applying.current = true;
      try {
        model.applyEdits([{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: change.text }]);
      } finally {
        applying.current = false;
      }
    }
    monaco.editor.setModelMarkers(model, 'flow', toMarkers(monaco, model, doc.diagnostics));
  }, [doc.path, text, doc.diagnostics]);

  // After the text effect above has put the text in the model: glyphs go on the lines it has now.
  useEffect(() => {
    gutter.current?.refresh();
  }, [doc.path, doc.model, doc.parses, pausedNode]);

  useEffect(() => {
    languageState = { ir: doc.model?.ir ?? null, diagnostics: doc.diagnostics };
  }, [doc.model, doc.diagnostics]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  // `nokey`: the canvas' key handling (Space pans) ignores keys typed here. Monaco's input element is
  // an EditContext, not a textarea, so without it React Flow takes Space for itself in Split view.
  return <div className="yaml-view nokey" data-testid="yaml-view" data-path={doc.path} ref={host} />;
}
