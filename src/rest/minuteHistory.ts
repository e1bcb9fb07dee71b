/**
 * Minute bars of days before today and of indices, through the client's shared limiter and token
 * (src/kis/rest/minuteHistory.ts has the wire shapes). Both give ascending bars, one per (date, time).
 */
import {
  DAY_MINUTE,
  DAY_MINUTE_BARS_PER_CALL,
  dayMinuteQuery,
  INDEX_MINUTE,
  indexMinuteQuery,
  minuteBefore,
  parseIndexMinuteBars,
  parseMinuteBars,
  type EndpointSpec,
  type Envelope,
  type MarketDiv,
  type RestBar,
} from '../kis/rest';
import { isKrxCode } from '../market';
import { isIndexCode } from '../market/symbols';
import { RestError } from './errors';

/** What these functions need of the client (KisRestClient; a fake in tests). */
export interface MinuteHistoryClient {
  get<T>(spec: EndpointSpec, query: Record<string, string>, read: (env: Envelope) => T): Promise<T>;
  page<T>(
    spec: EndpointSpec,
    query: Record<string, string>,
    trCont: '' | 'N',
    parse: (env: Envelope) => T,
  ): Promise<{ value: T; trCont: string }>;
}

/** 6.5 hours of KRX and NXT's 12 take at most 7 pages of 120; a guard against a server that pages forever. */
const MAX_DAY_PAGES = 8;
/** Index pages (each as long as KIS makes it) before giving up on reaching an older day. */
const MAX_INDEX_PAGES = 8;

const ascending = (bars: Iterable<RestBar>): RestBar[] =>
  [...bars].sort((a, b) => (a.date + a.time < b.date + b.time ? -1 : 1));

/**
 * The 1-minute bars of `symbol` on the past day `yyyymmdd`, ascending: paged backwards by time 120 at a
 * time (FID_INPUT_HOUR_1 = the oldest time − 1 minute), deduplicated on (date, time); rows of another date
 * are dropped. An empty answer means no trading that day (a holiday) or a date KIS no longer keeps.
 */
export async function dayMinuteBars(
  client: MinuteHistoryClient,
  symbol: string,
  exchange: MarketDiv,
  yyyymmdd: string,
): Promise<RestBar[]> {
  if (!isKrxCode(symbol))
    throw new RestError('UNKNOWN_SYMBOL', `not a KRX code: ${JSON.stringify(symbol.slice(0, 12))}`);
  const byKey = new Map<string, RestBar>();
  let hour: string | undefined = '235900';
  for (let page = 0; page < MAX_DAY_PAGES && hour !== undefined; page++) {
    const bars = await client.get(DAY_MINUTE, dayMinuteQuery(symbol, exchange, yyyymmdd, hour), parseMinuteBars);
    const ofDay = bars.filter((b) => b.date === yyyymmdd);
    for (const bar of ofDay) byKey.set(bar.date + bar.time, bar);
    // A short page, or one reaching into an older day, is the day's first minute.
    if (ofDay.length === 0 || bars.length < DAY_MINUTE_BARS_PER_CALL || ofDay.length < bars.length) break;
    hour = minuteBefore(ofDay.reduce((min, b) => (b.time < min ? b.time : min), ofDay[0].time));
  }
  return ascending(byKey.values());
}

/**
 * The 1-minute bars of the index `code` (`0001` KOSPI…) on its newest day with bars at or before
 * `yyyymmdd` (today's when it traded, else the last trading day's), ascending. Pages with `tr_cont` until
 * a page reaches an older day or KIS says it has no more.
 */
export async function indexMinuteBars(client: MinuteHistoryClient, code: string, yyyymmdd: string): Promise<RestBar[]> {
  if (!isIndexCode(code))
    throw new RestError('UNKNOWN_SYMBOL', `not an index code: ${JSON.stringify(code.slice(0, 12))}`);
  const byKey = new Map<string, RestBar>();
  let day: string | undefined;
  let trCont: '' | 'N' = '';
  for (let page = 0; page < MAX_INDEX_PAGES; page++) {
    const answer = await client.page(INDEX_MINUTE, indexMinuteQuery(code), trCont, parseIndexMinuteBars);
    for (const bar of answer.value) {
      if (bar.date > yyyymmdd) continue;
      day ??= bar.date;
      if (bar.date > day) day = bar.date;
      byKey.set(bar.date + bar.time, bar);
    }
    const reachedOlderDay = day !== undefined && answer.value.some((b) => b.date < (day as string));
    if (reachedOlderDay || answer.value.length === 0 || (answer.trCont !== 'M' && answer.trCont !== 'F')) break;
    trCont = 'N';
  }
  return ascending([...byKey.values()].filter((b) => b.date === day));
}
