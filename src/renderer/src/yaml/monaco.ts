/**
 * Monaco, bundled (no CDN: the studio runs offline under a strict CSP): the editor core, its
 * standard features, YAML highlighting, and its worker built by vite.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/handlebars/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === 'json'
      ? new Worker(new URL('monaco-editor/languages/features/json/json.worker', import.meta.url), { type: 'module' })
      : new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' }),
};

// The debugger's JSON editors take plain JSON: what JSON.parse refuses, the editor marks too.
jsonDefaults.setDiagnosticsOptions({ validate: true, allowComments: false, trailingCommas: 'error', schemas: [], enableSchemaRequest: false });

export { monaco };
export type Monaco = typeof monaco;
