/**
 * What every `kis-monitor` command reads and writes. The process entry (main.ts) fills it from the
 * process; tests pass their own streams, environment and an AbortSignal and run a command in-process.
 */
import type { KisSimulator, ReplayFeed } from '../simulator';

/** A text sink: process.stdout/stderr, or a test's collector. */
export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Environment (KIS_APPKEY, KIS_APPSECRET, XDG_*). Default process.env. */
  env?: Record<string, string | undefined>;
  /** Base for relative paths (--handler, --out, a recording). Default process.cwd(). */
  cwd?: string;
  /** Stops a long-running command when aborted. Without it, SIGINT/SIGTERM stop it. */
  signal?: AbortSignal;
  /** Period of the once-a-second status lines (ms). Default 1000. */
  statsIntervalMs?: number;
  /** Called once `sim` listens (tests read its address). */
  onListening?: (sim: KisSimulator) => void;
  /** Called once `replay` listens (tests read its address and progress). */
  onReplayListening?: (sim: KisSimulator, feed: ReplayFeed) => void;
}

/** One JSON line on `out`. */
export function writeLine(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}
