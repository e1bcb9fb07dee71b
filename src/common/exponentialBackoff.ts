/**
 * The arithmetic shared by the agent's reconnect backoff and the worker host's restart backoff: an
 * exponentially growing ceiling and a guarded random draw. Each caller decides how to jitter within it.
 */

/**
 * `min(capMs, baseMs * 2^attempt)` for a 0-based attempt, never negative. The exponent is clamped, since
 * 2^attempt overflows to Infinity around 1024 and min() would stop meaning anything.
 */
export function backoffCeiling(attempt: number, baseMs: number, capMs: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  return Math.max(0, Math.min(capMs, baseMs * 2 ** exponent));
}

/** One draw in [0, 1) from `random`; a broken source (NaN, negative, ≥ 1) reads as 0, never as a bad delay. */
export function unitDraw(random: () => number): number {
  const draw = random();
  return draw >= 0 && draw < 1 ? draw : 0;
}
