/**
 * Prints bench/results.json as Markdown (for bench/README.md): the machine, then one table per result
 * with its figures, baseline figures and ratios, and its notes.
 *   node out/bench/table.js [path/to/results.json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { round, type BenchResult } from './common';

interface ResultsFile {
  quick: boolean;
  at: string;
  /** The 1-minute load average when the suite finished. */
  loadAverage?: number;
  /** The goals' figures lifted out of the results (bench/run.ts; bench/screen.mjs adds its own). */
  headlines?: Record<string, number>;
  screenAt?: string;
  results: BenchResult[];
}

function cell(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const shown =
    abs >= 1000 ? Math.round(value).toLocaleString('en-US') : String(round(value, abs >= 10 ? 1 : abs >= 1 ? 2 : 3));
  return shown;
}

function main(): void {
  const file = process.argv[2] ?? path.resolve(__dirname, '../../../bench/results.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
  const machine = data.results[0]?.machine;
  const out: string[] = [];
  out.push(`Run: ${data.quick ? '`npm run bench -- --quick`' : '`npm run bench` (full)'} at ${data.at}`);
  if (machine !== undefined) {
    out.push(
      `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemGiB} GiB, Node ${machine.node}, ${machine.platform}`,
    );
  }
  if (data.headlines !== undefined && Object.keys(data.headlines).length > 0) {
    const load = data.loadAverage === undefined ? '' : `, load average ${data.loadAverage.toFixed(1)} at the end`;
    out.push(
      '',
      `#### headlines${load}${data.screenAt ? ` (wire to screen: ${data.screenAt})` : ''}`,
      '',
      '| figure | value |',
      '|---|---:|',
    );
    for (const [k, v] of Object.entries(data.headlines)) out.push(`| ${k} | ${cell(v)} |`);
  }
  for (const result of data.results) {
    out.push('', `#### ${result.name}`, '', '| figure | value |', '|---|---:|');
    for (const [k, v] of Object.entries(result.figures)) out.push(`| ${k} | ${cell(v)} |`);
    for (const [k, v] of Object.entries(result.baseline ?? {})) out.push(`| baseline: ${k} | ${cell(v)} |`);
    for (const [k, v] of Object.entries(result.ratio ?? {})) out.push(`| **ratio: ${k}** | **${cell(v)}** |`);
    if ((result.notes ?? []).length > 0) {
      out.push('');
      for (const note of result.notes ?? []) out.push(`- ${note}`);
    }
  }
  console.log(out.join('\n'));
}

main();
