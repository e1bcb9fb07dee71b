/**
 * The messages between the extension host and the ticker webview, both ways. Both sides treat what they
 * receive as untrusted: the checks are in webviewValidation.ts. Plain data only: everything here crosses
 * `postMessage` (structured clone).
 */
import type { ColorConvention } from '../market/direction';
import type { Bar, BookLevel, BookVenue, OrderBookTop, QuoteState } from './snapshot';

export type { BookLevel, BookVenue };

/**
 * One-minute bars kept per symbol, in `init` and in the webview: twelve hours (08:00–20:00 KST covers the
 * KRX and NXT sessions), so a whole trading day fits and memory stays bounded.
 */
export const MAX_BARS_PER_SYMBOL = 720;

export type { ColorConvention };

/** Where a webview lives: the sidebar view or an editor panel. */
export type TickerSurfaceKind = 'view' | 'panel';

/** Every user-visible string of the webview, localized by the extension (the webview has no l10n API). */
export interface TickerStrings {
  /** Shown when the watchlist is empty. */
  emptyTitle: string;
  /** How to fix the empty state ("Subscribe to a symbol with KIS: Subscribe…"). */
  emptyHint: string;
  /** Accessible label of a row's unsubscribe button. */
  unsubscribe: string;
  /** Title of the button that opens the ticker in an editor panel. */
  openPanel: string;
  /** Column headers. */
  name: string;
  last: string;
  change: string;
  volume: string;
  /** Order-book labels under the chart. */
  bid: string;
  ask: string;
  /** Badge of a halted symbol. */
  halted: string;
  /** Shown over the chart while the selected symbol has no bar yet. */
  noBars: string;
  /** Credit line for the charting library (its licence asks for one). */
  attribution: string;
  /** Chart view toggle: one-minute candles of today, daily candles (~6 months). */
  viewMinute: string;
  viewDaily: string;
  /** Shown over the chart while its history is fetched over REST. */
  historyLoading: string;
  /** Shown when REST could not give the history (the live chart goes on). */
  historyUnavailable: string;
  /** The label of a minute chart of a past trading day (today has none yet): `{0}` is e.g. `Fri 12/04`. */
  historyDay: string;
  /** Short weekday names Sunday first, space-separated (the `{0}` of historyDay). */
  weekdays: string;
  /** Shown over a US symbol's minute chart: KIS's US minute bars are not asked. */
  historyNoUs: string;
  /** Legend of the VWAP line. */
  vwap: string;
  /** Short labels of the optional row line: 체결강도, volume vs yesterday. */
  strength: string;
  volumeRatio: string;
  /** The ladder (호가창): its caption, column headers and footer labels. */
  orderBook: string;
  askSize: string;
  price: string;
  bidSize: string;
  total: string;
  /** Bid share of the total resting size minus the ask share (`{0}` is the signed percent). */
  imbalance: string;
  /** The auction's expected price and quantity, in the ladder's middle. */
  expected: string;
  /** Marks of a book drawn as sent though it is odd: bid at or above ask, fewer levels than asked. */
  crossedBook: string;
  fewerLevels: string;
  /** The accessible mark of the level the last trade printed at. */
  lastTrade: string;
  /** The unified (KRX+NXT) feed's venue label. */
  venueUnified: string;
}

/** The keys of {@link TickerStrings}, in a fixed order (used by the validator). */
export const TICKER_STRING_KEYS: readonly (keyof TickerStrings)[] = [
  'emptyTitle',
  'emptyHint',
  'unsubscribe',
  'openPanel',
  'name',
  'last',
  'change',
  'volume',
  'bid',
  'ask',
  'halted',
  'noBars',
  'attribution',
  'viewMinute',
  'viewDaily',
  'historyLoading',
  'historyUnavailable',
  'historyDay',
  'weekdays',
  'historyNoUs',
  'vwap',
  'strength',
  'volumeRatio',
  'orderBook',
  'askSize',
  'price',
  'bidSize',
  'total',
  'imbalance',
  'expected',
  'crossedBook',
  'fewerLevels',
  'lastTrade',
  'venueUnified',
];

/** The chart's two views: today's one-minute candles (with history) or daily candles. */
export type ChartView = 'minute' | 'daily';

/** Where a chart's REST history stands. */
export type HistoryState = 'loading' | 'ready' | 'unavailable';

// ---------------------------------------------------------------------------------------------------------
// Extension → webview

/**
 * A symbol's bars as parallel number arrays (index i of each array is bar i). `init` carries a whole day of
 * bars for every symbol (up to 41 × 720); as objects that is ~30,000 objects to serialize and clone on each
 * side of `postMessage`, as columns it is a few hundred flat arrays, about 15 times cheaper to clone.
 */
export interface BarColumns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  /** The VWAP at each bar's close, 0 where unknown; absent when no bar has one. */
  vwap?: number[];
}

/** Bars (one symbol, oldest first) to columns. */
export function toBarColumns(bars: readonly Bar[]): BarColumns {
  const columns: BarColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  const vwap: number[] = [];
  let anyVwap = false;
  for (const bar of bars) {
    columns.time.push(bar.time);
    columns.open.push(bar.open);
    columns.high.push(bar.high);
    columns.low.push(bar.low);
    columns.close.push(bar.close);
    columns.volume.push(bar.volume);
    vwap.push(bar.vwap ?? 0);
    anyVwap ||= bar.vwap !== undefined && bar.vwap > 0;
  }
  if (anyVwap) columns.vwap = vwap;
  return columns;
}

/** Columns back to bars of `symbol`. */
export function fromBarColumns(symbol: string, columns: BarColumns): Bar[] {
  const bars: Bar[] = new Array<Bar>(columns.time.length);
  for (let i = 0; i < bars.length; i++) {
    bars[i] = {
      symbol,
      time: columns.time[i],
      open: columns.open[i],
      high: columns.high[i],
      low: columns.low[i],
      close: columns.close[i],
      volume: columns.volume[i],
    };
    const vwap = columns.vwap?.[i];
    if (vwap !== undefined && vwap > 0) bars[i].vwap = vwap;
  }
  return bars;
}

/** The full state: sent in reply to `ready` and whenever the view becomes visible again (replay). */
export interface InitMessage {
  type: 'init';
  surface: TickerSurfaceKind;
  /** Watchlist order. */
  symbols: string[];
  /** Display name per symbol (may miss some symbols; the code is shown instead). */
  names: Record<string, string>;
  quotes: QuoteState[];
  /** One-minute bars per symbol, oldest first, in columns (see {@link BarColumns}). */
  bars: Record<string, BarColumns>;
  books: OrderBookTop[];
  /** The symbol the extension wants charted; undefined lets the webview keep its own choice. */
  selected?: string;
  colorConvention: ColorConvention;
  strings: TickerStrings;
  /** Show the optional row line (체결강도, volume ratio, VWAP); absent means off. */
  extraColumns?: boolean;
}

/**
 * A quote as a snapshot post carries it: its symbol and only the fields that changed since the
 * previous post of that symbol; every field when the webview has no quote of it yet (after `init`, the
 * init's quotes are the base).
 */
export type QuoteDelta = Pick<QuoteState, 'symbol'> & Partial<QuoteState>;

/**
 * How a delta says a field is gone (an auction's expected price at the open): `null`, since a webview
 * message is JSON and drops an undefined field. The webview deletes such fields when it merges.
 */
export const CLEARED_FIELD = null;

/** The fields of `next` that differ from `previous` (all of them without one); undefined when none differ. */
export function quoteDelta(previous: QuoteState | undefined, next: QuoteState): QuoteDelta | undefined {
  if (previous === undefined) {
    return next;
  }
  const delta: Record<string, unknown> = { symbol: next.symbol };
  let changed = false;
  for (const key of Object.keys(next) as (keyof QuoteState)[]) {
    if (key !== 'symbol' && next[key] !== previous[key]) {
      delta[key] = next[key] === undefined ? CLEARED_FIELD : next[key];
      changed = true;
    }
  }
  for (const key of Object.keys(previous) as (keyof QuoteState)[]) {
    if (!(key in next) && previous[key] !== undefined) {
      delta[key] = CLEARED_FIELD;
      changed = true;
    }
  }
  return changed ? (delta as QuoteDelta) : undefined;
}

/**
 * A book as a snapshot post carries it: the levels that changed since the previous post of that book, and
 * `null` at each level that did not (the arrays' lengths are the book's level counts). A whole book (no
 * `null`) is a delta too: the first post of a symbol, and the first after a post may have been lost.
 */
export interface BookDelta {
  symbol: string;
  time: string;
  asks: (BookLevel | null)[];
  bids: (BookLevel | null)[];
  totalAskSize: number;
  totalBidSize: number;
  venue?: BookVenue;
}

function sameLevel(a: BookLevel | undefined, b: BookLevel): boolean {
  return a !== undefined && a.price === b.price && a.size === b.size;
}

/**
 * The levels of `next` that differ from `previous` (all of them without one); undefined when no level,
 * total or venue differs (a new time alone is not worth a post).
 */
export function bookDelta(previous: OrderBookTop | undefined, next: OrderBookTop): BookDelta | undefined {
  if (previous === undefined) return next;
  let changed =
    previous.asks.length !== next.asks.length ||
    previous.bids.length !== next.bids.length ||
    previous.totalAskSize !== next.totalAskSize ||
    previous.totalBidSize !== next.totalBidSize ||
    previous.venue !== next.venue;
  const side = (before: readonly BookLevel[], after: readonly BookLevel[]): (BookLevel | null)[] =>
    after.map((level, i) => {
      if (sameLevel(before[i], level)) return null;
      changed = true;
      return level;
    });
  const asks = side(previous.asks, next.asks);
  const bids = side(previous.bids, next.bids);
  if (!changed) return undefined;
  const delta: BookDelta = {
    symbol: next.symbol,
    time: next.time,
    asks,
    bids,
    totalAskSize: next.totalAskSize,
    totalBidSize: next.totalBidSize,
  };
  if (next.venue !== undefined) delta.venue = next.venue;
  return delta;
}

/**
 * `previous` with `delta` applied. A `null` level the webview has no copy of (it never had the book) is
 * an empty level (price 0), drawn as missing, never invented.
 */
export function applyBookDelta(previous: OrderBookTop | undefined, delta: BookDelta): OrderBookTop {
  const side = (before: readonly BookLevel[] | undefined, changes: readonly (BookLevel | null)[]): BookLevel[] =>
    changes.map((level, i) => level ?? before?.[i] ?? { price: 0, size: 0 });
  const book: OrderBookTop = {
    symbol: delta.symbol,
    time: delta.time,
    asks: side(previous?.asks, delta.asks),
    bids: side(previous?.bids, delta.bids),
    totalAskSize: delta.totalAskSize,
    totalBidSize: delta.totalBidSize,
  };
  if (delta.venue !== undefined) book.venue = delta.venue;
  return book;
}

/** What changed since the previous post (several worker snapshots merged, latest wins; quotes and books as deltas). */
export interface SnapshotMessage {
  type: 'snapshot';
  quotes: QuoteDelta[];
  bars: Bar[];
  books: BookDelta[];
}

/** The watchlist changed (order, additions, removals). */
export interface WatchlistMessage {
  type: 'watchlist';
  symbols: string[];
  names: Record<string, string>;
}

/** Chart this symbol. */
export interface SelectMessage {
  type: 'select';
  symbol: string;
}

/** A setting that affects rendering changed. */
export interface ConfigMessage {
  type: 'config';
  colorConvention: ColorConvention;
  /** See {@link InitMessage.extraColumns}. */
  extraColumns?: boolean;
}

/**
 * A symbol's chart data over REST. `minute`: today's bars since the open merged with the live
 * ones (`bars` replaces the symbol's bars when `ready`). `daily`: daily candles (`ready` carries them).
 * `loading` and `unavailable` carry no bars: the chart says so and the live bars go on.
 */
export interface ChartDataMessage {
  type: 'chartData';
  symbol: string;
  view: ChartView;
  state: HistoryState;
  bars?: BarColumns;
  /** `ready` minute bars of this past trading day (YYYYMMDD): today has none yet. */
  day?: string;
  /** `ready` without REST history by design (see {@link ChartNotice}). */
  notice?: ChartNotice;
}

/** Why a ready minute chart has no history of its own: US minute bars are not asked. */
export type ChartNotice = 'no-us-minutes';

/** Privacy mode: cover (or uncover) the whole ticker; `text` is the cover's localised message. */
export interface PrivacyMessage {
  type: 'privacy';
  on: boolean;
  text: string;
}

/** Every message the extension posts to the webview. */
export type ExtensionToWebview =
  InitMessage | SnapshotMessage | WatchlistMessage | SelectMessage | ConfigMessage | PrivacyMessage | ChartDataMessage;

// ---------------------------------------------------------------------------------------------------------
// Webview → extension

/** The script has loaded and listens: send `init`. */
export interface ReadyMessage {
  type: 'ready';
}

/** The user selected a row. */
export interface SelectRequest {
  type: 'select';
  symbol: string;
}

/** The user asked to drop a symbol from the watchlist. */
export interface UnsubscribeRequest {
  type: 'unsubscribe';
  symbol: string;
}

/** The user asked for the ticker in an editor panel. */
export interface OpenPanelRequest {
  type: 'openPanel';
}

/** The webview applied a privacy message: the cover is now shown (`on`) or removed. */
export interface PrivacyApplied {
  type: 'privacyApplied';
  on: boolean;
}

/** The user switched the chart's view of `symbol` (or charts another symbol in the daily view). */
export interface ChartViewRequest {
  type: 'chartView';
  symbol: string;
  view: ChartView;
}

/** Every message the webview posts to the extension. */
export type WebviewToExtension =
  ReadyMessage | SelectRequest | UnsubscribeRequest | OpenPanelRequest | PrivacyApplied | ChartViewRequest;
