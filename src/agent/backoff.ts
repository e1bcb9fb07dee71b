/**
 * Reconnect backoff: exponential growth with FULL jitter, drawn fresh for every attempt.
 *
 * Why full jitter (a uniform draw in [0, ceiling)) rather than a fixed delay plus a little noise: after a
 * KIS-wide drop (the Friday restarts, kis-protocol.md §11.11) every client reconnects at once; spreading the
 * whole window keeps them from arriving in waves. Why fresh per attempt: a jitter computed once per process
 * (as reconnecting-websocket does) just shifts the wave.
 */

import { backoffCeiling, unitDraw } from '../common/exponentialBackoff';

/** Tuning of the reconnect backoff. Every field is optional; defaults in {@link BACKOFF_DEFAULTS}. */
export interface BackoffOptions {
  /** Ceiling of the first attempt (ms). */
  baseMs?: number;
  /** The ceiling never grows beyond this (ms). */
  capMs?: number;
  /** A session that stayed open this long resets the attempt counter (ms). */
  stableMs?: number;
}

/** Defaults: 250 ms doubling to 30 s; one stable minute resets. */
export const BACKOFF_DEFAULTS: Readonly<Required<BackoffOptions>> = Object.freeze({
  baseMs: 250,
  capMs: 30_000,
  stableMs: 60_000,
});

/**
 * The delay before reconnect attempt `attempt` (0-based): `random() * min(cap, base * 2^attempt)`,
 * rounded down to whole milliseconds. Pure: pass `random` to make it deterministic.
 */
export function nextDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const baseMs = options.baseMs ?? BACKOFF_DEFAULTS.baseMs;
  const capMs = options.capMs ?? BACKOFF_DEFAULTS.capMs;
  const ceiling = backoffCeiling(attempt, baseMs, capMs);
  const unit = unitDraw(random);
  return Math.floor(unit * ceiling);
}

/**
 * The attempt counter behind {@link nextDelay}: grows on every failed or short-lived session and
 * resets once a session has stayed open for `stableMs`.
 */
export class BackoffSchedule {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** The attempt number the next delay will use. */
  get attempts(): number {
    return this.attempt;
  }

  /**
   * Reports how long the session that just ended was open (0 when it never opened) and returns the
   * delay before the next attempt.
   */
  next(openForMs: number): number {
    const stableMs = this.options.stableMs ?? BACKOFF_DEFAULTS.stableMs;
    if (openForMs >= stableMs) {
      this.attempt = 0;
    }
    const delay = nextDelay(this.attempt, this.options, this.random);
    this.attempt += 1;
    return delay;
  }

  /** Starts over (a user-initiated connect). */
  reset(): void {
    this.attempt = 0;
  }
}
