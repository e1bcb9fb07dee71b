/**
 * The simulator's index and overseas REST prices: 국내업종 현재지수 and 해외주식 현재체결가 with
 * the official field names (kis-rest.md §5.1, §7.1), answered from the same walks the WebSocket streams
 * (IntlSim, shared by every connection), so a REST price is the last streamed value. An index it does
 * not know, or a ticker outside its US catalogue, is answered as KIS does for an unknown symbol: rt_cd 0
 * with empty fields (REST_FACTS.unknownSymbol).
 */
import { INDEX_PRICE, OVERSEAS_PRICE, type EndpointSpec } from '../../kis/rest';
import { indexName, US_CATALOGUE, US_EXCHANGES, usKey, type UsExchange } from '../../market';
import { formatKstDate } from '../../market/time';
import type { IntlSim } from '../market/intlSim';
import { lastIndexDay } from './restBars';
import { isSimTradingDay } from '../market/simCalendar';

const SPECS: ReadonlyMap<string, EndpointSpec> = new Map([INDEX_PRICE, OVERSEAS_PRICE].map((s) => [s.path, s]));

/** The spec of an index/overseas price path, or undefined when `path` is not one. */
export function intlRestSpec(path: string): EndpointSpec | undefined {
  return SPECS.get(path);
}

/** KIS's sign code: 2 up, 3 unchanged, 5 down. */
const signOf = (change: number): string => (change > 0 ? '2' : change < 0 ? '5' : '3');

/** The `output` of an index/overseas price request on `path` at `now` (the simulated clock); `param` reads a query parameter. */
export function intlRestOutput(
  path: string,
  param: (name: string) => string,
  intl: IntlSim,
  now: number,
): Record<string, string> {
  return path === INDEX_PRICE.path
    ? indexOutput(param('FID_INPUT_ISCD'), intl, now)
    : overseasOutput(param('EXCD'), param('SYMB'), intl);
}

function indexOutput(code: string, intl: IntlSim, now: number): Record<string, string> {
  if (indexName(code) === undefined)
    return { bstp_nmix_prpr: '', bstp_nmix_prdy_vrss: '', prdy_vrss_sign: '', bstp_nmix_prdy_ctrt: '' };
  const w = intl.level(code);
  // A closed day nothing traded on answers with the last trading day (its chart's day), as KIS does.
  if (w.volume === 0 && !isSimTradingDay(formatKstDate(new Date(now)))) return closedIndexOutput(code, w, now);
  const change = w.price - w.base;
  return {
    bstp_nmix_prpr: w.price.toFixed(2),
    bstp_nmix_prdy_vrss: change.toFixed(2),
    prdy_vrss_sign: signOf(change),
    bstp_nmix_prdy_ctrt: ((change / w.base) * 100).toFixed(2),
    acml_vol: String(w.volume),
    acml_tr_pbmn: String(w.volume * 10),
    bstp_nmix_oprc: w.open.toFixed(2),
    bstp_nmix_hgpr: w.high.toFixed(2),
    bstp_nmix_lwpr: w.low.toFixed(2),
  };
}

/** The index price on a closed day: the last trading day's close and its change against the day before. */
function closedIndexOutput(code: string, w: Parameters<typeof lastIndexDay>[1], now: number): Record<string, string> {
  const day = lastIndexDay(code, w, now);
  const change = day.close - day.previousClose;
  return {
    bstp_nmix_prpr: day.close.toFixed(2),
    bstp_nmix_prdy_vrss: change.toFixed(2),
    prdy_vrss_sign: signOf(change),
    bstp_nmix_prdy_ctrt: ((change / day.previousClose) * 100).toFixed(2),
    acml_vol: String(day.volume),
    acml_tr_pbmn: String(day.value),
    bstp_nmix_oprc: day.open.toFixed(2),
    bstp_nmix_hgpr: day.high.toFixed(2),
    bstp_nmix_lwpr: day.low.toFixed(2),
  };
}

/** EXCD NAS/NYS/AMS, or BAQ/BAY/BAA for the day session (kis-rest.md §7.1). */
function keyOf(excd: string, ticker: string): string | undefined {
  const exchanges = Object.keys(US_EXCHANGES) as UsExchange[];
  const regular = exchanges.find((e) => e === excd);
  const day = exchanges.find((e) => US_EXCHANGES[e] === excd);
  const exchange = regular ?? day;
  if (exchange === undefined || !US_CATALOGUE.some((c) => c.ticker === ticker && c.exchange === exchange))
    return undefined;
  return usKey(exchange, ticker, day !== undefined);
}

function overseasOutput(excd: string, ticker: string, intl: IntlSim): Record<string, string> {
  const key = keyOf(excd, ticker);
  if (key === undefined)
    return { rsym: '', zdiv: '', base: '', last: '', sign: '', diff: '', rate: '', tvol: '', tamt: '', ordy: '' };
  // The day-session key (BAQ → RBAQAAPL) is its own stream, so it answers its own walk.
  const w = intl.level(key);
  const change = w.price - w.base;
  return {
    rsym: key,
    zdiv: '4',
    base: w.base.toFixed(4),
    pvol: '0',
    last: w.price.toFixed(4),
    sign: signOf(change),
    diff: Math.abs(change).toFixed(4),
    rate: `${change >= 0 ? '+' : '-'}${Math.abs((change / w.base) * 100).toFixed(2)}`,
    tvol: String(w.volume),
    tamt: String(Math.round(w.volume * w.price)),
    ordy: '매수가능',
  };
}
