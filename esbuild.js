// Bundles one entry per runtime: the extension host, the handler worker, the webview script and the CLI.
//   node esbuild.js               one development build (source maps, not minified)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --production  minified, with linked source maps (what the .vsix ships)
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Options shared by every Node entry. `ws` loads these two optionally; bundling them breaks it. */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  minify: production,
  sourcemap: production ? 'linked' : true,
  logLevel: 'warning',
};

/** The `kis-monitor` bin: one self-contained file (tests that run it as another user bundle their own copy). */
const cli = {
  ...node,
  entryPoints: [path.join(__dirname, 'src/cli/main.ts')],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
};

const entries = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/worker/entry.ts'], outfile: 'dist/worker.js' },
  cli,
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    minify: production,
    sourcemap: production ? 'linked' : true,
    logLevel: 'warning',
  },
];

async function main() {
  const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    console.log('[esbuild] watching for changes');
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

module.exports = { cli };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
