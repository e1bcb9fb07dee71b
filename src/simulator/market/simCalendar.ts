/**
 * The simulator's trading calendar: weekdays, less New Year's Day and Christmas (fixed holidays, enough to
 * exercise a client's holiday paths). chk-holiday answers from it, the calendar mode's day streams nothing
 * on a closed day, and the REST charts have no bars dated on one.
 */
import type { HolidayProvider } from '../../market/sessionClock';

const utcDay = (yyyymmdd: string): Date =>
  new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))));

/** True when KRX trades on `yyyymmdd` in the simulator. */
export function isSimTradingDay(yyyymmdd: string): boolean {
  const weekday = utcDay(yyyymmdd).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !yyyymmdd.endsWith('0101') && !yyyymmdd.endsWith('1225');
}

/** The simulator's calendar as the session clock reads it (dates `YYYY-MM-DD`). */
export const simHolidays: HolidayProvider = (kstDate) =>
  isSimTradingDay(kstDate.replace(/-/g, '')) ? 'open' : 'closed';

/** The trading day before `yyyymmdd`. */
export function previousSimTradingDay(yyyymmdd: string): string {
  let at = utcDay(yyyymmdd).getTime();
  for (;;) {
    at -= 86_400_000;
    const day = new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
    if (isSimTradingDay(day)) return day;
  }
}
