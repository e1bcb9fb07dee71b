/**
 * One-minute bars from trade records. The bar's `time` is the minute's start as epoch seconds of the
 * KST wall clock read as UTC (what lightweight-charts shows without a time-zone shift).
 */
import { formatKstDate } from '../market/time';
import type { Bar } from '../shared/snapshot';

/** Cache of the last business date's midnight, so the common case does no Date arithmetic per record. */
let cachedDate = '';
let cachedMidnight = Number.NaN;

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/** Epoch seconds (KST wall clock as UTC) of the midnight of `YYYYMMDD`; NaN when malformed. */
export function dateToEpochSeconds(yyyymmdd: string): number {
  if (yyyymmdd === cachedDate) return cachedMidnight;
  let seconds = Number.NaN;
  if (yyyymmdd.length === 8 && /^\d{8}$/.test(yyyymmdd)) {
    const year = Number(yyyymmdd.slice(0, 4));
    const month = Number(yyyymmdd.slice(4, 6));
    const day = Number(yyyymmdd.slice(6, 8));
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) seconds = Date.UTC(year, month - 1, day) / 1000;
  }
  cachedDate = yyyymmdd;
  cachedMidnight = seconds;
  return seconds;
}

/** Today's date `YYYYMMDD` in KST at `nowMs`: the fallback when a record carries no business date. */
export function kstDate(nowMs: number): string {
  return formatKstDate(new Date(nowMs));
}

/**
 * The start of the minute holding trade time `hhmmss` on `yyyymmdd`, in epoch seconds (KST as UTC).
 * NaN when the time or date is malformed (the trade still updates the quote, but no bar).
 */
export function minuteStart(yyyymmdd: string, hhmmss: string): number {
  if (hhmmss.length < 4) return Number.NaN;
  const hours = twoDigits(hhmmss, 0);
  const minutes = twoDigits(hhmmss, 2);
  if (!(hours <= 23 && minutes <= 59)) return Number.NaN;
  return dateToEpochSeconds(yyyymmdd) + hours * 3600 + minutes * 60;
}

/**
 * Folds one trade into the symbol's current bar. Returns the bar that holds the trade: `current` updated
 * in place, or a new bar when the minute rolled over. A trade stamped earlier than the current bar
 * (late or out of order) is added to the current bar's volume and close rather than reopening an old
 * bar: the views already drew the old one, and bars never go back in time.
 */
export function foldTrade(
  current: Bar | undefined,
  symbol: string,
  minute: number,
  price: number,
  quantity: number,
): Bar {
  if (current === undefined || minute > current.time) {
    return { symbol, time: minute, open: price, high: price, low: price, close: price, volume: quantity };
  }
  if (price > current.high) current.high = price;
  if (price < current.low) current.low = price;
  current.close = price;
  current.volume += quantity;
  return current;
}
