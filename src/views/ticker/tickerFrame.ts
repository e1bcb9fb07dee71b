/**
 * What the ticker posts with the next frame of the views (quoteFrame.ts): worker snapshots only note which
 * bars and books changed; the frame reads them, with the frame's quotes of the symbols that changed, as
 * the model holds them at that instant, so the last candle's close is the price the header and the rows
 * show. No `vscode` here.
 */
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../../shared/snapshot';
import type { TickerMarket } from './tickerFeed';

/**
 * `bars` (one symbol's, oldest first) with the last one's close at the frame's price: the model's bar may
 * hold a trade newer than the frame, and the chart's last candle must say what the header says. Every path
 * that hands bars to a webview (init, replay, a frame, the chart's history) goes through this.
 */
export function barsAtFrame(bars: readonly Bar[], quote: Pick<QuoteState, 'last'> | undefined): Bar[] {
  const last = bars.at(-1);
  if (last === undefined || quote === undefined || quote.last <= 0 || last.close === quote.last) return [...bars];
  const close = quote.last;
  return [...bars.slice(0, -1), { ...last, close, high: Math.max(last.high, close), low: Math.min(last.low, close) }];
}

/** The quotes, bars and books one frame posts to every live ticker webview. */
export interface FrameUpdate {
  quotes: QuoteState[];
  bars: Bar[];
  books: OrderBookTop[];
}

/** The bars and books changed since the last frame. */
export class FrameChanges {
  private readonly bars = new Map<string, { symbol: string; time: number }>();
  private readonly books = new Set<string>();

  /** Notes which bars and books a worker snapshot changed. */
  note(snapshot: Pick<Snapshot, 'bars' | 'books'>): void {
    for (const bar of snapshot.bars)
      this.bars.set(`${bar.symbol}\u0000${bar.time}`, { symbol: bar.symbol, time: bar.time });
    for (const book of snapshot.books) this.books.add(book.symbol);
  }

  /**
   * The frame's update: the quotes of `changed`, every noted bar and book, and the newest bar of each
   * symbol posted, read from `market` now, each symbol's last bar closing at its frame price; the notes are
   * cleared. Undefined when there is nothing to post.
   */
  take(changed: Iterable<string>, market: TickerMarket): FrameUpdate | undefined {
    const quotes: QuoteState[] = [];
    const barsBySymbol = new Map<string, Bar[]>();
    for (const symbol of changed) {
      const quote = market.quote(symbol);
      if (quote === undefined) continue;
      quotes.push(quote);
      // A quote without a trade (REST's, a reconnect's) moves the header: the last candle goes with it.
      barsBySymbol.set(symbol, []);
    }
    for (const { symbol, time } of this.bars.values()) {
      const bar = market.barAt(symbol, time);
      if (bar === undefined) continue;
      const list = barsBySymbol.get(symbol);
      if (list === undefined) barsBySymbol.set(symbol, [bar]);
      else list.push(bar);
    }
    const bars: Bar[] = [];
    for (const [symbol, list] of barsBySymbol) {
      list.sort((a, b) => a.time - b.time);
      // The chart ends on the model's newest bar, whether or not this frame noted it.
      const newest = market.lastBar(symbol);
      if (newest !== undefined && newest.time > (list.at(-1)?.time ?? Number.NEGATIVE_INFINITY)) list.push(newest);
      // The model's newest bar may hold a trade the frame has not drawn: the same rule as an init's bars.
      bars.push(...barsAtFrame(list, market.quote(symbol)));
    }
    const books: OrderBookTop[] = [];
    for (const symbol of this.books) {
      const book = market.book(symbol);
      if (book !== undefined) books.push(book);
    }
    this.bars.clear();
    this.books.clear();
    if (quotes.length === 0 && bars.length === 0 && books.length === 0) return undefined;
    return { quotes, bars, books };
  }
}
