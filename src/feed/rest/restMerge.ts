/**
 * How REST answers join the read model, pure: a REST quote becomes a QuoteState marked with
 * the time it was asked ("as of"), REST minute bars become chart bars, and today's history meets the
 * live bars at a seam with neither a duplicate minute nor a gap.
 */
import type { RestBar, RestQuote } from '../../kis/rest';
import type { Sign } from '../../kis/types';
import type { Bar, QuoteState } from '../../shared/snapshot';
import { formatKstDate, formatKstTime } from '../../market/time';
import { minuteStart } from '../../worker/bars';

const SIGNS: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5']);

/**
 * A REST quote as the views' QuoteState, asked at `asOf` (epoch ms). Fields REST does not carry (VWAP,
 * best bid/ask) are kept from `prior` when there is one, else 0 (unknown, as the trade record would say).
 */
export function restQuoteState(q: RestQuote, asOf: number, prior?: QuoteState): QuoteState {
  const at = new Date(asOf);
  return {
    symbol: q.symbol,
    last: q.price,
    change: q.change,
    rate: q.changeRate,
    sign: (SIGNS.has(q.sign) ? q.sign : '3') as Sign,
    volume: q.volume,
    value: q.value,
    open: q.open,
    high: q.high,
    low: q.low,
    vwap: prior?.vwap ?? (q.volume > 0 ? Math.round(q.value / q.volume) : 0),
    bestBid: prior?.bestBid ?? 0,
    bestAsk: prior?.bestAsk ?? 0,
    lastTickTime: formatKstTime(at),
    businessDate: formatKstDate(at),
    lastUpdateAt: asOf,
    halted: q.halted,
    trades: 0,
  };
}

/**
 * REST minute bars (ascending) as chart bars; a bar with an unreadable date or time is dropped. Each bar
 * carries the VWAP when KIS gave the cumulative traded value: value / the volume summed since the first
 * bar of the day (the history starts at the open, so that sum is the day's cumulative volume).
 */
export function restChartBars(symbol: string, bars: readonly RestBar[]): Bar[] {
  const out: Bar[] = [];
  let cumVolume = 0;
  let day = '';
  for (const b of bars) {
    const time = minuteStart(b.date, b.time);
    if (Number.isNaN(time)) continue;
    if (b.date !== day) [day, cumVolume] = [b.date, 0];
    cumVolume += b.volume;
    const bar: Bar = { symbol, time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
    if (b.value !== undefined && b.value > 0 && cumVolume > 0) bar.vwap = Math.round((b.value / cumVolume) * 100) / 100;
    out.push(bar);
  }
  return out;
}

/**
 * Today's history and the live bars as one list, one bar per minute, ascending. Live bars stand for the
 * minutes they cover; history fills every other minute (before the first live bar, and any minute a lost
 * connection made the stream miss). A minute in both is joined (see {@link joinSeam}): the live bar of the
 * seam minute began mid-minute, when the subscription started, and history saw the part before.
 */
export function mergeHistory(history: readonly Bar[], live: readonly Bar[]): Bar[] {
  const past = new Map<number, Bar>();
  for (const b of history) past.set(b.time, b);
  const byTime = new Map(past);
  for (const b of live) byTime.set(b.time, joinSeam(past.get(b.time), b));
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/**
 * The live bar of a minute joined with the history's bar of the same minute: the history's open, the
 * extremes of both, the live close, the larger volume (each saw part of the minute, the larger saw more)
 * and the live VWAP (the feed's own field), else the history's.
 */
export function joinSeam(old: Bar | undefined, live: Bar): Bar {
  if (old === undefined) return live;
  const joined: Bar = {
    ...live,
    open: old.open,
    high: Math.max(old.high, live.high),
    low: Math.min(old.low, live.low),
    volume: Math.max(old.volume, live.volume),
  };
  const vwap = live.vwap ?? old.vwap;
  if (vwap !== undefined) joined.vwap = vwap;
  return joined;
}
