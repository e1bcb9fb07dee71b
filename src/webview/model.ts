/**
 * The ticker webview's state and view-model, without the DOM: what the rows, the chart and the book show,
 * and what each message from the extension changes. main.ts renders the {@link ModelChange}s; the unit
 * tests drive the model in node.
 */
import { formatChange, formatPrice, formatRate, formatVolume } from '../market/format';
import { directionOfSign, type Direction } from '../market/direction';
import type { PriceSign as Sign } from '../market/direction';
import type { Bar, OrderBookTop, QuoteState } from '../shared/snapshot';
import {
  fromBarColumns,
  MAX_BARS_PER_SYMBOL,
  type ColorConvention,
  type ExtensionToWebview,
  type TickerStrings,
  type TickerSurfaceKind,
} from '../shared/webviewProtocol';
import { isSymbol } from '../shared/validate';

/** Direction of a price: vs the previous close for colours, vs the previous trade for flashes. */
export type { Direction } from '../market/direction';
export { directionOfSign } from '../market/direction';

/** True for the limit-up (1) and limit-down (4) sign codes. */
export function isLimitSign(sign: Sign): boolean {
  return sign === '1' || sign === '4';
}

/**
 * How a row should flash after an update: the direction of the last trade price, `flat` for a new trade at
 * the same price, undefined when nothing traded (a book-only update, or the first quote seen).
 */
export function tickFlash(previous: QuoteState | undefined, next: QuoteState): Direction | undefined {
  if (previous === undefined) {
    return undefined;
  }
  if (next.last > previous.last) {
    return 'up';
  }
  if (next.last < previous.last) {
    return 'down';
  }
  return next.trades !== previous.trades || next.volume !== previous.volume ? 'flat' : undefined;
}

/** The text and state of one row. */
export interface RowView {
  symbol: string;
  /** Display name, or the code when the name is unknown. */
  name: string;
  last: string;
  change: string;
  rate: string;
  volume: string;
  direction: Direction;
  limit: boolean;
  halted: boolean;
}

/** Placeholder for a value not known yet. */
export const NO_VALUE = '–';

/** The row of `symbol` for its latest quote (placeholders while none arrived). */
export function rowView(symbol: string, name: string | undefined, quote: QuoteState | undefined): RowView {
  const displayName = name !== undefined && name.trim() !== '' ? name : symbol;
  if (quote === undefined) {
    return { symbol, name: displayName, last: NO_VALUE, change: NO_VALUE, rate: NO_VALUE, volume: NO_VALUE, direction: 'flat', limit: false, halted: false };
  }
  return {
    symbol,
    name: displayName,
    last: formatPrice(quote.last),
    change: formatChange(quote.change),
    rate: formatRate(quote.rate),
    volume: formatVolume(quote.volume),
    direction: directionOfSign(quote.sign),
    limit: isLimitSign(quote.sign),
    halted: quote.halted,
  };
}

/** Best bid and ask as shown under the chart. */
export interface BookView {
  bid: string;
  ask: string;
}

function levelText(price: number, size: number | undefined): string {
  if (!(price > 0)) {
    return NO_VALUE;
  }
  return size !== undefined && size > 0 ? `${formatPrice(price)} × ${formatVolume(size)}` : formatPrice(price);
}

/** Best bid/ask from the book (with sizes), else from the quote's trade record (prices only). */
export function bookView(book: OrderBookTop | undefined, quote: QuoteState | undefined): BookView {
  const bid = book?.bids[0];
  const ask = book?.asks[0];
  return {
    bid: bid !== undefined && bid.price > 0 ? levelText(bid.price, bid.size) : levelText(quote?.bestBid ?? 0, undefined),
    ask: ask !== undefined && ask.price > 0 ? levelText(ask.price, ask.size) : levelText(quote?.bestAsk ?? 0, undefined),
  };
}

/** What `mergeBars` did to the list: nothing, appended/replaced at the end, or changed history. */
export type BarMerge = 'none' | 'tail' | 'rebuild';

/**
 * Merges `incoming` bars of one symbol into `bars` (oldest first, one per `time`), latest wins, and keeps at
 * most `max` of them. `tail` means every change was at or after the previous last bar, so a chart can apply
 * them with cheap `update` calls; `rebuild` means an older bar changed or bars were dropped from the front.
 */
export function mergeBars(bars: Bar[], incoming: readonly Bar[], max = MAX_BARS_PER_SYMBOL): BarMerge {
  let result: BarMerge = 'none';
  for (const bar of incoming) {
    const last = bars.length > 0 ? bars[bars.length - 1] : undefined;
    if (last === undefined || bar.time > last.time) {
      bars.push(bar);
      result = result === 'rebuild' ? result : 'tail';
    } else if (bar.time === last.time) {
      bars[bars.length - 1] = bar;
      result = result === 'rebuild' ? result : 'tail';
    } else {
      const index = lowerBound(bars, bar.time);
      if (bars[index].time === bar.time) {
        bars[index] = bar;
      } else {
        bars.splice(index, 0, bar);
      }
      result = 'rebuild';
    }
  }
  if (bars.length > max) {
    bars.splice(0, bars.length - max);
    result = 'rebuild';
  }
  return result;
}

/** First index whose bar time is >= `time` (bars sorted by time). */
function lowerBound(bars: readonly Bar[], time: number): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (bars[mid].time < time) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The neighbour of `current` in `symbols` (`delta` -1 up, +1 down), clamped; the first when none. */
export function neighbourSymbol(symbols: readonly string[], current: string | undefined, delta: number): string | undefined {
  if (symbols.length === 0) {
    return undefined;
  }
  const index = current === undefined ? -1 : symbols.indexOf(current);
  if (index < 0) {
    return symbols[0];
  }
  return symbols[Math.min(symbols.length - 1, Math.max(0, index + delta))];
}

/**
 * `color` with its opacity multiplied by `alpha` (0..1). Understands `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`
 * and `rgb()/rgba()` with commas; anything else is returned unchanged (opaque is a safe fallback).
 */
export function withAlpha(color: string, alpha: number): string {
  const text = color.trim();
  const a = Math.min(1, Math.max(0, alpha));
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(text);
  if (hex !== null) {
    let digits = hex[1].toLowerCase();
    if (digits.length <= 4) {
      digits = [...digits].map((d) => d + d).join('');
    }
    const base = digits.length === 8 ? parseInt(digits.slice(6, 8), 16) / 255 : 1;
    const out = Math.round(base * a * 255)
      .toString(16)
      .padStart(2, '0');
    return `#${digits.slice(0, 6)}${out}`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(text);
  if (rgb !== null) {
    const base = rgb[4] !== undefined ? Number(rgb[4]) : 1;
    return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${Number((base * a).toFixed(3))})`;
  }
  return text;
}

/** What the webview persists with `setState`: only the selection (the rest is replayed by the extension). */
export interface StoredState {
  selected?: string;
}

/** Reads `getState()` defensively: anything unexpected becomes an empty state. */
export function parseStoredState(raw: unknown): StoredState {
  if (typeof raw === 'object' && raw !== null && 'selected' in raw && isSymbol(raw.selected)) {
    return { selected: raw.selected };
  }
  return {};
}

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
}

function emptyChange(): ModelChange {
  return { structure: false, rows: new Map(), selection: false, chart: 'none', tailBars: [], book: false, theme: false };
}

/** The webview's state: watchlist, latest quotes, bars and books per symbol, selection and strings. */
export class TickerModel {
  private _symbols: string[] = [];
  private known = new Set<string>();
  private names: Record<string, string> = {};
  private readonly quotes = new Map<string, QuoteState>();
  private readonly books = new Map<string, OrderBookTop>();
  private readonly bars = new Map<string, Bar[]>();
  private _selected: string | undefined;
  private _convention: ColorConvention = 'korean';
  private _surface: TickerSurfaceKind = 'view';
  private _strings: TickerStrings | undefined;

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
    return bookView(this.books.get(symbol), this.quotes.get(symbol));
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
        this.setList(message.symbols, message.names);
        this.quotes.clear();
        this.books.clear();
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
            mergeBars(list, fromBarColumns(symbol, columns).sort((a, b) => a.time - b.time));
            this.bars.set(symbol, list);
          }
        }
        const previous = this._selected;
        this._selected = this.resolveSelection(message.selected ?? this._selected);
        Object.assign(change, { structure: true, selection: previous !== this._selected, chart: 'reset', book: true, theme: true });
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
        for (const map of [this.quotes, this.books, this.bars]) {
          for (const symbol of map.keys()) {
            if (!this.known.has(symbol)) {
              map.delete(symbol);
            }
          }
        }
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

  private applySnapshot(quotes: readonly QuoteState[], bars: readonly Bar[], books: readonly OrderBookTop[], change: ModelChange): void {
    for (const quote of quotes) {
      if (!this.known.has(quote.symbol)) {
        continue;
      }
      const flash = tickFlash(this.quotes.get(quote.symbol), quote);
      this.quotes.set(quote.symbol, quote);
      change.rows.set(quote.symbol, flash);
      if (quote.symbol === this._selected) {
        change.book = true;
      }
    }
    for (const book of books) {
      if (!this.known.has(book.symbol)) {
        continue;
      }
      this.books.set(book.symbol, book);
      if (book.symbol === this._selected) {
        change.book = true;
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
