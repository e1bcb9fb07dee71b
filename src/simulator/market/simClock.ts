/**
 * The simulator's clock: the simulated clock of `kis-monitor sim --clock <ISO instant> [--speed N]`, and
 * the KRX regular session that `marketHours: true` enforces.
 */
import { KRX_DAY_SESSION_MINUTES, kstMinuteOfDay, kstWeekday } from '../../market';

/** Parses `--clock`: an ISO instant with an offset (the rule lives in src/market, where the settings read it too). */
export { parseIsoInstant as parseClockInstant } from '../../market/isoInstant';

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
