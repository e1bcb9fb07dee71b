/**
 * Shared shape and helpers for the benchmarks in bench/. Every benchmark module exports
 * `run(options: BenchOptions): Promise<BenchResult>`; bench/run.ts runs them and writes bench/results.json.
 * Figures are ratios against a baseline measured in the same run (these machines are noisy).
 */
import * as os from 'node:os';

/** Options every benchmark accepts. */
export interface BenchOptions {
  /** The short variant (the whole suite under 60 s). */
  quick: boolean;
}

/** The machine a result was measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemGiB: number;
  node: string;
  platform: string;
}

/** One benchmark's output: its figures, the baseline it is compared with, and their ratio. */
export interface BenchResult {
  name: string;
  /** Named figures (records/s, ms, MB, ...); the unit is in the name, e.g. `agentRecordsPerSec`. */
  figures: Record<string, number>;
  /** The baseline figures measured in the same run, when the benchmark has one. */
  baseline?: Record<string, number>;
  /** figure / baseline for the headline comparisons. */
  ratio?: Record<string, number>;
  /** Free-form notes (targets met or missed, what limits a number). */
  notes?: string[];
  machine: MachineInfo;
}

/** Reads the machine description once per run. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** The q-quantile (0..1) of a list of numbers (nearest-rank); NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Rounds for display. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Prints a result as a two-column table. */
export function printResult(result: BenchResult): void {
  const rows: [string, string][] = [];
  for (const [k, v] of Object.entries(result.figures)) rows.push([k, String(round(v))]);
  for (const [k, v] of Object.entries(result.baseline ?? {})) rows.push([`baseline.${k}`, String(round(v))]);
  for (const [k, v] of Object.entries(result.ratio ?? {})) rows.push([`ratio.${k}`, String(round(v, 3))]);
  const width = Math.max(...rows.map(([k]) => k.length), 10);
  console.log(`\n## ${result.name}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  for (const note of result.notes ?? []) console.log(`  note: ${note}`);
}
