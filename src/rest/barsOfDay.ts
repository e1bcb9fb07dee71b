/**
 * What `kis-monitor bars CODE [--date YYYYMMDD]` prints, without the argument parsing: a day's 1-minute
 * bars of a KRX stock. Without a date, today's, or the last trading day's when today has none yet (before
 * the open, at night, on a weekend or holiday), as the ticker's 1m chart does. A bad date is a one-line
 * problem with exit code 2, a day without bars one with exit code 1; nothing throws but the client's
 * RestError (exit 1 for the caller).
 */
import type { MarketDiv, RestBar } from '../kis/rest';
import { formatKstDate } from '../market';
import { dayMinuteBars, type MinuteHistoryClient } from './minuteHistory';

/** What it needs of the client (KisRestClient). */
export interface BarsOfDayClient extends MinuteHistoryClient {
  minuteBars(symbol: string, exchange?: MarketDiv, since?: string, until?: string): Promise<RestBar[]>;
}

/** The bars of one day, or why there are none (`exit` 2: bad input, 1: nothing to show). */
export type BarsOfDay = { date: string; bars: RestBar[] } | { problem: string; exit: 1 | 2 };

/** Days looked back for the last trading day (the ticker chart's bound too). */
const LOOKBACK_DAYS = 10;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The UTC Date of a real calendar day `YYYYMMDD`, or undefined (20261331, 2026-12-04, …). */
function calendarDay(yyyymmdd: string): Date | undefined {
  if (!/^\d{8}$/.test(yyyymmdd)) return undefined;
  const d = new Date(
    Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))),
  );
  return d.toISOString().slice(0, 10).replace(/-/g, '') === yyyymmdd ? d : undefined;
}

const dayBefore = (yyyymmdd: string): string =>
  new Date((calendarDay(yyyymmdd) as Date).getTime() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
const weekend = (d: Date): boolean => d.getUTCDay() === 0 || d.getUTCDay() === 6;

/**
 * The minute bars of `symbol` on `date` (YYYYMMDD), or, without one, today's or the last trading day's.
 * `now` is the source's clock (the simulated one under a simulator clock).
 */
export async function barsOfDay(
  client: BarsOfDayClient,
  symbol: string,
  exchange: MarketDiv,
  now: number,
  date?: string,
): Promise<BarsOfDay> {
  const today = formatKstDate(new Date(now));
  if (date !== undefined) {
    const day = calendarDay(date);
    if (day === undefined)
      return {
        problem: `--date must be a calendar day as YYYYMMDD, got ${JSON.stringify(date.slice(0, 16))}`,
        exit: 2,
      };
    if (date > today) return { problem: `${date} is in the future (today is ${today} KST)`, exit: 2 };
    if (weekend(day)) return { problem: `${date} is a ${WEEKDAYS[day.getUTCDay()]}: KRX does not trade`, exit: 2 };
    const bars =
      date === today ? await client.minuteBars(symbol, exchange) : await dayMinuteBars(client, symbol, exchange, date);
    const ofDay = bars.filter((b) => b.date === date);
    return ofDay.length > 0
      ? { date, bars: ofDay }
      : {
          problem: `no minute bars of ${symbol} on ${date} (a holiday, before the open, or older than KIS keeps)`,
          exit: 1,
        };
  }
  const todays = weekend(calendarDay(today) as Date)
    ? []
    : (await client.minuteBars(symbol, exchange)).filter((b) => b.date === today);
  if (todays.length > 0) return { date: today, bars: todays };
  let day = today;
  for (let back = 0; back < LOOKBACK_DAYS; back++) {
    day = dayBefore(day);
    if (weekend(calendarDay(day) as Date)) continue;
    const bars = await dayMinuteBars(client, symbol, exchange, day);
    if (bars.length > 0) return { date: day, bars };
  }
  return { problem: `no minute bars of ${symbol} in the last ${LOOKBACK_DAYS} days`, exit: 1 };
}
