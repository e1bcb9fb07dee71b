/**
 * KRX trading sessions, computed in Asia/Seoul whatever the machine's time zone. Pure: the instant is
 * always passed in. Korea has no daylight saving time, so KST is UTC+9 all year and a fixed offset is
 * exact (no Intl time-zone lookup needed, which also keeps this cheap enough to call per refresh).
 *
 * Sessions (weekdays):
 *   pre-market      08:30–09:00  (order entry and the opening single-price auction)
 *   regular         09:00–15:30  (continuous trading and the closing auction)
 *   after-market    15:40–18:00  until 2026-09-13 (closing-price trading, then the single-price session)
 *                   16:00–20:00  from 2026-09-14 (KRX after-market; kis-protocol.md §10, KIS notice 2026-09-09)
 * Anything else, weekends included, is closed. Exchange holidays are not modelled (no reliable source
 * here); on a holiday the views may call a quiet market "stale", which is the honest reading anyway.
 */

/** A phase of the KRX trading day. */
export type MarketPhase = 'preMarket' | 'regular' | 'afterMarket' | 'closed';

import { kstMidnight, toKstWallClock } from './time';

/** First KST business date on which the 16:00–20:00 after-market applies (YYYYMMDD as a number). */
export const AFTER_MARKET_CHANGE_DATE = 20260914;

/** A session as minutes since KST midnight, [start, end). */
interface Session {
  phase: Exclude<MarketPhase, 'closed'>;
  start: number;
  end: number;
}

const hm = (h: number, m: number): number => h * 60 + m;

const SESSIONS_BEFORE_CHANGE: readonly Session[] = [
  { phase: 'preMarket', start: hm(8, 30), end: hm(9, 0) },
  { phase: 'regular', start: hm(9, 0), end: hm(15, 30) },
  { phase: 'afterMarket', start: hm(15, 40), end: hm(18, 0) },
];

const SESSIONS_AFTER_CHANGE: readonly Session[] = [
  { phase: 'preMarket', start: hm(8, 30), end: hm(9, 0) },
  { phase: 'regular', start: hm(9, 0), end: hm(15, 30) },
  { phase: 'afterMarket', start: hm(16, 0), end: hm(20, 0) },
];

/** The wall clock in Seoul for an instant: calendar fields and minutes since midnight. */
export interface KstClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  minutes: number;
  /** YYYYMMDD as a number, for date comparisons. */
  ymd: number;
}

/** Converts an instant to the Seoul wall clock (independent of `process.env.TZ`). */
export function kstClock(date: Date): KstClock {
  // Shift the instant by +9 h and read the UTC fields: those are the Seoul wall-clock fields.
  const shifted = toKstWallClock(date.getTime());
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    year,
    month,
    day,
    weekday: shifted.getUTCDay(),
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    ymd: year * 10000 + month * 100 + day,
  };
}

function sessionsFor(ymd: number): readonly Session[] {
  return ymd >= AFTER_MARKET_CHANGE_DATE ? SESSIONS_AFTER_CHANGE : SESSIONS_BEFORE_CHANGE;
}

/** The KRX phase at `date`. */
export function marketPhase(date: Date): MarketPhase {
  const clock = kstClock(date);
  if (clock.weekday === 0 || clock.weekday === 6) return 'closed';
  for (const session of sessionsFor(clock.ymd)) {
    if (clock.minutes >= session.start && clock.minutes < session.end) return session.phase;
  }
  return 'closed';
}

/** True when trades or quotes can flow (any phase but `closed`). */
export function isMarketOpen(date: Date): boolean {
  return marketPhase(date) !== 'closed';
}

/**
 * The next instant at which a session starts, strictly after `date` (weekends skipped). Used to tell
 * the user when data will flow again.
 */
export function nextSessionStart(date: Date): Date {
  const clock = kstClock(date);
  // Midnight KST of the current Seoul day, as an instant.
  const midnight = kstMidnight(date.getTime());
  for (let dayOffset = 0; dayOffset < 8; dayOffset++) {
    const dayStart = midnight + dayOffset * 86_400_000;
    const dayClock = kstClock(new Date(dayStart));
    if (dayClock.weekday === 0 || dayClock.weekday === 6) continue;
    for (const session of sessionsFor(dayClock.ymd)) {
      if (dayOffset === 0 && session.start <= clock.minutes) continue;
      return new Date(dayStart + session.start * 60_000);
    }
  }
  throw new Error('unreachable: no weekday within 8 days');
}
