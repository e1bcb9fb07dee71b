/**
 * Activation and bundle size. Builds the production bundles (`node esbuild.js --production`), then, in a
 * fresh `node` process per sample, `require()`s dist/extension.js with a stand-in `vscode` module
 * (test/unit/support/vscode.ts, through bench/benchHost.ts) and calls `activate()` with a fake context (empty watchlist, no credentials: the
 * cold start of a first install), timing require and activate separately; `deactivate()` is then awaited.
 *
 * Baseline: a trivial extension (a module exporting an `activate` that returns `{}`) loaded the same way,
 * in the same kind of fresh process, so what remains is the cost of our bundle and our `activate()`.
 * Each sample is taken cold (a bare node process) and host-like (node built-ins the extension host has
 * already loaded are preloaded). Figures are medians over the samples. Also: the size of each .js bundle in dist/ (raw and gzip), their
 * total, the production build time, and the size of the newest .vsix in the project root if there is one.
 */
import { execFile, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { LoadWatch } from './support/load';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './support/common';
import { benchHost } from './support/benchHost';

/** One sample measured in a child. */
interface Sample {
  requireMs: number;
  activateMs: number;
  /** Disposables pushed into the context by activate(). */
  subscriptions: number;
  /** Set when activate() threw. */
  error?: string;
}

const KB = 1024;

/** The folder holding package.json above this file (out/bench → project root). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above bench/');
    dir = parent;
  }
  return dir;
}

/**
 * Node built-ins the VS Code extension host has loaded long before any extension activates (it serves
 * HTTP(S), spawns processes, uses workers): preloaded in the "host-like" samples so they are not charged
 * to our bundle.
 */
const HOST_BUILTINS = [
  'http',
  'https',
  'tls',
  'net',
  'crypto',
  'zlib',
  'stream',
  'events',
  'url',
  'worker_threads',
  'child_process',
  'fs',
  'os',
  'path',
  'util',
];

/** The child: load `file` with the fake vscode, activate, report, deactivate. */
async function child(file: string, root: string, hostLike: boolean): Promise<Sample> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (hostLike) for (const name of HOST_BUILTINS) require(`node:${name}`);
  const context = benchHost(root);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(file) as { activate(context: unknown): unknown; deactivate?: () => unknown };
  const t1 = performance.now();
  let error: string | undefined;
  try {
    const api: unknown = extension.activate(context);
    // activate() may be async; the time that counts is until it settles.
    if (api !== null && typeof api === 'object' && typeof (api as { then?: unknown }).then === 'function') await api;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const t2 = performance.now();
  await extension.deactivate?.();
  for (const d of context.subscriptions) d.dispose();
  return {
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    subscriptions: context.subscriptions.length,
    ...(error ? { error } : {}),
  };
}

function sample(file: string, root: string, hostLike: boolean): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', file, root, hostLike ? 'host-like' : 'cold'], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let got: Sample | undefined;
    proc.on('message', (m: unknown) => {
      got = m as Sample;
    });
    proc.once('error', reject);
    proc.once('exit', (code) => (got ? resolve(got) : reject(new Error(`activation child exited with code ${code}`))));
  });
}

/** Builds the bundles: minified as shipped, or readable (`production` false: names intact, for profiles). */
export function build(root: string, production = true): Promise<number> {
  const started = performance.now();
  const args = production ? ['esbuild.js', '--production'] : ['esbuild.js'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`node ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(performance.now() - started);
    });
  });
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Builds, measures activation against the trivial extension, and lists the bundle sizes. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const samples = options.quick ? 3 : 15;
  const root = projectRoot();
  const load = new LoadWatch();
  const buildMs = await build(root);
  const extensionFile = path.join(root, 'dist', 'extension.js');
  const trivialDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-bench-activation-'));
  const trivialFile = path.join(trivialDir, 'trivial-extension.js');
  fs.writeFileSync(
    trivialFile,
    "'use strict';\nexports.activate = function activate(context) { return {}; };\nexports.deactivate = function deactivate() {};\n",
  );
  const ours: Sample[] = [];
  const oursHostLike: Sample[] = [];
  const trivial: Sample[] = [];
  try {
    // Interleaved, so a burst of load on the machine hits all alike.
    for (let i = 0; i < samples; i++) {
      trivial.push(await sample(trivialFile, trivialDir, false));
      ours.push(await sample(extensionFile, root, false));
      oursHostLike.push(await sample(extensionFile, root, true));
    }
  } finally {
    fs.rmSync(trivialDir, { recursive: true, force: true });
  }
  const errors = [...ours, ...oursHostLike].filter((s) => s.error !== undefined);
  const figures: Record<string, number> = {
    requireMs: median(ours.map((s) => s.requireMs)),
    activateMs: median(ours.map((s) => s.activateMs)),
    totalMs: median(ours.map((s) => s.requireMs + s.activateMs)),
    totalMsP90: quantile(
      ours.map((s) => s.requireMs + s.activateMs),
      0.9,
    ),
    hostLikeRequireMs: median(oursHostLike.map((s) => s.requireMs)),
    hostLikeActivateMs: median(oursHostLike.map((s) => s.activateMs)),
    hostLikeTotalMs: median(oursHostLike.map((s) => s.requireMs + s.activateMs)),
    disposablesRegistered: median(ours.map((s) => s.subscriptions)),
    activationErrors: errors.length,
    productionBuildMs: buildMs,
  };
  let totalBytes = 0;
  const dist = path.join(root, 'dist');
  for (const name of fs
    .readdirSync(dist)
    .filter((n) => n.endsWith('.js'))
    .sort()) {
    const bytes = fs.readFileSync(path.join(dist, name));
    totalBytes += bytes.length;
    const key = name.replace(/\.js$/, '');
    figures[`${key}.jsKB`] = bytes.length / KB;
    figures[`${key}.gzipKB`] = gzipSync(bytes).length / KB;
  }
  figures.bundlesTotalKB = totalBytes / KB;
  const vsix = fs
    .readdirSync(root)
    .filter((n) => n.endsWith('.vsix'))
    .map((n) => ({ n, stat: fs.statSync(path.join(root, n)) }))
    .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs)[0];
  if (vsix !== undefined) figures.vsixKB = vsix.stat.size / KB;
  const baselineTotal = median(trivial.map((s) => s.requireMs + s.activateMs));
  const notes = [
    `median of ${samples} fresh processes each; baseline: a trivial extension (activate returns {}) loaded the same way with the same stand-in vscode module`,
    `cold: nothing preloaded (node's https/tls/crypto load with our bundle); host-like: those built-ins preloaded first, as in the extension host`,
    `activate() with an empty watchlist and no credentials (first install): nothing connects; ${figures.disposablesRegistered} disposables registered`,
    vsix !== undefined
      ? `vsix: ${vsix.n} (built ${new Date(vsix.stat.mtimeMs).toISOString()})`
      : 'no .vsix in the project root (run `npx vsce package` to measure one)',
  ];
  notes.push(load.note());
  if (errors.length > 0)
    notes.push(`ACTIVATION FAILED in ${errors.length} of ${2 * samples} samples: ${errors[0].error}`);
  return {
    name: 'activation',
    figures,
    baseline: {
      trivialRequireMs: median(trivial.map((s) => s.requireMs)),
      trivialActivateMs: median(trivial.map((s) => s.activateMs)),
      trivialTotalMs: baselineTotal,
    },
    ratio: { totalVsTrivial: figures.totalMs / baselineTotal },
    notes: notes.map((n) => n.replace(/(\d+\.\d{3,})/g, (m) => String(round(Number(m), 2)))),
    machine: machineInfo(),
  };
}

if (require.main === module && process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4], process.argv[5] === 'host-like').then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
