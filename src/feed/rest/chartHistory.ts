/**
 * The ticker chart's REST history: today's one-minute bars since the open, merged into the
 * read model under the live bars (restMerge.ts), and daily candles for the day view. One request per
 * symbol at a time; a minute history that arrived stays in the model (the live bars continue it) until
 * the symbol or the source goes, daily candles are kept for the KST day. A failure is an outcome with the error's stable code, never a throw:
 * the chart says "history unavailable" and the live bars go on.
 */
import type { MarketDiv, RestBar } from '../../kis/rest';
import { RestError, type RestErrorCode } from '../../rest';
import { formatKstDate, formatKstTime } from '../../market/time';
import { KRX_DAY_SESSION_MINUTES } from '../../market/phases';
import { kstParts, type HolidayProvider } from '../../market/sessionClock';
import { symbolMarket } from '../../market/symbols';
import type { Bar } from '../../shared/snapshot';
import type { ChartView } from '../../shared/webviewProtocol';

export type { ChartView };
import { dateToEpochSeconds } from '../../worker/bars';
import type { MarketModel } from '../model/readModel';
import { restChartBars } from './restMerge';

/**
 * What a chart request gave: the bars to show, or why there are none. `day` (YYYYMMDD): the minute bars
 * are that past trading day's (today has none yet); `notice`: why a ready chart has no history of its own.
 */
export type ChartOutcome =
  | { state: 'ready'; bars: Bar[]; day?: string; notice?: ChartNotice }
  | { state: 'unavailable'; code: ChartProblemCode };

/** A ready chart without REST history by design: KIS's US minute bars are not asked (live bars only). */
export type ChartNotice = 'no-us-minutes';

/** A REST failure's code, or `OFFLINE` when no source runs (nothing to ask). */
export type ChartProblemCode = RestErrorCode | 'OFFLINE';

/** What ChartHistory needs of the REST client (KisRestClient; a fake in tests). */
export interface ChartClient {
  minuteBars(symbol: string, exchange?: MarketDiv, since?: string, until?: string): Promise<RestBar[]>;
  dailyBars(symbol: string, exchange?: MarketDiv, from?: string, to?: string): Promise<RestBar[]>;
  /** A past day's 1-minute bars of a stock, ascending (src/rest/minuteHistory.ts). */
  dayMinuteBars(symbol: string, exchange: MarketDiv, yyyymmdd: string): Promise<RestBar[]>;
  /** An index's 1-minute bars of its newest day at or before `yyyymmdd`, ascending. */
  indexMinuteBars(code: string, yyyymmdd: string): Promise<RestBar[]>;
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
  /**
   * When today has no minute bars, show the last trading day's (default true); the simulator's demo has
   * its day behind it at any hour, so it asks today only.
   */
  previousDay?: boolean;
  /** The holiday calendar as far as it is known (the last trading day skips its closed days). */
  holidays?: () => HolidayProvider | undefined;
}

/** How many days back the last trading day is looked for (a long holiday plus weekends is under ten). */
export const LAST_TRADING_DAY_LOOKBACK = 10;
/** The KRX open, minutes after midnight KST: from then on today's bars replace a past day's label. */
const OPEN_MINUTE = KRX_DAY_SESSION_MINUTES.open;

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
  /** Symbols whose minute history is a past day's only: the KST date asked on, and that day's bars. */
  private readonly pastOnly = new Map<string, { asked: string; day: string; bars: Bar[] }>();

  constructor(private readonly opts: ChartHistoryOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Whether today's history of `symbol` is in the model already (no request needed). */
  hasMinute(symbol: string): boolean {
    if (!this.opts.model.hasHistory(symbol)) return false;
    const past = this.pastOnly.get(symbol);
    if (past === undefined) return true;
    // A past day's history stands until today's first minute bar can exist (then today's is asked).
    const now = this.now();
    const today = formatKstDate(new Date(now));
    return past.asked === today && !(this.isTradingDay(today) && kstParts(now).minute >= OPEN_MINUTE);
  }

  /**
   * Today's minute bars of `symbol` since the open, merged into the model once; resolves with the
   * model's bars (history then live). Concurrent calls share one request; a failure is retried by the
   * next call.
   */
  minute(symbol: string): Promise<ChartOutcome> {
    if (this.hasMinute(symbol)) return Promise.resolve(this.ready(symbol));
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
    const market = symbolMarket(symbol);
    if (market === 'us') return { state: 'ready', bars: this.opts.model.bars(symbol), notice: 'no-us-minutes' };
    const now = this.now();
    const today = formatKstDate(new Date(now));
    try {
      if (market === 'index') {
        const bars = await this.opts.client.indexMinuteBars(symbol, today);
        const day = bars[0]?.date;
        this.remember(symbol, today, day, restChartBars(symbol, bars));
        return this.ready(symbol);
      }
      // A weekend or holiday has no bars of its own: a server answering with another day's is not asked.
      const todays = this.isTradingDay(today)
        ? (
            await this.opts.client.minuteBars(
              symbol,
              this.opts.exchange(),
              this.opts.since,
              formatKstTime(new Date(now)),
            )
          ).filter((b) => b.date === today)
        : [];
      const past = this.pastOnly.get(symbol);
      if (todays.length > 0 || this.opts.previousDay === false) {
        // The past day's bars stay before today's (one list by time: no seam between the days).
        this.remember(symbol, today, today, [...(past?.bars ?? []), ...restChartBars(symbol, todays)]);
        return this.ready(symbol);
      }
      const last =
        past?.asked === today ? { day: past.day, bars: past.bars } : await this.lastTradingDay(symbol, today);
      this.remember(symbol, today, last?.day, last?.bars ?? []);
      return this.ready(symbol);
    } catch (error) {
      return { state: 'unavailable', code: codeOf(error) };
    }
  }

  /** Puts a minute history into the model; notes it when it is a past day's only. */
  private remember(symbol: string, today: string, day: string | undefined, bars: Bar[]): void {
    this.opts.model.applyHistory(symbol, bars);
    if (day !== undefined && day < today) this.pastOnly.set(symbol, { asked: today, day, bars });
    else this.pastOnly.delete(symbol);
  }

  /** The model's bars, labelled with the past day they are of while the chart has nothing newer. */
  private ready(symbol: string): ChartOutcome {
    const bars = this.opts.model.bars(symbol);
    const past = this.pastOnly.get(symbol);
    const newest = bars[bars.length - 1];
    const pastOnly = past !== undefined && newest !== undefined && kstDateOfBar(newest.time) === past.day;
    return pastOnly ? { state: 'ready', bars, day: past.day } : { state: 'ready', bars };
  }

  /** The newest trading day before `today` with minute bars, within LAST_TRADING_DAY_LOOKBACK days. */
  private async lastTradingDay(symbol: string, today: string): Promise<{ day: string; bars: Bar[] } | undefined> {
    let day = today;
    for (let back = 0; back < LAST_TRADING_DAY_LOOKBACK; back++) {
      day = dayBefore(day);
      if (!this.isTradingDay(day)) continue;
      // A day the calendar does not know as closed but without bars was a holiday all the same.
      const bars = await this.opts.client.dayMinuteBars(symbol, this.opts.exchange(), day);
      if (bars.length > 0) return { day, bars: restChartBars(symbol, bars) };
    }
    return undefined;
  }

  /** False on weekends and on days the holiday calendar knows as closed. */
  private isTradingDay(yyyymmdd: string): boolean {
    const weekday = new Date(
      Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))),
    ).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    const dashed = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
    return this.opts.holidays?.()?.(dashed) !== 'closed';
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
        const oldest = page.reduce<string | undefined>(
          (min, bar) => (min === undefined || bar.date < min ? bar.date : min),
          undefined,
        );
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
    if (!Number.isNaN(time))
      out.push({ symbol, time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** YYYYMMDD of a bar's time (epoch seconds of its KST wall clock read as UTC, see worker/bars.ts). */
function kstDateOfBar(time: number): string {
  return new Date(time * 1000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The calendar day before `yyyymmdd`. */
export function dayBefore(yyyymmdd: string): string {
  const at =
    Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) - 86_400_000;
  return new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
}

function codeOf(error: unknown): RestErrorCode {
  // The client throws only RestError; anything else is a defect in a body we could not read.
  return error instanceof RestError ? error.code : 'BAD_RESPONSE';
}
