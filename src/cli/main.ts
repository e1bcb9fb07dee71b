/**
 * `kis-monitor`: the command-line face of the agent, the simulator and the recorder (bundled to
 * dist/cli.js). `main(argv, io)` picks the command; tests run it in-process. Only `runProcess` touches
 * the process: it turns Ctrl+C, SIGTERM and a closed stdout (`kis-monitor watch 005930 | head -3`) into
 * one stop request, so a command ends the same quiet way for each.
 */
import { command, EXIT, reportUsageError, UsageError, type Command } from './args';
import { barsCommand } from './bars';
import type { CliIo, Output } from './io';
import { joinCommand } from './join';
import { quoteCommand } from './quote';
import { recordCommand } from './record';
import { replayCommand } from './replay';
import { simCommand } from './sim';
import { simOrderCommand } from './simOrder';
import { watchCommand } from './watch';

export type { CliIo } from './io';

export const USAGE = `Usage: kis-monitor <command> [options]

Commands:
  watch    stream real-time records as JSON lines (watch --join: share one KIS session with this user's other windows)
  record   record a session to a file
  replay   serve a recording through the simulator
  sim      run the KIS simulator in the foreground
  sim-order  place an order on the simulator's paper account (its fills: watch --tr H0STCNI9)
  quote    the current price by REST
  bars     today's minute bars or daily candles by REST

kis-monitor <command> --help describes a command; kis-monitor --version prints the version.
Exit codes: 0 ok (also after Ctrl+C or a closed stdout), 1 runtime failure, 2 usage error.
`;

const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [watchCommand, recordCommand, replayCommand, simCommand, simOrderCommand, quoteCommand, barsCommand].map((c) => [
    c.name,
    c,
  ]),
);

/** The top level: `kis-monitor --help` and `--version`; it has no command of its own to run. */
const topLevel = command({
  name: '',
  usage: USAGE,
  options: {},
  positionals: false,
  run: () => Promise.reject(new UsageError('a command is required')),
});

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'watch' && rest.includes('--join')) return joinCommand.run(rest, io);
  const found = name === undefined ? undefined : COMMANDS.get(name);
  if (found !== undefined) return found.run(rest, io);
  if (name === undefined || name.startsWith('-')) return topLevel.run(argv, io);
  if (name === 'help') return topLevel.run(['--help'], io);
  return reportUsageError(io, '', `unknown command "${name}"`);
}

/** True for the errors of a stream whose reader has gone (`| head`). */
function readerGone(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

/** What quietOutput needs of process.stdout. */
export interface ErrorEmittingOutput {
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * `stream` as an Output that goes quiet once its reader has gone: `onGone` runs once, later writes are
 * dropped. Any other stream error is rethrown (a real failure, not a reader that left).
 */
export function quietOutput(stream: ErrorEmittingOutput, onGone: () => void): Output {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!readerGone(error)) throw error;
    if (!gone) onGone();
    gone = true;
  });
  return { write: (text: string) => !gone && stream.write(text) };
}

/**
 * The process's io: stdout and stderr that go quiet once their reader has gone, and one AbortSignal
 * that SIGINT, SIGTERM or a closed stdout aborts (its reason names which).
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = (reason: string): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return {
    stdout: quietOutput(process.stdout, () => stop('EPIPE')),
    // Logs are not worth stopping for: a closed stderr only silences them.
    stderr: quietOutput(process.stderr, () => undefined),
    signal: controller.signal,
  };
}

/** The process entry: runs `main` on the process's arguments and sets the exit code. */
export function runProcess(): void {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`kis-monitor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

if (require.main === module) runProcess();
