/**
 * Runs the benchmarks and writes bench/results.json.
 *   npm run bench              the full set
 *   npm run bench -- --quick   the short set (under a minute)
 *   npm run bench -- subscribe throughput   only the named ones
 * Each benchmark is a module in bench/ exporting `run(options): Promise<BenchResult>`; see bench/common.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printResult, type BenchOptions, type BenchResult } from './support/common';

/** The benchmarks in the order they run (module file names without extension). */
const ORDER = [
  'simulator-throughput',
  'subscribe',
  'throughput',
  'peak-load',
  'pingpong',
  'render-rate',
  'memory',
  'activation',
  'hub',
  'recording',
  'search',
];

interface BenchModule {
  run(options: BenchOptions): Promise<BenchResult | BenchResult[]>;
}

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && typeof (value as { run?: unknown }).run === 'function';
}

/**
 * The figures the performance goals are judged on, lifted out of their results (by result name and key)
 * to the top of results.json: the fair limit at both mixes, the main thread at the real peak and the
 * PINGPONG floor; `bench/screen.mjs` adds the wire-to-screen latency there when it runs.
 */
const HEADLINES: readonly { key: string; result: string; from: 'figures' | 'ratio' | 'baseline'; name: string }[] = [
  { key: 'e2eVsParsingClient1', result: 'throughput simulator 1/frame', from: 'ratio', name: 'e2eVsParsingClient' },
  { key: 'e2eVsParsingClient10', result: 'throughput simulator 10/frame', from: 'ratio', name: 'e2eVsParsingClient' },
  { key: 'e2eVsBare1', result: 'throughput simulator 1/frame', from: 'ratio', name: 'e2eVsBare' },
  { key: 'e2eVsBare10', result: 'throughput simulator 10/frame', from: 'ratio', name: 'e2eVsBare' },
  { key: 'mainThreadBusyPctAtPeak', result: 'peak-load', from: 'figures', name: 'mainThreadBusyPctAtPeak' },
  { key: 'mainThreadEluPctAtPeak', result: 'peak-load', from: 'figures', name: 'mainThreadEluPctAtPeak' },
  { key: 'idleMainThreadBusyPct', result: 'peak-load', from: 'baseline', name: 'idleMainThreadBusyPct' },
  { key: 'workerThreadEluPctAtPeak', result: 'peak-load', from: 'figures', name: 'workerThreadEluPctAtPeak' },
  { key: 'rssAfterMinuteMB', result: 'peak-load', from: 'figures', name: 'rssAfterMinuteMB' },
  { key: 'peakRecordsPerSec', result: 'peak-load', from: 'figures', name: 'recordsPerSecAtPeak' },
  { key: 'blastPingP99VsIdle', result: 'pingpong', from: 'ratio', name: 'blastP99VsIdleP99' },
  { key: 'blastPingReceiverP99Ms', result: 'pingpong', from: 'figures', name: 'blastAgentEchoP99Ms' },
  { key: 'blastPingReceiverShareOfP99', result: 'pingpong', from: 'ratio', name: 'blastAgentP99VsBlastP99' },
];

function headlinesOf(results: readonly BenchResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of HEADLINES) {
    const value = results.find((r) => r.name === h.result)?.[h.from]?.[h.name];
    if (value !== undefined) out[h.key] = Math.round(value * 1000) / 1000;
  }
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.filter((a) => !a.startsWith('--'));
  const names = ORDER.filter((name) => only.length === 0 || only.includes(name));
  const results: BenchResult[] = [];
  let failed = 0;
  for (const name of names) {
    const file = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(file)) {
      console.log(`\n## ${name}: not built (${path.relative(process.cwd(), file)} missing), skipped`);
      continue;
    }
    const started = Date.now();
    try {
      const loaded: unknown = await import(file);
      if (!isBenchModule(loaded)) throw new Error(`${name} does not export run()`);
      const out = await loaded.run({ quick });
      for (const result of Array.isArray(out) ? out : [out]) {
        printResult(result);
        results.push(result);
      }
      console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      console.error(`\n## ${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  const target = path.resolve(__dirname, '../../bench/results.json');
  const headlines = headlinesOf(results);
  if (Object.keys(headlines).length > 0) {
    console.log('\n## headlines');
    for (const [k, v] of Object.entries(headlines)) console.log(`  ${k.padEnd(34)}  ${v}`);
  }
  fs.writeFileSync(
    target,
    `${JSON.stringify({ quick, at: new Date().toISOString(), loadAverage: os.loadavg()[0], headlines, results }, null, 2)}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), target)} (${results.length} results)`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
