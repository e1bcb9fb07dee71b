/**
 * The ticker webview's state and view-model, without the DOM: what the rows, the chart and the book show,
 * and what each message from the extension changes. main.ts renders the {@link ModelChange}s; the unit
 * tests drive the model in node.
 */
import type { Direction } from '../market/direction';
import type { Bar, OrderBookTop, QuoteState } from '../shared/snapshot';
import {
  applyBookDelta,
  fromBarColumns,
  type BookDelta,
  type ColorConvention,
  type ExtensionToWebview,
  type QuoteDelta,
  type TickerStrings,
  type TickerSurfaceKind,
} from '../shared/webviewProtocol';
import { isQuoteState } from '../shared/webviewValidation';
import { bookView, mergeBars, rowView, tickFlash, type BookView, type RowView } from './display';
import { ChartState } from './chartState';
import { BookAnomalies, bookOddities, ladderView, PANEL_DEPTH, SIDEBAR_DEPTH, type LadderView } from './ladder';

export * from './display';

/** What one message changed, for the renderer. */
export interface ModelChange {
  /** Rebuild the rows (list, order or strings changed). */
  structure: boolean;
  /** Rows whose quote changed, with their flash (undefined: no flash). */
  rows: Map<string, Direction | undefined>;
  /** The selected symbol changed (header, row highlight, persisted state). */
  selection: boolean;
  /** The chart: untouched, reloaded from the selected symbol's bars, or fed `tailBars` with `update`. */
  chart: 'none' | 'reset' | 'tail';
  /** Bars of the selected symbol to apply with `update`, oldest first (when `chart` is `tail`). */
  tailBars: Bar[];
  /** The selected symbol's quote or book changed (header price, bid/ask). */
  book: boolean;
  /** Colours changed (convention). */
  theme: boolean;
  /** The selected symbol's book levels changed in this message: the ladder flashes the sizes that moved. */
  ladderLevels?: boolean;
  /** The chart's view or its history state (loading, unavailable) changed. */
  chartStatus?: boolean;
}

function emptyChange(): ModelChange {
  return {
    structure: false,
    rows: new Map(),
    selection: false,
    chart: 'none',
    tailBars: [],
    book: false,
    theme: false,
  };
}

/** The webview's state: watchlist, latest quotes, bars and books per symbol, selection and strings. */
export class TickerModel {
  private _symbols: string[] = [];
  private known = new Set<string>();
  private names: Record<string, string> = {};
  private readonly quotes = new Map<string, QuoteState>();
  private readonly books = new Map<string, OrderBookTop>();
  /** The book each symbol had before its latest update: what the ladder's flashes compare with. */
  private readonly previousBooks = new Map<string, OrderBookTop>();
  /** Odd books received (crossed, short, zero sizes), counted at the ladder's depth. */
  readonly anomalies = new BookAnomalies();
  private readonly bars = new Map<string, Bar[]>();
  private _selected: string | undefined;
  private _convention: ColorConvention = 'korean';
  private _surface: TickerSurfaceKind = 'view';
  private _strings: TickerStrings | undefined;
  private _extraColumns = false;
  /** The chart's view and its REST history states. */
  readonly chart = new ChartState();

  /** `selected`: the choice restored from `getState`, used until the extension names one. */
  constructor(selected?: string) {
    this._selected = selected;
  }

  /** True once an `init` arrived (snapshots before it are ignored: there are no rows yet). */
  get initialized(): boolean {
    return this._strings !== undefined;
  }

  /** Watchlist order. */
  get symbols(): readonly string[] {
    return this._symbols;
  }

  get selected(): string | undefined {
    return this._selected;
  }

  get convention(): ColorConvention {
    return this._convention;
  }

  get surface(): TickerSurfaceKind {
    return this._surface;
  }

  /** Whether rows show their optional line (체결강도, volume ratio, VWAP). */
  get extraColumns(): boolean {
    return this._extraColumns;
  }

  /** The bars the chart shows for `symbol` in the current view. */
  chartBars(symbol: string): readonly Bar[] {
    return this.chart.view === 'daily' ? this.chart.dailyOf(symbol) : this.barsOf(symbol);
  }

  /** The strings from `init`; undefined before it. */
  get strings(): TickerStrings | undefined {
    return this._strings;
  }

  /** The row of `symbol`. */
  row(symbol: string): RowView {
    return rowView(symbol, this.names[symbol], this.quotes.get(symbol));
  }

  /** Display name of `symbol` (the code when unknown). */
  nameOf(symbol: string): string {
    const name = this.names[symbol];
    return name !== undefined && name.trim() !== '' ? name : symbol;
  }

  quoteOf(symbol: string): QuoteState | undefined {
    return this.quotes.get(symbol);
  }

  /** Bars of `symbol`, oldest first (the model's own array: read it, do not keep it across messages). */
  barsOf(symbol: string): readonly Bar[] {
    return this.bars.get(symbol) ?? [];
  }

  /** Best bid/ask of `symbol`. */
  bookOf(symbol: string): BookView {
    return bookView(symbol, this.books.get(symbol), this.quotes.get(symbol));
  }

  /** Levels per side the ladder draws here: ten in the editor panel, five in the sidebar. */
  get ladderDepth(): number {
    return this._surface === 'panel' ? PANEL_DEPTH : SIDEBAR_DEPTH;
  }

  /**
   * The ladder of `symbol`; undefined while it has no book (no book registration, or none arrived yet).
   * `flash`: mark the sizes that changed since the previous book (only when the book itself just changed).
   */
  ladderOf(symbol: string, flash = false): LadderView | undefined {
    const book = this.books.get(symbol);
    if (book === undefined) return undefined;
    const previous = flash ? this.previousBooks.get(symbol) : undefined;
    return ladderView(book, this.quotes.get(symbol), this.ladderDepth, previous);
  }

  /** Selects `symbol` locally (a click); returns false when it is not on the list or already selected. */
  selectLocal(symbol: string): boolean {
    if (!this.known.has(symbol) || symbol === this._selected) {
      return false;
    }
    this._selected = symbol;
    return true;
  }

  /** Applies one validated message and says what to redraw. */
  apply(message: ExtensionToWebview): ModelChange {
    const change = emptyChange();
    switch (message.type) {
      case 'init': {
        this._surface = message.surface;
        this._strings = message.strings;
        this._convention = message.colorConvention;
        this._extraColumns = message.extraColumns === true;
        this.setList(message.symbols, message.names);
        this.chart.clear();
        this.quotes.clear();
        this.books.clear();
        this.previousBooks.clear();
        this.bars.clear();
        for (const quote of message.quotes) {
          if (this.known.has(quote.symbol)) {
            this.quotes.set(quote.symbol, quote);
          }
        }
        for (const book of message.books) {
          if (this.known.has(book.symbol)) {
            this.books.set(book.symbol, book);
          }
        }
        for (const [symbol, columns] of Object.entries(message.bars)) {
          if (this.known.has(symbol)) {
            const list: Bar[] = [];
            mergeBars(
              list,
              fromBarColumns(symbol, columns).sort((a, b) => a.time - b.time),
            );
            this.bars.set(symbol, list);
          }
        }
        const previous = this._selected;
        this._selected = this.resolveSelection(message.selected ?? this._selected);
        Object.assign(change, {
          structure: true,
          selection: previous !== this._selected,
          chart: 'reset',
          book: true,
          theme: true,
          chartStatus: true,
        });
        return change;
      }
      case 'snapshot':
        if (this.initialized) {
          this.applySnapshot(message.quotes, message.bars, message.books, change);
        }
        return change;
      case 'watchlist': {
        if (!this.initialized) {
          return change;
        }
        this.setList(message.symbols, message.names);
        for (const map of [this.quotes, this.books, this.previousBooks, this.bars]) {
          for (const symbol of map.keys()) {
            if (!this.known.has(symbol)) {
              map.delete(symbol);
            }
          }
        }
        this.chart.retain(this.known);
        const previous = this._selected;
        this._selected = this.resolveSelection(this._selected);
        change.structure = true;
        if (previous !== this._selected) {
          Object.assign(change, { selection: true, chart: 'reset', book: true });
        }
        return change;
      }
      case 'select':
        if (this.initialized && this.selectLocal(message.symbol)) {
          Object.assign(change, { selection: true, chart: 'reset', book: true });
        }
        return change;
      case 'config':
        if (message.colorConvention !== this._convention) {
          this._convention = message.colorConvention;
          change.theme = true;
        }
        if (message.extraColumns !== undefined && message.extraColumns !== this._extraColumns) {
          this._extraColumns = message.extraColumns;
          change.structure = true;
        }
        return change;
      case 'chartData': {
        if (!this.initialized || !this.known.has(message.symbol)) {
          return change;
        }
        const minute = this.chart.apply(message);
        if (minute !== undefined) {
          const list: Bar[] = [];
          mergeBars(list, minute);
          this.bars.set(message.symbol, list);
        }
        if (message.symbol === this._selected) {
          change.chartStatus = true;
          if (message.state === 'ready' && message.view === this.chart.view) change.chart = 'reset';
        }
        return change;
      }
      case 'privacy':
        // The cover is the page's (main.ts): the model keeps its data and nothing is redrawn.
        return change;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  private setList(symbols: readonly string[], names: Record<string, string>): void {
    // A duplicate code would make two rows with one id; keep the first.
    this._symbols = [...new Set(symbols)];
    this.known = new Set(this._symbols);
    this.names = { ...names };
  }

  private resolveSelection(preferred: string | undefined): string | undefined {
    if (preferred !== undefined && this.known.has(preferred)) {
      return preferred;
    }
    return this._symbols[0];
  }

  private applySnapshot(
    deltas: readonly QuoteDelta[],
    bars: readonly Bar[],
    books: readonly BookDelta[],
    change: ModelChange,
  ): void {
    for (const delta of deltas) {
      if (!this.known.has(delta.symbol)) {
        continue;
      }
      // A post carries only the fields that changed; the first one of a symbol carries them all.
      const previous = this.quotes.get(delta.symbol);
      const merged: unknown = previous === undefined ? delta : withoutClearedFields({ ...previous, ...delta });
      if (!isQuoteState(merged)) {
        continue;
      }
      const quote = merged;
      const flash = tickFlash(this.quotes.get(quote.symbol), quote);
      this.quotes.set(quote.symbol, quote);
      change.rows.set(quote.symbol, flash);
      if (quote.symbol === this._selected) {
        change.book = true;
      }
    }
    for (const delta of books) {
      if (!this.known.has(delta.symbol)) {
        continue;
      }
      // A post carries only the levels that changed (null elsewhere); the first one of a book carries it whole.
      const previous = this.books.get(delta.symbol);
      const book = applyBookDelta(previous, delta);
      if (previous !== undefined) this.previousBooks.set(delta.symbol, previous);
      this.books.set(delta.symbol, book);
      this.anomalies.count(bookOddities(book, this.ladderDepth));
      if (delta.symbol === this._selected) {
        change.book = true;
        change.ladderLevels = true;
      }
    }
    if (bars.length === 0) {
      return;
    }
    const bySymbol = new Map<string, Bar[]>();
    for (const bar of bars) {
      if (this.known.has(bar.symbol)) {
        let list = bySymbol.get(bar.symbol);
        if (list === undefined) {
          list = [];
          bySymbol.set(bar.symbol, list);
        }
        list.push(bar);
      }
    }
    for (const [symbol, incoming] of bySymbol) {
      incoming.sort((a, b) => a.time - b.time);
      let list = this.bars.get(symbol);
      if (list === undefined) {
        list = [];
        this.bars.set(symbol, list);
      }
      const merged = mergeBars(list, incoming);
      if (symbol !== this._selected || merged === 'none') {
        continue;
      }
      if (merged === 'rebuild') {
        change.chart = 'reset';
      } else if (change.chart !== 'reset') {
        change.chart = 'tail';
        change.tailBars.push(...incoming);
      }
    }
    if (change.chart === 'reset') {
      change.tailBars = [];
    }
  }
}

/** `quote` without the fields a delta cleared (sent as null: the expected price gone at the open). */
function withoutClearedFields(quote: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(quote)) if (quote[key] === null) delete quote[key];
  return quote;
}
