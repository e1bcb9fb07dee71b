/**
 * The worker runtime's timers, injectable so tests drive time without sleeping (moved out of runtime.ts
 * to keep it under 400 lines).
 */

/** Timer functions, injectable so tests drive time without sleeping. */
export interface RuntimeTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

/** The real clock and intervals. */
export const realTimers: RuntimeTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
