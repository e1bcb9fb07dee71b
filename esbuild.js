// Bundles one entry per runtime: the extension host, the handler worker, the webview script and the CLI.
//   node esbuild.js               one development build (source maps, not minified)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --production  minified, with linked source maps (what the .vsix ships)
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

const entries = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/worker/entry.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
