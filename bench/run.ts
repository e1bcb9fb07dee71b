/**
 * Runs the benchmarks and writes bench/results.json.
 *   npm run bench              the full set
 *   npm run bench -- --quick   the short set (under a minute)
 *   npm run bench -- subscribe throughput   only the named ones
 * Each benchmark is a module in bench/ exporting `run(options): Promise<BenchResult>`; see bench/common.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printResult, type BenchOptions, type BenchResult } from './common';

/** The benchmarks in the order they run (module file names without extension). */
const ORDER = ['simulator-throughput', 'subscribe', 'throughput', 'peak-load', 'pingpong', 'render-rate', 'memory', 'activation', 'hub', 'recording', 'search'];

interface BenchModule {
  run(options: BenchOptions): Promise<BenchResult | BenchResult[]>;
}

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && typeof (value as { run?: unknown }).run === 'function';
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
  fs.writeFileSync(target, `${JSON.stringify({ quick, at: new Date().toISOString(), results }, null, 2)}\n`);
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
