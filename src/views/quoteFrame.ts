/**
 * One instant of the read model for every view: the watchlist rows, the group rows, the portfolio status
 * item, the status-bar index and the ticker (its header, rows, book and last candle) draw from the same
 * frame at the same tick, so a user never sees a row saying one price and another view another (each view
 * used to read the model on its own throttle, a few hundred ms apart, while the price moved).
 *
 * A frame holds references to the model's quotes and books, not copies: the feed replaces a symbol's
 * `QuoteState` and `OrderBookTop` whole on each update and never mutates one, so a reference is a snapshot.
 * The book is part of the frame because two ticker webviews show it side by side: one opened between two
 * frames would otherwise show the model's newer sizes next to the other's until the next frame.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { Throttle } from '../common/throttle';
import type { Logger } from '../common/logger';
import type { MarketFeed, MarketView } from '../feed';
import type { Config } from '../config';
import type { PortfolioState } from './portfolio/portfolioState';
import type { OrderBookTop, QuoteState } from '../shared/snapshot';

/**
 * Default longest delay between a quote arriving and the views drawing it (`kisMarket.views.refreshMs`): one
 * frame a second. Why not faster: VS Code shows a row's tooltip only after the pointer has rested on it for
 * `workbench.hover.delay` (500 ms off macOS) with no redraw of that row, and a redraw cancels it; at four
 * frames a second a live row never got a tooltip. Once a tooltip opens, the rows hold still (watchlist.ts).
 */
export const FRAME_MS = 1000;

/** The quotes and books of one instant. */
export interface QuoteFrame {
  /** The quote of `symbol` in this frame (undefined: none then, or not a symbol any view shows). */
  quote(symbol: string): QuoteState | undefined;
  /** The order book of `symbol` in this frame (undefined: none then, or not a symbol any view shows). */
  book(symbol: string): OrderBookTop | undefined;
}

/** What a frame is taken from: the read model's quotes and books. */
export type FrameSource = Pick<MarketView, 'quote' | 'book'>;

/** A frame with the quotes and books of `symbols` as `model` holds them now. */
export function frameOf(model: FrameSource, symbols: Iterable<string>): QuoteFrame {
  const quotes = new Map<string, QuoteState>();
  const books = new Map<string, OrderBookTop>();
  for (const s of symbols) {
    const q = model.quote(s);
    if (q !== undefined) quotes.set(s, q);
    const b = model.book(s);
    if (b !== undefined) books.set(s, b);
  }
  return { quote: (symbol) => quotes.get(symbol), book: (symbol) => books.get(symbol) };
}

/** A new frame and the symbols whose quote arrived since the previous one. */
export interface FrameEvent {
  frame: QuoteFrame;
  changed: ReadonlySet<string>;
  /** Taken because what is shown changed (a reset, a new list): every view redraws, not only `changed`. */
  full: boolean;
}

/**
 * Takes a frame at most once per interval while quotes arrive, and hands it to every view in one event.
 * `current` is the frame views read between two events (a row redrawn for another reason, a tooltip).
 */
export class QuoteFrames extends Disposable {
  private frame: QuoteFrame;
  private readonly changed = new Set<string>();
  private throttle: Throttle;
  private readonly emitter = this._register(new vscode.EventEmitter<FrameEvent>());
  /** Fires with each new frame. */
  readonly onFrame = this.emitter.event;

  /**
   * @param model the feed's read model
   * @param symbols every symbol a view shows (watchlist, holdings, the status-bar index)
   */
  constructor(
    private readonly model: FrameSource,
    private readonly symbols: () => Iterable<string>,
    private readonly log: Logger,
    intervalMs = FRAME_MS,
  ) {
    super();
    this.frame = frameOf(model, symbols());
    this.throttle = this.throttleOf(intervalMs);
    this._register({ dispose: () => this.throttle.dispose() });
  }

  private throttleOf(intervalMs: number): Throttle {
    return new Throttle(
      () => this.take(),
      intervalMs,
      (error) => this.log.error('View frame failed', error),
    );
  }

  /** A new frame interval (the setting changed): a frame pending now is taken at once, then the new pace. */
  setInterval(intervalMs: number): void {
    const pending = this.throttle.isPending;
    this.throttle.dispose();
    this.throttle = this.throttleOf(intervalMs);
    if (pending) this.take();
  }

  /** The frame views draw from now. */
  get current(): QuoteFrame {
    return this.frame;
  }

  /** Quotes (or books, or bars) of `symbols` arrived in the model: a frame follows within the interval. */
  arrived(symbols: Iterable<string>): void {
    for (const s of symbols) this.changed.add(s);
    if (this.changed.size > 0) this.throttle.schedule();
  }

  /** Takes a frame now (the model was reset, the shown symbols changed): every view redraws from it. */
  takeNow(changed: Iterable<string> = []): void {
    for (const s of changed) this.changed.add(s);
    this.take(true);
  }

  private take(full = false): void {
    this.frame = frameOf(this.model, this.symbols());
    const changed = new Set(this.changed);
    this.changed.clear();
    this.emitter.fire({ frame: this.frame, changed, full });
  }

  /**
   * The frames of `feed`'s read model over what the views show: the watchlist, the holdings and the
   * status-bar index. A new frame follows arriving quotes; a change of what is shown takes one at once.
   */
  static register(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    portfolio: PortfolioState,
    config: Config,
    log: Logger,
  ): QuoteFrames {
    const frames = new QuoteFrames(
      feed.model,
      () => [...feed.symbols, ...portfolio.holdings.map((h) => h.symbol), config.current.statusBarIndex],
      log.child('frames'),
      config.current.viewsRefreshMs,
    );
    context.subscriptions.push(
      frames,
      // A book or a bar alone is news for the ticker, which draws them from the frame's instant too.
      feed.onSnapshot((snapshot) =>
        frames.arrived([...snapshot.quotes, ...snapshot.books, ...snapshot.bars].map((item) => item.symbol)),
      ),
      feed.onRestQuotes((quotes) => frames.arrived(quotes.map((q) => q.symbol))),
      feed.onDidResetModel(() => frames.takeNow()),
      feed.onDidChangeWatchlist((symbols) => frames.takeNow(symbols)),
      portfolio.onDidChangeHoldings(() => frames.takeNow()),
      config.onDidChange(({ changed }) => {
        if (changed.has('statusBarIndex')) frames.takeNow([config.current.statusBarIndex]);
        if (changed.has('viewsRefreshMs')) frames.setInterval(config.current.viewsRefreshMs);
      }),
    );
    return frames;
  }
}
