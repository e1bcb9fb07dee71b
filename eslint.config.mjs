// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The folders that run outside VS Code (the CLI, the worker thread, tests) must never load `vscode`. */
const vscodeFree = ['src/kis/**', 'src/recorder/**', 'src/cli/**', 'src/agent/**', 'src/worker/**', 'src/simulator/**', 'src/shared/**', 'src/common/**', 'src/cli.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'coverage/**', 'scripts/vscode-harness/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: vscodeFree,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'This folder runs outside VS Code; keep vscode in src/views and src/extension.ts.', allowTypeImports: true }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts (npm start, the UI tests): the Node globals they use, and mocha's in the UI tests.
    files: ['scripts/**/*.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: {
      globals: {
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly',
        describe: 'readonly', it: 'readonly', before: 'readonly', after: 'readonly', beforeEach: 'readonly', afterEach: 'readonly',
      },
    },
  },
);
