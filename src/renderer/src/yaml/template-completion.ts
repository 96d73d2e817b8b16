/** Completion of template paths inside `{{ }}` for the template fields' Monaco models. */
import type { editor as MonacoEditor, languages, Position } from 'monaco-editor/editor/editor.api';
import type { Monaco } from './monaco';

/** The path being typed at the end of `before`, when it is inside an open `{{`; null otherwise. */
export function pathBeingTyped(before: string): string | null {
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return null;
  const inside = before.slice(open + 2).replace(/^\{?~?\s*/, '');
  const match = /(?:^|[\s(])([\w.@-]*)$/.exec(inside);
  if (!match) return null;
  // Block helpers (`#each`, `/if`) and partials are not paths.
  if (/^[#/>^!]/.test(inside.trimStart()) && !/\s/.test(inside.trim())) return null;
  return match[1] ?? '';
}

const pathsByModel = new Map<string, () => readonly string[]>();
let registered = false;

/** Offers `paths()` in the model with this URI; the returned function stops it. */
export function offerTemplatePaths(monaco: Monaco, model: MonacoEditor.ITextModel, paths: () => readonly string[]): () => void {
  if (!registered) {
    registered = true;
    monaco.languages.registerCompletionItemProvider('handlebars', {
      triggerCharacters: ['{', '.'],
      provideCompletionItems(target: MonacoEditor.ITextModel, position: Position) {
        const source = pathsByModel.get(target.uri.toString());
        const before = target.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
        const typed = source ? pathBeingTyped(before) : null;
        if (typed === null || !source) return { suggestions: [] };
        const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - typed.length, endColumn: position.column };
        const suggestions = source()
          .filter((path) => path.startsWith(typed))
          .map((path): languages.CompletionItem => ({ label: path, kind: monaco.languages.CompletionItemKind.Variable, insertText: path, range }));
        return { suggestions };
      },
    });
  }
  const key = model.uri.toString();
  pathsByModel.set(key, paths);
  return () => {
    if (pathsByModel.get(key) === paths) pathsByModel.delete(key);
  };
}
