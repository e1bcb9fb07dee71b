/**
 * The ticker's feed logic without `vscode`: the snapshot coalescer and the per-webview channel (visibility
 * gate, ready handshake, replay on show, validation of what the webview sends). `ticker.ts` wires a channel
 * to a real `vscode.Webview`; the unit tests drive it with a recording `post` and a manual clock.
 *
 * What a post says about a symbol is read from the views' frame of the read model when the post is made,
 * not taken from the worker snapshot that announced the change: the watchlist, the status bar and the
 * ticker then show one price per instant (a snapshot's quote can differ from the model's, e.g. a book-only
 * record the model keeps a REST price under, and a REST refresh never comes as a snapshot at all).
 */
import type { MarketView } from '../../feed';
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../../shared/snapshot';
import {
  bookDelta,
  type BookDelta,
  type ChartDataMessage,
  type ColorConvention,
  type ExtensionToWebview,
  type InitMessage,
  quoteDelta,
  type QuoteDelta,
  type SnapshotMessage,
  toBarColumns,
  type TickerStrings,
  type TickerSurfaceKind,
  type WebviewToExtension,
} from '../../shared/webviewProtocol';
import { checkWebviewMessage } from '../../shared/webviewValidation';

import { Disposable, toDisposable } from '../../common/lifecycle';
import { groupBars, SnapshotCoalescer } from './snapshotCoalescer';
import { postMessageTo, systemClock, type Clock } from './tickerPost';

export { groupBars, SnapshotCoalescer, systemClock, type Clock };

/** Default coalescing interval: about six animation frames, fast enough to look live, slow enough to stay cheap. */
export const DEFAULT_POST_INTERVAL_MS = 100;

/** The state the host hands out for a replay (the `TickerHost.currentState()` shape). */
export interface TickerState {
  symbols: string[];
  quotes: QuoteState[];
  bars: Bar[];
  books: OrderBookTop[];
  names: Record<string, string>;
  colorConvention: ColorConvention;
  /** Show the rows' optional line (체결강도, volume ratio, VWAP). */
  extraColumns?: boolean;
}

/**
 * What the channel reads when it posts: the quotes of the views' current frame (quoteFrame.ts) and the
 * feed's read model's books and bars of that same instant (a post is made when the frame is taken).
 */
export type TickerMarket = Pick<MarketView, 'quote' | 'book' | 'barAt' | 'lastBar'>;

/** What a channel needs from its owner. */
export interface TickerChannelOptions {
  surface: TickerSurfaceKind;
  /** The read model every view reads: a post carries its quote and book of each changed symbol. */
  market: TickerMarket;
  /** Posts to the webview; a thenable resolving `false` (or a throw) means the webview did not take it. */
  post(message: ExtensionToWebview): PromiseLike<boolean> | boolean;
  /** The full current state, read for every `init`. */
  state(): TickerState;
  strings: TickerStrings;
  /** Valid requests from the webview other than `ready` (which the channel answers itself). */
  onRequest(request: Exclude<WebviewToExtension, { type: 'ready' | 'privacyApplied' }>): void;
  /** A message from the webview was refused. */
  onInvalid(reason: string): void;
  /** A post failed or a request handler threw. */
  onError(error: unknown): void;
  /** Minimum spacing of snapshot posts. */
  intervalMs?: number;
  clock?: Clock;
  /** Symbol to chart at first. */
  selected?: string;
  /** An `init` was posted (first load or replay): the owner re-sends what init does not carry (chart state). */
  onInit?(): void;
}

/**
 * One webview's feed. Snapshots go out only while the webview is live (visible, and its script has said
 * `ready` at least once); they are merged and posted at most once per `intervalMs` (first one at once, then
 * trailing). Hidden, the channel drops everything and replays the full state when shown again, so the
 * webview needs no `retainContextWhenHidden`.
 */
export class TickerChannel extends Disposable {
  private readonly coalescer = new SnapshotCoalescer();
  private readonly intervalMs: number;
  private readonly clock: Clock;
  private watchlist: ReadonlySet<string>;
  private visible = false;
  private readySeen = false;
  private live = false;
  private timer: unknown = undefined;
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private _selected: string | undefined;
  /**
   * The quote of each symbol as the webview has it (from the last init and the posts since): a post
   * carries only the fields that differ. Cleared when a post may have been lost, so that the
   * next post of each symbol carries the whole quote again.
   */
  private readonly sentQuotes = new Map<string, QuoteState>();
  /** The book of each symbol as the webview has it: a post carries only the levels that changed (as sentQuotes). */
  private readonly sentBooks = new Map<string, OrderBookTop>();
  private _delivered = 0;
  private _posted = 0;
  private _invalid = 0;
  private _inits = 0;
  private privacy: { on: boolean; text: string } = { on: false, text: '' };
  /** What the webview last said it applied (true = covered). */
  privacyShown = false;

  constructor(private readonly options: TickerChannelOptions) {
    super();
    this._register(
      toDisposable(() => {
        this.live = false;
        this.cancelTimer();
        this.coalescer.clear();
      }),
    );
    this.intervalMs = options.intervalMs ?? DEFAULT_POST_INTERVAL_MS;
    this.clock = options.clock ?? systemClock;
    this._selected = options.selected;
    this.watchlist = new Set(this.readState()?.symbols ?? []);
  }

  /** Snapshot messages the webview accepted. */
  get delivered(): number {
    return this._delivered;
  }

  /** Snapshot messages posted (accepted or not). */
  get posted(): number {
    return this._posted;
  }

  /** Messages from the webview that failed validation. */
  get invalid(): number {
    return this._invalid;
  }

  /** `init` messages posted (first load and every replay). */
  get inits(): number {
    return this._inits;
  }

  /** True while snapshots are forwarded. */
  get isLive(): boolean {
    return this.live;
  }

  /** The symbol this webview charts, as far as the extension knows. */
  get selected(): string | undefined {
    return this._selected;
  }

  /** The view's visibility changed. Shown again after a first `ready`: replay the full state. */
  setVisible(visible: boolean): void {
    if (this.isDisposed || visible === this.visible) {
      return;
    }
    this.visible = visible;
    if (!visible) {
      this.live = false;
      this.cancelTimer();
      this.coalescer.clear();
      return;
    }
    if (this.readySeen) {
      // The webview may have been torn down while hidden; if so it says `ready` again and gets a second
      // `init`, which it applies idempotently. If it survived, this replay is all it gets.
      this.sendInit();
    }
  }

  /** Sends the full current state again, when the webview is showing (e.g. after a data-source switch). */
  replay(): void {
    if (!this.isDisposed && this.visible && this.readySeen) this.sendInit();
  }

  /** Privacy mode: the webview covers itself (sent now when live, and before every init). */
  setPrivacy(on: boolean, text: string): void {
    this.privacy = { on, text };
    if (this.live) this.send({ type: 'privacy', on, text });
  }

  /** Handles a raw message from the webview: validated here, never trusted. */
  receive(raw: unknown): void {
    if (this.isDisposed) {
      return;
    }
    const checked = checkWebviewMessage(raw, this.watchlist);
    if (!checked.ok) {
      this._invalid++;
      this.options.onInvalid(checked.reason);
      return;
    }
    const message = checked.message;
    switch (message.type) {
      case 'ready':
        this.readySeen = true;
        if (this.visible) {
          this.sendInit();
        }
        return;
      case 'select':
        this._selected = message.symbol;
        break;
      case 'unsubscribe':
      case 'openPanel':
      case 'chartView':
        break;
      case 'privacyApplied':
        this.privacyShown = message.on;
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
    try {
      this.options.onRequest(message);
    } catch (error) {
      this.options.onError(error);
    }
  }

  /**
   * Takes a worker snapshot (or REST quotes) the read model has already applied: which symbols changed,
   * merged and posted later while live (with the model's quote and book then), dropped otherwise.
   */
  push(snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void {
    if (!this.live) {
      return;
    }
    this.coalescer.add(snapshot);
    if (this.timer !== undefined || this.coalescer.empty) {
      return;
    }
    const wait = this.lastPostAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
    } else {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
    }
  }

  /** Posts what is pending now (used by the timer; public so that owners can flush before a replay). */
  flush(): void {
    this.cancelTimer();
    if (!this.live) {
      this.coalescer.clear();
      return;
    }
    const merged = this.coalescer.take();
    if (merged === undefined) {
      return;
    }
    const deltas: QuoteDelta[] = [];
    for (const announced of merged.quotes) {
      // The model's quote now, never the announcing snapshot's: see the file comment.
      const quote = this.options.market.quote(announced.symbol);
      if (quote === undefined) continue;
      const delta = quoteDelta(this.sentQuotes.get(quote.symbol), quote);
      this.sentQuotes.set(quote.symbol, quote);
      if (delta !== undefined) {
        deltas.push(delta);
      }
    }
    const books: BookDelta[] = [];
    for (const announced of merged.books) {
      // The frame's book now, as for quotes; only the levels the webview does not have yet travel.
      const book = this.options.market.book(announced.symbol) ?? announced;
      const delta = bookDelta(this.sentBooks.get(book.symbol), book);
      this.sentBooks.set(book.symbol, book);
      if (delta !== undefined) books.push(delta);
    }
    const message: SnapshotMessage = { type: 'snapshot', quotes: deltas, bars: merged.bars, books };
    if (deltas.length === 0 && message.bars.length === 0 && message.books.length === 0) {
      return;
    }
    this.lastPostAt = this.clock.now();
    this._posted++;
    this.send(
      message,
      () => this._delivered++,
      () => this.forgetSent(),
    );
  }

  /** Charts `symbol` (if it is on the watchlist). */
  select(symbol: string): void {
    if (this.isDisposed || !this.watchlist.has(symbol)) {
      return;
    }
    this._selected = symbol;
    if (this.live) {
      this.send({ type: 'select', symbol });
    }
  }

  /** The watchlist changed: validation uses the new list, and a live webview gets it. */
  setWatchlist(symbols: readonly string[], names: Record<string, string>): void {
    if (this.isDisposed) {
      return;
    }
    this.watchlist = new Set(symbols);
    if (this._selected !== undefined && !this.watchlist.has(this._selected)) {
      this._selected = undefined;
    }
    if (this.live) {
      this.send({ type: 'watchlist', symbols: [...symbols], names: { ...names } });
    }
  }

  /** A rendering setting changed. */
  setConfig(colorConvention: ColorConvention, extraColumns?: boolean): void {
    if (this.live) {
      this.send(
        extraColumns === undefined
          ? { type: 'config', colorConvention }
          : { type: 'config', colorConvention, extraColumns },
      );
    }
  }

  /** A chart's REST history (loading, ready, unavailable), posted while the webview is live. */
  postChart(message: ChartDataMessage): void {
    if (this.live) this.send(message);
  }

  /** Builds the full state for `init`. */
  buildInit(): InitMessage | undefined {
    const state = this.readState();
    if (state === undefined) {
      return undefined;
    }
    const symbols = [...state.symbols];
    const known = new Set(symbols);
    this.watchlist = known;
    if (this._selected !== undefined && !known.has(this._selected)) {
      this._selected = undefined;
    }
    return {
      type: 'init',
      surface: this.options.surface,
      symbols,
      names: { ...state.names },
      quotes: state.quotes.filter((quote) => known.has(quote.symbol)),
      bars: Object.fromEntries(
        Object.entries(groupBars(state.bars, known)).map(([symbol, bars]) => [symbol, toBarColumns(bars)]),
      ),
      books: state.books.filter((book) => known.has(book.symbol)),
      selected: this._selected,
      colorConvention: state.colorConvention,
      strings: this.options.strings,
      extraColumns: state.extraColumns === true,
    };
  }

  private sendInit(): void {
    const init = this.buildInit();
    if (init === undefined) {
      return;
    }
    // Anything merged before the replay is older than the state it carries.
    this.cancelTimer();
    this.coalescer.clear();
    this._inits++;
    this.live = true;
    // The cover goes first, so a covered ticker never paints its prices.
    if (this.privacy.on) this.send({ type: 'privacy', on: true, text: this.privacy.text });
    this.forgetSent();
    for (const quote of init.quotes) {
      this.sentQuotes.set(quote.symbol, quote);
    }
    for (const book of init.books) {
      this.sentBooks.set(book.symbol, book);
    }
    this.send(init, undefined, () => this.forgetSent());
    this.options.onInit?.();
  }

  /** A post may have been lost: the next post of each quote and book carries it whole. */
  private forgetSent(): void {
    this.sentQuotes.clear();
    this.sentBooks.clear();
  }

  private readState(): TickerState | undefined {
    try {
      return this.options.state();
    } catch (error) {
      this.options.onError(error);
      return undefined;
    }
  }

  private send(message: ExtensionToWebview, onDelivered?: () => void, onLost?: () => void): void {
    if (
      !postMessageTo(this.options.post, message, {
        onDelivered,
        onLost,
        onError: (error) => this.options.onError(error),
      })
    ) {
      // A disposed webview throws; stop feeding it until it is shown (and says ready) again.
      this.live = false;
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
