/**
 * How REST answers join the read model (issue 15), pure: a REST quote becomes a QuoteState marked with
 * the time it was asked ("as of"), REST minute bars become chart bars, and today's history meets the
 * live bars at a seam with neither a duplicate minute nor a gap.
 */
import type { RestBar, RestQuote } from '../kis/rest';
import type { Sign } from '../kis/types';
import type { Bar, QuoteState } from '../shared/snapshot';
import { formatKstDate, formatKstTime } from '../market/time';
import { minuteStart } from '../worker/bars';

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

/** REST minute bars (ascending) as chart bars; a bar with an unreadable date or time is dropped. */
export function restChartBars(symbol: string, bars: readonly RestBar[]): Bar[] {
  const out: Bar[] = [];
  for (const b of bars) {
    const time = minuteStart(b.date, b.time);
    if (Number.isNaN(time)) continue;
    out.push({ symbol, time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
  }
  return out;
}

/**
 * Today's history followed by the live bars, one bar per minute, ascending. History stands for every
 * minute before the first live bar; live bars stand from there on. At the seam minute the live bar began
 * mid-minute (when the subscription started), so it is joined with the history's bar of that minute:
 * the history's open, the extremes of both, the live close and the larger volume (each saw part of it).
 */
export function mergeHistory(history: readonly Bar[], live: readonly Bar[]): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const b of history) byTime.set(b.time, b);
  const sorted = [...byTime.values()].sort((a, b) => a.time - b.time);
  if (live.length === 0) return sorted;
  const seam = live[0].time;
  const out = sorted.filter((b) => b.time < seam);
  out.push(joinSeam(byTime.get(seam), live[0]));
  for (let i = 1; i < live.length; i++) if (live[i].time > out[out.length - 1].time) out.push(live[i]);
  return out;
}

/** The live bar of a minute joined with the history's bar of the same minute (see mergeHistory). */
export function joinSeam(old: Bar | undefined, live: Bar): Bar {
  if (old === undefined) return live;
  return { ...live, open: old.open, high: Math.max(old.high, live.high), low: Math.min(old.low, live.low), volume: Math.max(old.volume, live.volume) };
}
