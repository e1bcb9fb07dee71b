/**
 * Merging worker snapshots between two posts to a webview: the latest full state per item wins, and the
 * bars a replay sends are grouped per symbol. Pure; tickerFeed.ts owns the timing.
 */
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../../shared/snapshot';
import { MAX_BARS_PER_SYMBOL, type SnapshotMessage } from '../../shared/webviewProtocol';

/** A snapshot message before the channel makes deltas of it: every quote and book whole. */
export type MergedSnapshot = Omit<SnapshotMessage, 'books'> & { quotes: QuoteState[]; books: OrderBookTop[] };

/**
 * Merges snapshots until they are taken, latest wins: one quote and one book per symbol, one bar per
 * (symbol, minute). Keeping only the latest value is right because every item is a full state, not a delta.
 */
export class SnapshotCoalescer {
  private readonly quotes = new Map<string, QuoteState>();
  private readonly books = new Map<string, OrderBookTop>();
  private readonly bars = new Map<string, Map<number, Bar>>();
  private size = 0;

  /** Adds the changes of one snapshot. */
  add(snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void {
    for (const quote of snapshot.quotes) {
      this.quotes.set(quote.symbol, quote);
    }
    for (const book of snapshot.books) {
      this.books.set(book.symbol, book);
    }
    for (const bar of snapshot.bars) {
      let perSymbol = this.bars.get(bar.symbol);
      if (perSymbol === undefined) {
        perSymbol = new Map();
        this.bars.set(bar.symbol, perSymbol);
      }
      perSymbol.set(bar.time, bar);
    }
    this.size += snapshot.quotes.length + snapshot.books.length + snapshot.bars.length;
  }

  /** True when nothing was added since the last take/clear. */
  get empty(): boolean {
    return this.size === 0;
  }

  /**
   * The merged changes as one message (bars oldest first per symbol; whole quotes and books, which the
   * channel turns into deltas), and a fresh start; undefined when empty.
   */
  take(): MergedSnapshot | undefined {
    if (this.empty) {
      return undefined;
    }
    const bars: Bar[] = [];
    for (const perSymbol of this.bars.values()) {
      const sorted = [...perSymbol.values()].sort((a, b) => a.time - b.time);
      bars.push(...sorted);
    }
    const message: MergedSnapshot = {
      type: 'snapshot',
      quotes: [...this.quotes.values()],
      bars,
      books: [...this.books.values()],
    };
    this.clear();
    return message;
  }

  /** Drops everything pending (the view was hidden: the replay on show carries the full state). */
  clear(): void {
    this.quotes.clear();
    this.books.clear();
    this.bars.clear();
    this.size = 0;
  }
}

/** Groups bars per symbol (only symbols in `symbols`), oldest first, keeping the latest `max` of each. */
export function groupBars(
  bars: readonly Bar[],
  symbols: ReadonlySet<string>,
  max = MAX_BARS_PER_SYMBOL,
): Record<string, Bar[]> {
  const grouped: Record<string, Bar[]> = {};
  for (const bar of bars) {
    if (!symbols.has(bar.symbol)) {
      continue;
    }
    (grouped[bar.symbol] ??= []).push(bar);
  }
  for (const symbol of Object.keys(grouped)) {
    const list = grouped[symbol];
    list.sort((a, b) => a.time - b.time);
    if (list.length > max) {
      grouped[symbol] = list.slice(list.length - max);
    }
  }
  return grouped;
}
