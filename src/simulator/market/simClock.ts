/**
 * The simulator's clock: the simulated clock of `kis-monitor sim --clock <ISO instant> [--speed N]`, and
 * the KRX regular session that `marketHours: true` enforces.
 */
import { KRX_DAY_SESSION_MINUTES, kstMinuteOfDay, kstWeekday } from '../../market';

/** An ISO instant with an explicit offset or Z (e.g. 2026-12-07T17:30:00+09:00): the day must not depend on the machine's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `--clock`; undefined when it is not an ISO instant with an offset. */
export function parseClockInstant(text: string): number | undefined {
  if (!ISO_INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A clock that starts at `startMs` and runs `speed` times real time (measured by `realNow`, read once
 * now and at each call).
 */
export function simulatedClock(startMs: number, speed = 1, realNow: () => number = Date.now): () => number {
  const t0 = realNow();
  return () => startMs + (realNow() - t0) * speed;
}

/** True when `now` (epoch ms) falls in the KRX day session (weekdays 09:00–15:30 KST, from the phase table). */
export function isKrxSessionOpen(now: number): boolean {
  const day = kstWeekday(now);
  if (day === 0 || day === 6) return false;
  const minutes = kstMinuteOfDay(now);
  return minutes >= KRX_DAY_SESSION_MINUTES.open && minutes < KRX_DAY_SESSION_MINUTES.close;
}
