/**
 * The messages between the extension host and the ticker webview, both ways, and their validators.
 *
 * Both sides treat what they receive as untrusted: the extension validates every webview message strictly
 * (unknown keys are a defect: the webview has nothing to add), the webview validates what the extension sends
 * defensively (required fields are checked, extra fields are tolerated because the shared snapshot types may
 * grow optional fields). Plain data only: everything here crosses `postMessage` (structured clone).
 */
import type { Sign } from '../kis/types';
import { isSymbolCode } from '../market/symbols';
import type { ColorConvention } from '../market/direction';
import type { Bar, BookLevel, OrderBookTop, QuoteState } from './snapshot';


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
];

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
}

/** Bars (one symbol, oldest first) to columns. */
export function toBarColumns(bars: readonly Bar[]): BarColumns {
  const columns: BarColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const bar of bars) {
    columns.time.push(bar.time);
    columns.open.push(bar.open);
    columns.high.push(bar.high);
    columns.low.push(bar.low);
    columns.close.push(bar.close);
    columns.volume.push(bar.volume);
  }
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
}

/** What changed since the previous post (several worker snapshots merged, latest wins). */
export interface SnapshotMessage {
  type: 'snapshot';
  quotes: QuoteState[];
  bars: Bar[];
  books: OrderBookTop[];
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
}

/** Every message the extension posts to the webview. */
export type ExtensionToWebview = InitMessage | SnapshotMessage | WatchlistMessage | SelectMessage | ConfigMessage;

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

/** Every message the webview posts to the extension. */
export type WebviewToExtension = ReadyMessage | SelectRequest | UnsubscribeRequest | OpenPanelRequest;

// ---------------------------------------------------------------------------------------------------------
// Validation helpers

/** The result of a check: the typed message, or why it was refused (for the log; never shown to the user). */
export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True when `value` is a well-formed symbol code (the market's one rule). */
export function isSymbol(value: unknown): value is string {
  return isSymbolCode(value);
}

function isSign(value: unknown): value is Sign {
  return value === '1' || value === '2' || value === '3' || value === '4' || value === '5';
}

function isColorConvention(value: unknown): value is ColorConvention {
  return value === 'korean' || value === 'western';
}

/** The most characters of webview-supplied text a refusal reason quotes. */
const QUOTED_MAX = 32;

/**
 * Webview-supplied text as a refusal reason may quote it: at most {@link QUOTED_MAX} characters, control
 * characters escaped. The reason goes to the log, and a compromised webview must not be able to write
 * megabytes or forge extra log lines (a newline in a key or a type) through it.
 */
function quoted(text: string): string {
  const cut = text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}…` : text;
  // eslint-disable-next-line no-control-regex
  return `"${cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Keys of `value` not in `allowed` (strict shapes of webview requests). */
function extraKey(value: Plain, allowed: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      return key;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Webview → extension: strict

/**
 * Checks a message received from the webview, with the reason of a refusal.
 * `watchlist`: symbols the webview may refer to; when omitted, only the code's format is checked.
 */
export function checkWebviewMessage(raw: unknown, watchlist?: ReadonlySet<string>): Checked<WebviewToExtension> {
  if (!isPlainObject(raw)) {
    return { ok: false, reason: 'not an object' };
  }
  const type = raw['type'];
  switch (type) {
    case 'ready':
    case 'openPanel': {
      const extra = extraKey(raw, ['type']);
      if (extra !== undefined) {
        return { ok: false, reason: `${type}: unexpected field ${quoted(extra)}` };
      }
      return { ok: true, message: { type } };
    }
    case 'select':
    case 'unsubscribe': {
      const extra = extraKey(raw, ['type', 'symbol']);
      if (extra !== undefined) {
        return { ok: false, reason: `${type}: unexpected field ${quoted(extra)}` };
      }
      const symbol = raw['symbol'];
      if (!isSymbol(symbol)) {
        return { ok: false, reason: `${type}: symbol is not a 6-character code` };
      }
      if (watchlist !== undefined && !watchlist.has(symbol)) {
        return { ok: false, reason: `${type}: ${symbol} is not on the watchlist` };
      }
      return { ok: true, message: { type, symbol } };
    }
    default:
      return { ok: false, reason: typeof type === 'string' ? `unknown type ${quoted(type)}` : 'missing type' };
  }
}

/** {@link checkWebviewMessage} without the reason: the typed message, or undefined when anything is wrong. */
export function parseWebviewMessage(raw: unknown, watchlist?: ReadonlySet<string>): WebviewToExtension | undefined {
  const checked = checkWebviewMessage(raw, watchlist);
  return checked.ok ? checked.message : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Extension → webview: defensive (required fields checked, extra fields tolerated)

const QUOTE_NUMBERS = [
  'last',
  'change',
  'rate',
  'volume',
  'value',
  'open',
  'high',
  'low',
  'vwap',
  'bestBid',
  'bestAsk',
  'lastUpdateAt',
  'trades',
] as const;

/** True when `value` has every field of a {@link QuoteState} with the right type. */
export function isQuoteState(value: unknown): value is QuoteState {
  if (!isPlainObject(value) || !isSymbol(value['symbol']) || !isSign(value['sign'])) {
    return false;
  }
  for (const key of QUOTE_NUMBERS) {
    if (!isFiniteNumber(value[key])) {
      return false;
    }
  }
  return (
    typeof value['lastTickTime'] === 'string' &&
    typeof value['businessDate'] === 'string' &&
    typeof value['halted'] === 'boolean'
  );
}

/** True when `value` is a well-formed {@link Bar}. */
export function isBar(value: unknown): value is Bar {
  return (
    isPlainObject(value) &&
    isSymbol(value['symbol']) &&
    isFiniteNumber(value['time']) &&
    isFiniteNumber(value['open']) &&
    isFiniteNumber(value['high']) &&
    isFiniteNumber(value['low']) &&
    isFiniteNumber(value['close']) &&
    isFiniteNumber(value['volume'])
  );
}

function isBookLevel(value: unknown): value is BookLevel {
  return isPlainObject(value) && isFiniteNumber(value['price']) && isFiniteNumber(value['size']);
}

/** True when `value` is a well-formed {@link OrderBookTop}. */
export function isOrderBookTop(value: unknown): value is OrderBookTop {
  return (
    isPlainObject(value) &&
    isSymbol(value['symbol']) &&
    typeof value['time'] === 'string' &&
    Array.isArray(value['asks']) &&
    value['asks'].every(isBookLevel) &&
    Array.isArray(value['bids']) &&
    value['bids'].every(isBookLevel) &&
    isFiniteNumber(value['totalAskSize']) &&
    isFiniteNumber(value['totalBidSize'])
  );
}

function isArrayOf<T>(value: unknown, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(item);
}

function isNames(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.entries(value).every(([key, name]) => isSymbol(key) && typeof name === 'string');
}

function isStrings(value: unknown): value is TickerStrings {
  return isPlainObject(value) && TICKER_STRING_KEYS.every((key) => typeof value[key] === 'string');
}

const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

function isNumberArray(value: unknown, length: number): value is number[] {
  if (!Array.isArray(value) || value.length !== length) {
    return false;
  }
  for (const item of value) {
    if (!isFiniteNumber(item)) {
      return false;
    }
  }
  return true;
}

/** True when `value` is a {@link BarColumns}: six arrays of finite numbers, all of the same length. */
export function isBarColumns(value: unknown): value is BarColumns {
  if (!isPlainObject(value) || !Array.isArray(value['time'])) {
    return false;
  }
  const length = value['time'].length;
  return BAR_COLUMNS.every((key) => isNumberArray(value[key], length));
}

function isBarsBySymbol(value: unknown): value is Record<string, BarColumns> {
  return isPlainObject(value) && Object.entries(value).every(([key, columns]) => isSymbol(key) && isBarColumns(columns));
}

/** Checks a message received from the extension, with the reason of a refusal. */
export function checkExtensionMessage(raw: unknown): Checked<ExtensionToWebview> {
  if (!isPlainObject(raw)) {
    return { ok: false, reason: 'not an object' };
  }
  const type = raw['type'];
  switch (type) {
    case 'init': {
      const surface = raw['surface'];
      if (surface !== 'view' && surface !== 'panel') {
        return { ok: false, reason: 'init: bad surface' };
      }
      if (!isArrayOf(raw['symbols'], isSymbol)) {
        return { ok: false, reason: 'init: bad symbols' };
      }
      if (!isNames(raw['names'])) {
        return { ok: false, reason: 'init: bad names' };
      }
      if (!isArrayOf(raw['quotes'], isQuoteState)) {
        return { ok: false, reason: 'init: bad quotes' };
      }
      if (!isBarsBySymbol(raw['bars'])) {
        return { ok: false, reason: 'init: bad bars' };
      }
      if (!isArrayOf(raw['books'], isOrderBookTop)) {
        return { ok: false, reason: 'init: bad books' };
      }
      const selected = raw['selected'];
      if (selected !== undefined && !isSymbol(selected)) {
        return { ok: false, reason: 'init: bad selected' };
      }
      if (!isColorConvention(raw['colorConvention'])) {
        return { ok: false, reason: 'init: bad colorConvention' };
      }
      if (!isStrings(raw['strings'])) {
        return { ok: false, reason: 'init: bad strings' };
      }
      return {
        ok: true,
        message: {
          type,
          surface,
          symbols: raw['symbols'],
          names: raw['names'],
          quotes: raw['quotes'],
          bars: raw['bars'],
          books: raw['books'],
          selected,
          colorConvention: raw['colorConvention'],
          strings: raw['strings'],
        },
      };
    }
    case 'snapshot': {
      if (!isArrayOf(raw['quotes'], isQuoteState)) {
        return { ok: false, reason: 'snapshot: bad quotes' };
      }
      if (!isArrayOf(raw['bars'], isBar)) {
        return { ok: false, reason: 'snapshot: bad bars' };
      }
      if (!isArrayOf(raw['books'], isOrderBookTop)) {
        return { ok: false, reason: 'snapshot: bad books' };
      }
      return { ok: true, message: { type, quotes: raw['quotes'], bars: raw['bars'], books: raw['books'] } };
    }
    case 'watchlist': {
      if (!isArrayOf(raw['symbols'], isSymbol)) {
        return { ok: false, reason: 'watchlist: bad symbols' };
      }
      if (!isNames(raw['names'])) {
        return { ok: false, reason: 'watchlist: bad names' };
      }
      return { ok: true, message: { type, symbols: raw['symbols'], names: raw['names'] } };
    }
    case 'select': {
      const symbol = raw['symbol'];
      if (!isSymbol(symbol)) {
        return { ok: false, reason: 'select: bad symbol' };
      }
      return { ok: true, message: { type, symbol } };
    }
    case 'config': {
      const colorConvention = raw['colorConvention'];
      if (!isColorConvention(colorConvention)) {
        return { ok: false, reason: 'config: bad colorConvention' };
      }
      return { ok: true, message: { type, colorConvention } };
    }
    default:
      return { ok: false, reason: typeof type === 'string' ? `unknown type "${type.slice(0, 32)}"` : 'missing type' };
  }
}

/** {@link checkExtensionMessage} without the reason. */
export function parseExtensionMessage(raw: unknown): ExtensionToWebview | undefined {
  const checked = checkExtensionMessage(raw);
  return checked.ok ? checked.message : undefined;
}
