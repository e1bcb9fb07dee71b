/**
 * The one argument parser of `kis-monitor` (Node's `util.parseArgs`, strict) and the conventions every
 * command shares: `-h`/`--help` prints the command's usage on stdout (exit 0), `--version` prints the
 * version (exit 0), and a usage error is one line on stderr with exit code 2. Runtime failures are the
 * commands' own (exit 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './io';

/** Exit codes (README "Command line"). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad input (a flag, a value, a missing argument): one line on stderr and exit code 2. */
export class UsageError extends Error {}

/** The flag shapes the commands use. */
export type OptionSpec = { type: 'string'; multiple?: boolean; short?: string } | { type: 'boolean'; short?: string };
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed value of each flag: `string`, `string[]` (multiple) or `true`; absent flags are undefined. */
export type FlagValues<O extends OptionSpecs> = {
  readonly [K in keyof O]?: O[K] extends { type: 'string'; multiple: true }
    ? string[]
    : O[K] extends { type: 'string' }
      ? string
      : boolean;
};

export interface ParsedArgs<O extends OptionSpecs> {
  values: FlagValues<O>;
  positionals: string[];
}

const CONVENTIONS = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } } as const;

/** What a command declares: its name (as typed), usage text, flags, and what it does with them. */
export interface CommandSpec<O extends OptionSpecs> {
  name: string;
  usage: string;
  options: O;
  /** Whether the command takes operands (codes, a file). */
  positionals: boolean;
  run(args: ParsedArgs<O>, io: CliIo): Promise<number>;
}

/** A command ready to run on raw arguments. */
export interface Command {
  name: string;
  usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/**
 * The version line `--version` prints: the version in the package.json above this file (dist/cli.js in
 * the package, out/src/cli in the tests). Read from disk, not imported, so no copy of package.json lands
 * beside the compiled code.
 */
export function versionLine(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'kis-market-monitor' && typeof manifest.version === 'string')
        return `kis-monitor ${manifest.version}\n`;
    }
    if (path.dirname(dir) === dir) return 'kis-monitor (version unknown)\n';
  }
}

/**
 * Parses `argv` strictly against `options` plus `--help`/`--version`.
 * @throws UsageError with parseArgs' own sentence (unknown option, missing value, unexpected operand).
 */
export function parseCommandArgs<O extends OptionSpecs>(
  argv: readonly string[],
  options: O,
  positionals: boolean,
): ParsedArgs<O & typeof CONVENTIONS> {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, ...CONVENTIONS },
      strict: true,
      allowPositionals: positionals,
    });
    return { values: parsed.values as FlagValues<O & typeof CONVENTIONS>, positionals: parsed.positionals };
  } catch (error) {
    // parseArgs' advice about '--' after an unknown option is true but long; the option's name is the point.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** Writes a usage error as one line (what is wrong, and where the usage is). */
export function reportUsageError(io: CliIo, name: string, message: string): number {
  const who = name === '' ? 'kis-monitor' : `kis-monitor ${name}`;
  io.stderr.write(`${who}: ${message} (see: ${who} --help)\n`);
  return EXIT.usage;
}

/** Wraps a command's spec with the shared conventions (help, version, usage errors). */
export function command<O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    usage: spec.usage,
    async run(argv, io) {
      try {
        const args = parseCommandArgs(argv, spec.options, spec.positionals);
        if (args.values.help === true) {
          io.stdout.write(spec.usage);
          return EXIT.ok;
        }
        if (args.values.version === true) {
          io.stdout.write(versionLine());
          return EXIT.ok;
        }
        return await spec.run(args, io);
      } catch (error) {
        if (error instanceof UsageError) return reportUsageError(io, spec.name, error.message);
        throw error;
      }
    },
  };
}

/** A number above 0, or undefined when the flag is absent. @throws UsageError */
export function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`${flag} must be a positive number, not "${text}"`);
  return value;
}

/** A whole number in [min, max]. @throws UsageError */
export function integerIn(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

/** The operands (and comma lists in them) as distinct, trimmed, non-empty items. */
export function splitList(items: readonly string[]): string[] {
  return [
    ...new Set(
      items
        .flatMap((p) => p.split(','))
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ];
}
