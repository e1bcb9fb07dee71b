/**
 * The ticker chart's REST history (issue 15): today's one-minute bars since the open, merged into the
 * read model under the live bars (restMerge.ts), and daily candles for the day view. One request per
 * symbol at a time; a minute history that arrived stays in the model (the live bars continue it) until
 * the symbol or the source goes, daily candles are kept for the KST day. A failure is an outcome with the error's stable code, never a throw:
 * the chart says "history unavailable" and the live bars go on.
 */
import type { MarketDiv, RestBar } from '../kis/rest';
import { RestError, type RestErrorCode } from '../rest';
import { formatKstDate, formatKstTime } from '../market/time';
import type { Bar } from '../shared/snapshot';
import type { ChartView } from '../shared/webviewProtocol';

export type { ChartView };
import { dateToEpochSeconds } from '../worker/bars';
import type { MarketModel } from './readModel';
import { restChartBars } from './restMerge';

/** What a chart request gave: the bars to show, or why there are none. */
export type ChartOutcome = { state: 'ready'; bars: Bar[] } | { state: 'unavailable'; code: ChartProblemCode };

/** A REST failure's code, or `OFFLINE` when no source runs (nothing to ask). */
export type ChartProblemCode = RestErrorCode | 'OFFLINE';

/** What ChartHistory needs of the REST client (KisRestClient; a fake in tests). */
export interface ChartClient {
  minuteBars(symbol: string, exchange?: MarketDiv, since?: string, until?: string): Promise<RestBar[]>;
  dailyBars(symbol: string, exchange?: MarketDiv, from?: string, to?: string): Promise<RestBar[]>;
}

/** Options of ChartHistory. */
export interface ChartHistoryOptions {
  client: ChartClient;
  model: MarketModel;
  /** The exchange code of the exchange setting (J, NX or UN). */
  exchange: () => MarketDiv;
  /** The source's clock (the simulated one under the simulator's clock). */
  now?: () => number;
  /** The first minute asked for, HHMMSS (default the client's, the 09:00 open); the simulator's demo opens whenever it starts. */
  since?: string;
}

/** About six months of daily candles (the day view). */
export const DAILY_SPAN_DAYS = 183;
/** KIS answers at most 100 daily candles per call (kis-rest.md §4.2); six months take two. */
const DAILY_PER_CALL = 100;
const DAILY_MAX_CALLS = 3;

/** The chart history of one running source (see the file comment). */
export class ChartHistory {
  private readonly minuteInFlight = new Map<string, Promise<ChartOutcome>>();
  private readonly dailyCache = new Map<string, { day: string; bars: Bar[] }>();
  private readonly dailyInFlight = new Map<string, Promise<ChartOutcome>>();
  private readonly now: () => number;

  constructor(private readonly opts: ChartHistoryOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Whether today's history of `symbol` is in the model already (no request needed). */
  hasMinute(symbol: string): boolean {
    return this.opts.model.hasHistory(symbol);
  }

  /**
   * Today's minute bars of `symbol` since the open, merged into the model once; resolves with the
   * model's bars (history then live). Concurrent calls share one request; a failure is retried by the
   * next call.
   */
  minute(symbol: string): Promise<ChartOutcome> {
    if (this.hasMinute(symbol)) return Promise.resolve({ state: 'ready', bars: this.opts.model.bars(symbol) });
    let pending = this.minuteInFlight.get(symbol);
    if (pending === undefined) {
      pending = this.fetchMinute(symbol).finally(() => this.minuteInFlight.delete(symbol));
      this.minuteInFlight.set(symbol, pending);
    }
    return pending;
  }

  /** About six months of daily candles of `symbol`, ascending (cached for the KST day). */
  daily(symbol: string): Promise<ChartOutcome> {
    const today = formatKstDate(new Date(this.now()));
    const cached = this.dailyCache.get(symbol);
    if (cached !== undefined && cached.day === today) return Promise.resolve({ state: 'ready', bars: cached.bars });
    let pending = this.dailyInFlight.get(symbol);
    if (pending === undefined) {
      pending = this.fetchDaily(symbol, today).finally(() => this.dailyInFlight.delete(symbol));
      this.dailyInFlight.set(symbol, pending);
    }
    return pending;
  }

  private async fetchMinute(symbol: string): Promise<ChartOutcome> {
    try {
      const rest = await this.opts.client.minuteBars(symbol, this.opts.exchange(), this.opts.since, formatKstTime(new Date(this.now())));
      this.opts.model.applyHistory(symbol, restChartBars(symbol, rest));
      return { state: 'ready', bars: this.opts.model.bars(symbol) };
    } catch (error) {
      return { state: 'unavailable', code: codeOf(error) };
    }
  }

  private async fetchDaily(symbol: string, today: string): Promise<ChartOutcome> {
    const from = formatKstDate(new Date(this.now() - DAILY_SPAN_DAYS * 86_400_000));
    const byDate = new Map<string, RestBar>();
    try {
      let to = today;
      // Paged backwards: each call gives the newest ≤100 candles up to `to`.
      for (let call = 0; call < DAILY_MAX_CALLS; call++) {
        const page = await this.opts.client.dailyBars(symbol, this.opts.exchange(), from, to);
        // Only the span asked for, whatever the server sends (the date range is a request, not a guarantee).
        for (const bar of page) if (bar.date >= from && bar.date <= today) byDate.set(bar.date, bar);
        const oldest = page.reduce<string | undefined>((min, bar) => (min === undefined || bar.date < min ? bar.date : min), undefined);
        if (page.length < DAILY_PER_CALL || oldest === undefined || oldest <= from) break;
        to = dayBefore(oldest);
      }
    } catch (error) {
      return { state: 'unavailable', code: codeOf(error) };
    }
    const bars = dailyChartBars(symbol, [...byDate.values()]);
    this.dailyCache.set(symbol, { day: today, bars });
    return { state: 'ready', bars };
  }
}

/** Daily candles as chart bars at each day's KST midnight (KST as UTC, like the minute bars), ascending. */
export function dailyChartBars(symbol: string, bars: readonly RestBar[]): Bar[] {
  const out: Bar[] = [];
  for (const b of bars) {
    const time = dateToEpochSeconds(b.date);
    if (!Number.isNaN(time)) out.push({ symbol, time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The calendar day before `yyyymmdd`. */
export function dayBefore(yyyymmdd: string): string {
  const at = Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) - 86_400_000;
  return new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
}

function codeOf(error: unknown): RestErrorCode {
  // The client throws only RestError; anything else is a defect in a body we could not read.
  return error instanceof RestError ? error.code : 'BAD_RESPONSE';
}
