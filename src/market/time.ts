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

/** The instant of midnight KST that starts the Seoul day containing `epochMs`. */
export function kstMidnight(epochMs: number): number {
  return epochMs - ((epochMs + KST_OFFSET_MS) % DAY_MS);
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

/** An instant as Seoul wall-clock `HH:MM:SS` for people. */
export function formatKstClock(epochMs: number): string {
  const t = formatKstTime(new Date(epochMs));
  return `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;
}
