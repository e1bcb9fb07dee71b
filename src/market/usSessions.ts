/**
 * US trading sessions by the New York clock. The offset of America/New_York comes from the
 * time-zone database through `Intl.DateTimeFormat`, never a fixed −5/−4 h, so the daylight-saving changes
 * (second Sunday of March, first Sunday of November) move the sessions by themselves.
 *
 * Sessions (exchange rules; KIS's MTYP codes 1 장중 / 2 장전 / 3 장후, kis-protocol.md §8.4):
 *   pre 04:00–09:30, regular 09:30–16:00, after 16:00–20:00, New York time, Monday to Friday.
 * KIS's US day session (주간거래, `R…` keys) runs 10:00–16:00 KST on Korean weekdays [OFFICIAL] W2
 * (kis-ws-more.md §7, §9). US exchange holidays are not known here (no source in this repo): a holiday
 * reads as a normal weekday.
 */

/** Where the US market is at an instant. */
export type UsSession = 'pre' | 'regular' | 'after' | 'day' | 'closed';

/** A wall clock in one time zone. */
export interface WallClock {
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minutes: number;
  /** `YYYYMMDD` local date. */
  readonly date: string;
}

/** Session bounds in minutes since New York midnight, as data. */
export const US_SESSION_MINUTES = {
  pre: [4 * 60, 9 * 60 + 30],
  regular: [9 * 60 + 30, 16 * 60],
  after: [16 * 60, 20 * 60],
} as const;

/** KIS's day session in minutes since Seoul midnight (10:00–16:00 KST). */
export const US_DAY_SESSION_KST_MINUTES = [10 * 60, 16 * 60] as const;

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone: building one costs far more than using it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at `epochMs`, from the time-zone database. */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS[parts.weekday] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}${parts.month}${parts.day}`,
  };
}

/** New York's offset from UTC in minutes at `epochMs` (−240 in EDT, −300 in EST). */
export function newYorkOffsetMinutes(epochMs: number): number {
  const ny = wallClock(epochMs, 'America/New_York');
  const utcMinutes = Math.floor((epochMs % 86_400_000) / 60_000);
  const utc = wallClock(epochMs, 'UTC');
  let diff = ny.minutes - utcMinutes;
  if (ny.date !== utc.date) diff += ny.date < utc.date ? -1440 : 1440;
  return diff;
}

const weekday = (c: WallClock): boolean => c.weekday >= 1 && c.weekday <= 5;
const within = (m: number, [from, to]: readonly [number, number]): boolean => m >= from && m < to;

/** The US session at `epochMs`. */
export function usSession(epochMs: number): UsSession {
  const ny = wallClock(epochMs, 'America/New_York');
  if (weekday(ny)) {
    if (within(ny.minutes, US_SESSION_MINUTES.pre)) return 'pre';
    if (within(ny.minutes, US_SESSION_MINUTES.regular)) return 'regular';
    if (within(ny.minutes, US_SESSION_MINUTES.after)) return 'after';
  }
  const seoul = wallClock(epochMs, 'Asia/Seoul');
  if (weekday(seoul) && within(seoul.minutes, US_DAY_SESSION_KST_MINUTES)) return 'day';
  return 'closed';
}

/** KIS's MTYP code for a session the HDFSCNT0 feed reports (1 장중, 2 장전, 3 장후); day trades report as 1. */
export function usMarketTypeCode(session: UsSession): '1' | '2' | '3' | undefined {
  switch (session) {
    case 'regular':
    case 'day':
      return '1';
    case 'pre':
      return '2';
    case 'after':
      return '3';
    case 'closed':
      return undefined;
  }
}
