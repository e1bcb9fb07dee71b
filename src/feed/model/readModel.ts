/**
 * The one read model of the extension host: the latest quote, order book, one-minute bars and data gap
 * of every symbol, as the views see them. The feed writes it from the worker's snapshots and the agent's
 * gap events; it belongs to the feed, not to a running source, so it survives a restart of the agent or
 * the worker (a ticker replayed after a disconnect still has its bars and books). It is cleared only when
 * the data source changes (no simulated price may show under Real) and per symbol when one is removed.
 */
import { MAX_BARS_PER_SYMBOL } from '../../shared/webviewProtocol';
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../../shared/snapshot';
import type { DataGap } from '../../shared/stats';
import { joinSeam, mergeHistory } from '../rest/restMerge';
import { minuteStart } from '../../worker/bars';

/** Where a symbol's quote came from: a live tick, or a REST answer asked at `asOf` (epoch ms). */
export type QuoteOrigin = { kind: 'live' } | { kind: 'rest'; asOf: number };

/** What the views may read of the model (the feed alone writes it). */
export interface MarketView {
  /** The latest quote of a symbol. */
  quote(symbol: string): QuoteState | undefined;
  /** The latest quotes of `symbols` that have one, in that order. */
  quotesOf(symbols: readonly string[]): QuoteState[];
  /** The one-minute bars of a symbol, oldest first (a copy). */
  bars(symbol: string): Bar[];
  /** The stored bar of a symbol's minute `time` (joined with history, with its VWAP), if any. */
  barAt(symbol: string, time: number): Bar | undefined;
  /** The newest bar of a symbol (the candle the chart ends on), if any. */
  lastBar(symbol: string): Bar | undefined;
  /** The latest order book of a symbol. */
  book(symbol: string): OrderBookTop | undefined;
  /** The newest interval in which a symbol missed data because the connection was lost. */
  gap(symbol: string): DataGap | undefined;
  /** Whether the quote is live or a REST answer (and as of when). */
  origin(symbol: string): QuoteOrigin | undefined;
}

/** The feed's read model (see the file comment). */
export class MarketModel implements MarketView {
  private readonly quotes = new Map<string, QuoteState>();
  private readonly books = new Map<string, OrderBookTop>();
  private readonly barLists = new Map<string, Bar[]>();
  private readonly gaps = new Map<string, DataGap>();
  private readonly origins = new Map<string, QuoteOrigin>();
  /** Today's REST minute bars per symbol by minute: the seam joins a live bar with its minute here. */
  private readonly histories = new Map<string, Map<number, Bar>>();

  constructor(private readonly maxBarsPerSymbol = MAX_BARS_PER_SYMBOL) {}

  quote(symbol: string): QuoteState | undefined {
    return this.quotes.get(symbol);
  }

  quotesOf(symbols: readonly string[]): QuoteState[] {
    const out: QuoteState[] = [];
    for (const s of symbols) {
      const q = this.quotes.get(s);
      if (q) out.push(q);
    }
    return out;
  }

  bars(symbol: string): Bar[] {
    return this.barLists.get(symbol)?.slice() ?? [];
  }

  lastBar(symbol: string): Bar | undefined {
    return this.barLists.get(symbol)?.at(-1);
  }

  barAt(symbol: string, time: number): Bar | undefined {
    const list = this.barLists.get(symbol);
    if (list === undefined || list.length === 0) return undefined;
    // Nearly always the newest bar (a snapshot's bars are the minutes being traded).
    const last = list[list.length - 1];
    if (last.time === time) return last;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (list[mid].time < time) low = mid + 1;
      else high = mid;
    }
    return list[low]?.time === time ? list[low] : undefined;
  }

  book(symbol: string): OrderBookTop | undefined {
    return this.books.get(symbol);
  }

  gap(symbol: string): DataGap | undefined {
    return this.gaps.get(symbol);
  }

  origin(symbol: string): QuoteOrigin | undefined {
    return this.origins.get(symbol);
  }

  /**
   * A REST quote asked at `state.lastUpdateAt`: it replaces the quote unless a live tick arrived after the
   * request was made (a live tick always wins over an older REST answer). Returns whether it was taken.
   */
  applyRestQuote(state: QuoteState): boolean {
    const current = this.quotes.get(state.symbol);
    // Only a live quote that has a trade is a price: a book or an auction record before the open is not.
    if (
      current !== undefined &&
      current.trades > 0 &&
      this.origins.get(state.symbol)?.kind === 'live' &&
      current.lastUpdateAt >= state.lastUpdateAt
    )
      return false;
    // REST knows no auction: the expected price streaming now stays on the row until the open's trade.
    this.quotes.set(
      state.symbol,
      current?.expected !== undefined && state.expected === undefined
        ? { ...state, expected: current.expected }
        : state,
    );
    this.origins.set(state.symbol, { kind: 'rest', asOf: state.lastUpdateAt });
    return true;
  }

  /** Whether today's REST history of `symbol` was merged in (forgotten with the symbol or the source). */
  hasHistory(symbol: string): boolean {
    return this.histories.has(symbol);
  }

  /** Today's minute bars by REST (ascending): merged under the live bars with no duplicate or gap. */
  applyHistory(symbol: string, history: readonly Bar[]): void {
    this.histories.set(symbol, new Map(history.map((b) => [b.time, b])));
    const merged = mergeHistory(history, this.barLists.get(symbol) ?? []);
    this.barLists.set(symbol, merged.slice(-this.maxBarsPerSymbol));
  }

  /** Folds one worker snapshot in: every item is a full state, so the latest wins (bars per minute). */
  applySnapshot(snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void {
    for (const q of snapshot.quotes) {
      if (q.trades === 0) {
        this.applyBeforeFirstTrade(q);
        continue;
      }
      this.quotes.set(q.symbol, q);
      this.origins.set(q.symbol, { kind: 'live' });
    }
    for (const b of snapshot.books) this.books.set(b.symbol, b);
    for (const bar of snapshot.bars) this.mergeBar(bar);
    for (const q of snapshot.quotes) this.stampVwap(q);
  }

  /**
   * A worker quote with no trade yet (a book, an auction's expected price, a VI or halt status before the
   * open): it has no price of its own, so the price already shown stays (the REST price, or the previous
   * close) and only the record's live parts are taken. With nothing shown yet, an expected price gives
   * the previous close (expected price minus its change); a bare book gives no quote, never a price of 0.
   */
  private applyBeforeFirstTrade(q: QuoteState): void {
    const shown = this.quotes.get(q.symbol);
    if (shown !== undefined && shown.last > 0) {
      const merged: QuoteState = {
        ...shown,
        bestBid: q.bestBid,
        bestAsk: q.bestAsk,
        halted: q.halted,
        lastUpdateAt: Math.max(shown.lastUpdateAt, q.lastUpdateAt),
      };
      if (q.expected !== undefined) merged.expected = q.expected;
      else delete merged.expected;
      if (q.vi !== undefined) merged.vi = q.vi;
      if (q.viPrice !== undefined) merged.viPrice = q.viPrice;
      if (q.haltReason !== undefined) merged.haltReason = q.haltReason;
      this.quotes.set(q.symbol, merged);
      return;
    }
    const e = q.expected;
    if (e === undefined || !(e.price > 0)) return;
    const previousClose = e.price - e.change;
    this.quotes.set(q.symbol, { ...q, last: previousClose, change: 0, rate: 0, sign: '3', open: 0, high: 0, low: 0 });
    this.origins.set(q.symbol, { kind: 'live' });
  }

  /** Records the newest data gap of a symbol. */
  recordGap(gap: DataGap): void {
    this.gaps.set(gap.trKey, gap);
  }

  /** Forgets everything about one symbol (it left the watchlist). */
  forget(symbol: string): void {
    this.quotes.delete(symbol);
    this.books.delete(symbol);
    this.barLists.delete(symbol);
    this.gaps.delete(symbol);
    this.origins.delete(symbol);
    this.histories.delete(symbol);
  }

  /** Forgets everything (the data source changed). */
  clear(): void {
    this.quotes.clear();
    this.books.clear();
    this.barLists.clear();
    this.gaps.clear();
    this.origins.clear();
    this.histories.clear();
  }

  /**
   * The chart's VWAP line: the quote's weighted-average price (the feed's own field) goes on the bar of
   * the minute of its last trade, so each bar carries the VWAP at its close.
   */
  private stampVwap(q: QuoteState): void {
    if (q.trades === 0 || !(q.vwap > 0) || this.origins.get(q.symbol)?.kind !== 'live') return;
    const list = this.barLists.get(q.symbol);
    const last = list?.[list.length - 1];
    if (list === undefined || last === undefined || last.vwap === q.vwap) return;
    // A record without a business date is placed by its time of day, as the worker places its bar.
    const minute =
      q.businessDate !== ''
        ? minuteStart(q.businessDate, q.lastTickTime)
        : last.time - (last.time % 86_400) + minuteStart('19700101', q.lastTickTime);
    if (last.time === minute) list[list.length - 1] = { ...last, vwap: q.vwap };
  }

  private mergeBar(live: Bar): void {
    const bar = joinSeam(this.histories.get(live.symbol)?.get(live.time), live);
    let list = this.barLists.get(bar.symbol);
    if (list === undefined) this.barLists.set(bar.symbol, (list = []));
    // REST history can run ahead of the stream (its clock, the current minute asked mid-minute): the live
    // minute is the newest there is, so history-only minutes after it go rather than hide the live candle.
    const history = this.histories.get(bar.symbol);
    while (
      list.length > 0 &&
      list[list.length - 1].time > bar.time &&
      history?.get(list[list.length - 1].time) === list[list.length - 1]
    )
      list.pop();
    const last = list[list.length - 1];
    if (last !== undefined && last.time === bar.time) list[list.length - 1] = bar;
    else if (last === undefined || bar.time > last.time) {
      list.push(bar);
      if (list.length > this.maxBarsPerSymbol) list.shift();
    }
    // A bar older than the newest is a late update of a finished minute: the worker already folded it
    // into the current bar (worker/bars.ts), so it is dropped here rather than reordering the list.
  }
}
