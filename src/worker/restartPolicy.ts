/**
 * When to bring a dead worker back: exponential backoff with jitter drawn fresh per attempt, reset once a
 * worker has stayed up for `minUptimeMs` (a worker that dies at once every time must not spin a core,
 * and one that ran fine for a while deserves a fast restart).
 */

import { backoffCeiling, unitDraw } from '../common/exponentialBackoff';

/** Restart backoff tuning. */
export interface RestartBackoff {
  /** Delay ceiling of the first restart (ms). Default 100. */
  baseMs?: number;
  /** The ceiling never exceeds this (ms). Default 10,000. */
  capMs?: number;
  /** A worker that ran at least this long resets the attempt counter (ms). Default 10,000. */
  minUptimeMs?: number;
}

/** Defaults of {@link RestartBackoff}. */
export const RESTART_BACKOFF_DEFAULTS: Readonly<Required<RestartBackoff>> = Object.freeze({
  baseMs: 100,
  capMs: 10_000,
  minUptimeMs: 10_000,
});

/**
 * Delay before restart `attempt` (0-based): uniform in [ceiling/2, ceiling) with
 * ceiling = min(cap, base * 2^attempt). Half the ceiling is kept as a floor so a crash loop always backs
 * off; the random half spreads restarts. Pure: pass `random` for determinism.
 */
export function restartDelay(
  attempt: number,
  options: RestartBackoff = {},
  random: () => number = Math.random,
): number {
  const baseMs = options.baseMs ?? RESTART_BACKOFF_DEFAULTS.baseMs;
  const capMs = options.capMs ?? RESTART_BACKOFF_DEFAULTS.capMs;
  const ceiling = backoffCeiling(attempt, baseMs, capMs);
  const unit = unitDraw(random);
  return Math.floor(ceiling / 2 + (unit * ceiling) / 2);
}
