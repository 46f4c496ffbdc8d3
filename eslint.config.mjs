// The boundaries the architecture rests on, checked by a machine (`npm run lint`, part of `npm test`):
// - src/core is pure: no `vscode`, no Node built-ins, none of the adapters (it runs in the web
//   extension host, the render worker and the CLI alike);
// - src/node is Node-only: no `vscode`, no extension code; src/webview is the page: no `vscode`,
//   no Node; src/cli and src/bench use the core and src/node, never the extension;
// - no import cycles anywhere in src (a cycle makes load order decide what is defined).
// Plus the rules the sources already name in their disable comments.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*'];
const restrict = (message, ...groups) => ['error', { patterns: [{ group: groups.flat(), message }] }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'media/**', 'node_modules/**', 'test-artifacts/**', '.vscode-test/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // `import x = require()` is TypeScript's typed CommonJS import (markdown-it's types need it).
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-control-regex': 'error',
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('src/core is pure: no vscode, no Node built-ins, no adapter (ARCHITECTURE.md).', ['vscode'], nodeBuiltins, ['**/extension/**', '**/node/**', '**/web/**', '**/webview/**', '**/cli/**', '**/bench/**']),
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts', 'src/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('Node-side code never reaches VS Code or the extension (ARCHITECTURE.md).', ['vscode'], ['**/extension/**', '**/web/**', '**/webview/**']),
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('The preview page runs in a browser: no vscode, no Node (ARCHITECTURE.md).', ['vscode'], nodeBuiltins, ['**/extension/**', '**/node/**', '**/cli/**']),
    },
  },
  {
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('The web extension host has no Node (ARCHITECTURE.md).', nodeBuiltins, ['**/node/**', '**/cli/**']),
    },
  },
);
