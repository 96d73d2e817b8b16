import { builtinModules } from 'node:module';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The import layers of DESIGN.md. A file may import only from the layers its row allows; anything
 * else fails `npm run lint`, which is part of `npm test`.
 */
const layers = [
  { type: 'shared', pattern: 'src/shared/**', partialMatch: false },
  { type: 'runtime', pattern: 'src/runtime/**', partialMatch: false },
  { type: 'cli', pattern: 'src/cli/**', partialMatch: false },
  { type: 'main', pattern: 'src/main/**', partialMatch: false },
  { type: 'preload', pattern: 'src/preload/**', partialMatch: false },
  { type: 'renderer', pattern: 'src/renderer/**', partialMatch: false },
  { type: 'test', pattern: 'test/**', partialMatch: false },
  { type: 'bench', pattern: 'bench/**', partialMatch: false },
];

const mayImport = {
  shared: ['shared'],
  runtime: ['runtime', 'shared'],
  cli: ['cli', 'runtime', 'shared'],
  main: ['main', 'runtime', 'shared'],
  preload: ['preload', 'shared'],
  renderer: ['renderer', 'shared'],
  test: ['test', 'shared', 'runtime', 'cli', 'main', 'preload', 'renderer'],
  bench: ['bench', 'shared', 'runtime', 'cli', 'test'],
};

const electronOnlyInMainAndPreload = { name: 'electron', message: 'Only src/main and src/preload may import electron.' };
const nodeOnlyInNodeLayers = 'src/shared and src/renderer run in the browser too: no Node built-ins.';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/include': ['src/**', 'test/**', 'bench/**'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        2,
        {
          default: 'disallow',
          policies: [
            ...Object.entries(mayImport).map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: to } } } },
            })),
            { allow: { to: { module: { origin: 'external' } } } },
            { allow: { to: { module: { origin: 'core' } } } },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**', 'src/runtime/**', 'src/cli/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronOnlyInMainAndPreload] }],
    },
  },
  {
    // Isomorphic and browser code: no Node built-ins either.
    files: ['src/shared/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMainAndPreload, ...builtinModules.map((name) => ({ name, message: nodeOnlyInNodeLayers }))],
          patterns: [{ group: ['node:*'], message: nodeOnlyInNodeLayers }],
        },
      ],
    },
  },
);
