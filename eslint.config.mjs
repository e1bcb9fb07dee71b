// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The folders that run outside VS Code (the CLI, the worker thread, tests) must never load `vscode`. */
const vscodeFree = [
  'src/kis/**',
  'src/market/**',
  'src/agent/**',
  'src/worker/**',
  'src/simulator/**',
  'src/shared/**',
  'src/common/**',
  'src/feed/**',
  'src/hub/**',
  'src/rest/**',
  'src/recorder/**',
  'src/cli/**',
];

const noVscode = {
  name: 'vscode',
  message: 'This folder runs outside VS Code; keep vscode in src/views and src/extension.ts.',
  allowTypeImports: true,
};

/**
 * The layering (docs/architecture.md): data flows socket → agent → worker → feed → views, and a part
 * imports only what is below it. Each entry: the files, the parts they must not import, and why.
 * `group` patterns are gitignore-style and match the import specifier, so part('agent') catches
 * `../agent` and `../../agent/x` alike.
 */
const part = (name) => [`**/${name}`, `**/${name}/**`];
/** How deep a part's subfolders go (src/<part>/a/b/file.ts is depth 3). */
const MAX_DEPTH = 3;
/**
 * A part that may import only the listed parts: one entry per folder depth, since a relative specifier
 * leaves src/<part> only by climbing as many levels as the file is deep (`../x` from src/simulator/ws/ is
 * still inside the simulator; `../../x` is src/x). Everything at src/ level is refused but the part itself
 * and the allowed ones.
 */
const only = (name, allowed, message) =>
  Array.from({ length: MAX_DEPTH }, (_, i) => {
    const up = '../'.repeat(i + 1);
    const files = [`src/${name}/${'*/'.repeat(i)}*.ts`];
    const allow = [name, ...allowed].flatMap((a) => [`!${up}${a}`, `!${up}${a}/**`]);
    return { files, forbid: [`${up}*`, ...allow], message };
  });
const layers = [
  {
    files: ['src/views/**', 'src/webview/**', 'src/extension.ts'],
    forbid: [...part('agent'), ...part('worker'), ...part('simulator'), ...part('kis'), '**/feed/**', '!**/feed/index'],
    message:
      "Views, the webview and extension.ts read only the application core's public surface (src/feed/index.ts), shared, market and common.",
  },
  ...only('kis', [], 'src/kis is the wire protocol: it imports no other part.'),
  ...only('market', [], 'src/market is the pure market domain: it imports no other part.'),
  {
    files: ['src/agent/**'],
    forbid: [...part('worker'), ...part('feed'), ...part('views'), ...part('webview'), ...part('simulator')],
    message: 'The agent does not know the worker, the feed or the views.',
  },
  {
    files: ['src/worker/**'],
    forbid: [...part('agent'), ...part('feed'), ...part('views'), ...part('webview'), ...part('simulator')],
    message: 'The worker does not know the agent, the feed or the views.',
  },
  ...only(
    'simulator',
    ['kis', 'market', 'common', 'recorder'],
    'The simulator imports only kis, market, common and (to replay a recording) the recorder.',
  ),
  {
    files: ['src/feed/**'],
    forbid: [...part('views'), ...part('webview')],
    message: 'The feed does not know the views.',
  },
  {
    files: ['src/hub/**'],
    forbid: [...part('feed'), ...part('views'), ...part('webview'), ...part('simulator')],
    message: 'The hub shares one agent between processes: it does not know the feed or the views.',
  },
  {
    files: ['src/rest/**'],
    forbid: [
      ...part('agent'),
      ...part('worker'),
      ...part('feed'),
      ...part('hub'),
      ...part('views'),
      ...part('webview'),
      ...part('simulator'),
    ],
    message: 'The REST client stands beside the agent: it imports only kis, market, shared and common.',
  },
  {
    files: ['src/recorder/**'],
    forbid: [...part('feed'), ...part('views'), ...part('webview'), ...part('worker')],
    message: 'The recorder knows the wire, not the feed or the views.',
  },
  {
    files: ['src/cli/**'],
    forbid: [...part('feed'), ...part('views'), ...part('webview')],
    message:
      'The command line runs the agent, hub, simulator and recorder in a terminal: it does not know the feed or the views.',
  },
  {
    files: ['src/shared/**', 'src/common/**'],
    forbid: [
      ...part('agent'),
      ...part('worker'),
      ...part('feed'),
      ...part('views'),
      ...part('webview'),
      ...part('simulator'),
    ],
    message: 'shared and common sit below every part.',
  },
];

/** The command line sits on top of everything it runs: no other part imports it. */
const noCli = {
  group: ['**/cli', '**/cli/**'],
  message: 'Only src/cli imports src/cli: the command line sits on top of the parts it runs.',
};

/** One flat-config entry per layer (the vscode ban folded in where it applies: a later entry replaces a rule's options). */
const layerConfigs = layers.map(({ files, forbid, message }) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: files.some((f) => vscodeFree.includes(f) || vscodeFree.includes(f.replace(/(\/\*)*\/\*\.ts$/, '/**')))
          ? [noVscode]
          : [],
        patterns: [{ group: forbid, message }, ...(files.includes('src/cli/**') ? [] : [noCli])],
      },
    ],
  },
}));

/**
 * Seoul's UTC offset (+9 h, no daylight saving) is known in one place, src/market/time.ts: everywhere else a
 * KST computation calls its helpers (toKstWallClock, kstMidnight, kstMinuteOfDay, kstInstant, …). These
 * selectors catch the shapes a re-derivation takes: the offset as a number (ms, s, min), as a zone name or an
 * ISO suffix, as 9 times an hour, and as 9 added to or taken off an hour. `9 * 60` is also the 09:00 open,
 * which belongs to src/market/phases.ts, so it is refused for either reason.
 */
const kstOffsetMessage =
  "Seoul's UTC offset is known only in src/market/time.ts (trading hours only in src/market/phases.ts): call their helpers instead.";
const nineTimesAnHour = ['60', '3600', '3600000'].flatMap((unit) => [
  `BinaryExpression[operator='*'][left.value=9][right.value=${unit}]`,
  `BinaryExpression[operator='*'][right.value=9][left.value=${unit}]`,
]);
const kstOffsetSelectors = [
  'Literal[value=32400000]',
  'Literal[value=32400]',
  'Literal[value=540]',
  'Literal[value=/^(\\+09:?00|Asia\\/Seoul)$/]',
  'TemplateElement[value.raw=/\\+09:?00$/]',
  ...nineTimesAnHour,
  "BinaryExpression[operator=/^[+-]$/][right.value=9][left.callee.property.name='getUTCHours']",
  "CallExpression[callee.object.name='Date'][callee.property.name='UTC'] > BinaryExpression[operator='-'][right.value=9]",
].map((selector) => ({ selector, message: kstOffsetMessage }));

export default tseslint.config(
  {
    ignores: [
      'media/handler/**',
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'coverage/**',
      'scripts/vscode-harness/**',
      '*.vsix',
    ],
  },
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
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  ...layerConfigs,
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...kstOffsetSelectors] } },
  // src/market is where the offset and the hours live.
  { files: ['src/market/**'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts (npm start, the UI tests): the Node globals they use, and mocha's in the UI tests.
    files: ['scripts/**/*.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: {
      globals: {
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        describe: 'readonly',
        it: 'readonly',
        before: 'readonly',
        after: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
      },
    },
  },
);
