/**
 * Monaco, bundled (no CDN: the studio runs offline under a strict CSP): the editor core, its
 * standard features, YAML highlighting, and its worker built by vite.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/handlebars/register';

self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' }),
};

export { monaco };
export type Monaco = typeof monaco;
