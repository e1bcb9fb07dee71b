/**
 * Seoul time, the one place that knows Korea's offset. Asia/Seoul is UTC+9 all year (no daylight saving
 * since 1988), so a fixed shift is exact and cheap: shift the instant by +9 h and read the UTC fields,
 * independent of `process.env.TZ` and without an Intl time-zone lookup on the hot path.
 */

/** The Asia/Seoul offset from UTC in milliseconds (KST = UTC+9, no DST). */
export const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** An instant shifted so that its UTC fields read as the Seoul wall clock. */
export function toKstWallClock(epochMs: number): Date {
  return new Date(epochMs + KST_OFFSET_MS);
}

/** The instant of midnight KST that starts the Seoul day containing `epochMs` (floored, so it holds before 1970 too). */
export function kstMidnight(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
}

/** Minutes after midnight KST of an instant (0–1439). */
export function kstMinuteOfDay(epochMs: number): number {
  const k = toKstWallClock(epochMs);
  return k.getUTCHours() * 60 + k.getUTCMinutes();
}

/** The Seoul weekday of an instant, 0 = Sunday … 6 = Saturday. */
export function kstWeekday(epochMs: number): number {
  return toKstWallClock(epochMs).getUTCDay();
}

/**
 * Whether a machine zone is Seoul's, given its offset as `Date.getTimezoneOffset()` reports it (minutes
 * to add to local time to reach UTC: -540 in Seoul).
 */
export function isKstTimezoneOffset(timezoneOffsetMinutes: number): boolean {
  return timezoneOffsetMinutes === -KST_OFFSET_MS / 60_000;
}

/**
 * The instant of a KST business date (YYYYMMDD) and time of day (HHMMSS), as KIS writes both; undefined
 * when either is malformed or a field is out of range (24:00:00 is the next midnight, as ISO 8601 reads it).
 */
export function kstInstant(yyyymmdd: string, hhmmss: string): number | undefined {
  if (!/^\d{8}$/.test(yyyymmdd) || !/^\d{6}$/.test(hhmmss)) return undefined;
  const field = (s: string, from: number, to: number): number => Number(s.slice(from, to));
  const [month, day] = [field(yyyymmdd, 4, 6), field(yyyymmdd, 6, 8)];
  const [hour, minute, second] = [field(hhmmss, 0, 2), field(hhmmss, 2, 4), field(hhmmss, 4, 6)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59) return undefined;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  return Date.UTC(field(yyyymmdd, 0, 4), month - 1, day, hour, minute, second) - KST_OFFSET_MS;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** YYYYMMDD in Asia/Seoul (KIS business-date fields, the day key of bars). */
export function formatKstDate(date: Date): string {
  const k = toKstWallClock(date.getTime());
  return `${k.getUTCFullYear()}${pad2(k.getUTCMonth() + 1)}${pad2(k.getUTCDate())}`;
}

/** HHMMSS in Asia/Seoul (the KIS wire format of a time of day). */
export function formatKstTime(date: Date): string {
  const k = toKstWallClock(date.getTime());
  return `${pad2(k.getUTCHours())}${pad2(k.getUTCMinutes())}${pad2(k.getUTCSeconds())}`;
}

/** YYYYMMDDHHMMSS in Asia/Seoul (the PINGPONG `datetime`). */
export function formatKstDateTime(date: Date): string {
  return formatKstDate(date) + formatKstTime(date);
}

/** An instant as Seoul wall-clock `HH:MM` for people. */
export function formatKstHourMinute(epochMs: number): string {
  const k = toKstWallClock(epochMs);
  return `${pad2(k.getUTCHours())}:${pad2(k.getUTCMinutes())}`;
}

/** An instant as Seoul wall-clock `HH:MM:SS` for people. */
export function formatKstClock(epochMs: number): string {
  const t = formatKstTime(new Date(epochMs));
  return `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;
}
