/**
 * The one read model of the extension host: the latest quote, order book, one-minute bars and data gap
 * of every symbol, as the views see them. The feed writes it from the worker's snapshots and the agent's
 * gap events; it belongs to the feed, not to a running source, so it survives a restart of the agent or
 * the worker (a ticker replayed after a disconnect still has its bars and books). It is cleared only when
 * the data source changes (no simulated price may show under Real) and per symbol when one is removed.
 */
import { MAX_BARS_PER_SYMBOL } from '../shared/webviewProtocol';
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../shared/snapshot';
import type { DataGap } from '../shared/stats';

/** What the views may read of the model (the feed alone writes it). */
export interface MarketView {
  /** The latest quote of a symbol. */
  quote(symbol: string): QuoteState | undefined;
  /** The latest quotes of `symbols` that have one, in that order. */
  quotesOf(symbols: readonly string[]): QuoteState[];
  /** The one-minute bars of a symbol, oldest first (a copy). */
  bars(symbol: string): Bar[];
  /** The latest order book of a symbol. */
  book(symbol: string): OrderBookTop | undefined;
  /** The newest interval in which a symbol missed data because the connection was lost. */
  gap(symbol: string): DataGap | undefined;
}

/** The feed's read model (see the file comment). */
export class MarketModel implements MarketView {
  private readonly quotes = new Map<string, QuoteState>();
  private readonly books = new Map<string, OrderBookTop>();
  private readonly barLists = new Map<string, Bar[]>();
  private readonly gaps = new Map<string, DataGap>();

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

  book(symbol: string): OrderBookTop | undefined {
    return this.books.get(symbol);
  }

  gap(symbol: string): DataGap | undefined {
    return this.gaps.get(symbol);
  }

  /** Folds one worker snapshot in: every item is a full state, so the latest wins (bars per minute). */
  applySnapshot(snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void {
    for (const q of snapshot.quotes) this.quotes.set(q.symbol, q);
    for (const b of snapshot.books) this.books.set(b.symbol, b);
    for (const bar of snapshot.bars) this.mergeBar(bar);
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
  }

  /** Forgets everything (the data source changed). */
  clear(): void {
    this.quotes.clear();
    this.books.clear();
    this.barLists.clear();
    this.gaps.clear();
  }

  private mergeBar(bar: Bar): void {
    let list = this.barLists.get(bar.symbol);
    if (list === undefined) this.barLists.set(bar.symbol, (list = []));
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
