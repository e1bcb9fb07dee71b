/**
 * The command line of `npm run soak:day -- --minutes N [--seed S] [--bug NAME]` and the day it plays.
 */
import { parseArgs } from 'node:util';
import { BUGS, type BugName } from './bugs';

/** The simulated day: Monday 2026-12-07 (a weekday after the KRX after-market began), 08:00 to 20:00 KST. */
export const DAY_START = '2026-12-07T08:00:00+09:00';
export const DAY_END_KST = '20:00';
/** Simulated minutes the day spans (08:00–20:00). */
export const DAY_MINUTES = 12 * 60;

export interface SoakOptions {
  minutes: number;
  seed: number;
  bug: BugName | undefined;
}

export const USAGE = `npm run soak:day -- --minutes N [--seed S] [--bug ${BUGS.join('|')}]
  plays 08:00–20:00 KST compressed into N real minutes under a seeded fault schedule;
  the last stdout line is the JSON summary; exit 1 on any invariant violation.
  --bug applies one deliberate bug to prove its invariant can fail (the run must then exit 1 naming it).`;

export function parseOptions(argv: readonly string[]): SoakOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      minutes: { type: 'string' },
      seed: { type: 'string' },
      bug: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) throw new UsageError(USAGE);
  const minutes = Number(values.minutes ?? '2');
  // The feed's simulated clock runs at most 10,000× (settings limit): 720 min / 10,000 ≈ 0.08 min.
  if (!Number.isFinite(minutes) || minutes < 0.1 || minutes > 720)
    throw new UsageError(`--minutes must be a number from 0.1 to 720, got "${values.minutes}"\n${USAGE}`);
  const seed = Number(values.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  const bug = values.bug;
  if (bug !== undefined && !(BUGS as readonly string[]).includes(bug))
    throw new UsageError(`--bug must be one of ${BUGS.join(', ')}, got "${bug}"`);
  return { minutes, seed, bug: bug as BugName | undefined };
}

export class UsageError extends Error {}

/** "HH:MM" (KST) of a simulated epoch. */
export function kstClock(at: number): string {
  return new Date(at + 9 * 3_600_000).toISOString().slice(11, 19);
}

/** Epoch ms of a KST "HH:MM" on the soak's day. */
export function kstAt(hhmm: string): number {
  return Date.parse(`2026-12-07T${hhmm}:00+09:00`);
}
