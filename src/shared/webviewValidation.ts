/**
 * The checks of the ticker's messages, both ways, built from the shared validator toolkit (validate.ts).
 *
 * The extension validates every webview message strictly (unknown keys are a defect: the webview has
 * nothing to add); the webview validates what the extension sends defensively (required fields are
 * checked, extra fields are tolerated because the shared snapshot types may grow optional fields).
 */
import type { Bar, BookLevel, BookVenue, OrderBookTop, QuoteState } from './snapshot';
import {
  TICKER_STRING_KEYS,
  type BarColumns,
  type BookDelta,
  type ChartView,
  type ColorConvention,
  type QuoteDelta,
  type ExtensionToWebview,
  type TickerStrings,
  type WebviewToExtension,
} from './webviewProtocol';
import {
  extraKey,
  isArrayOf,
  isFiniteNumber,
  isNumberArray,
  isPlainObject,
  isSign,
  isSymbol,
  quoted,
  type Checked,
} from './validate';

export { isSymbol, type Checked };

function isColorConvention(value: unknown): value is ColorConvention {
  return value === 'korean' || value === 'western';
}

function isChartView(value: unknown): value is ChartView {
  return value === 'minute' || value === 'daily';
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
    case 'chartView': {
      const extra = extraKey(raw, ['type', 'symbol', 'view']);
      if (extra !== undefined) {
        return { ok: false, reason: `${type}: unexpected field ${quoted(extra)}` };
      }
      const symbol = raw['symbol'];
      const view = raw['view'];
      if (!isSymbol(symbol)) {
        return { ok: false, reason: `${type}: symbol is not a 6-character code` };
      }
      if (watchlist !== undefined && !watchlist.has(symbol)) {
        return { ok: false, reason: `${type}: ${symbol} is not on the watchlist` };
      }
      if (!isChartView(view)) {
        return { ok: false, reason: `${type}: view is not "minute" or "daily"` };
      }
      return { ok: true, message: { type, symbol, view } };
    }
    case 'privacyApplied': {
      const extra = extraKey(raw, ['type', 'on']);
      if (extra !== undefined) {
        return { ok: false, reason: `${type}: unexpected field ${quoted(extra)}` };
      }
      const on = raw['on'];
      if (typeof on !== 'boolean') {
        return { ok: false, reason: `${type}: on is not a boolean` };
      }
      return { ok: true, message: { type, on } };
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

/**
 * True when `value` is a {@link QuoteDelta}: a valid symbol and at least one of the quote's other fields,
 * each with its type. Fields a quote does not have are tolerated (the shared types may grow), as in
 * {@link isQuoteState}.
 */
export function isQuoteDelta(value: unknown): value is QuoteDelta {
  if (!isPlainObject(value) || !isSymbol(value['symbol'])) {
    return false;
  }
  let fields = 0;
  for (const [key, field] of Object.entries(value)) {
    let ok: boolean;
    if ((QUOTE_NUMBERS as readonly string[]).includes(key)) {
      ok = isFiniteNumber(field);
    } else if (key === 'sign') {
      ok = isSign(field);
    } else if (key === 'lastTickTime' || key === 'businessDate') {
      ok = typeof field === 'string';
    } else if (key === 'halted') {
      ok = typeof field === 'boolean';
    } else {
      continue;
    }
    if (!ok) {
      return false;
    }
    fields++;
  }
  return fields > 0;
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

const BOOK_VENUES: readonly BookVenue[] = ['KRX', 'NXT', 'unified', 'US'];

/** Most levels a side may carry: KIS books have ten; more is a defect, refused before it is drawn. */
export const MAX_BOOK_LEVELS = 10;

function isBookShape(value: unknown, isLevel: (level: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  const { symbol, time, asks, bids, totalAskSize, totalBidSize, venue } = value;
  return (
    isSymbol(symbol) &&
    typeof time === 'string' &&
    Array.isArray(asks) &&
    asks.length <= MAX_BOOK_LEVELS &&
    asks.every(isLevel) &&
    Array.isArray(bids) &&
    bids.length <= MAX_BOOK_LEVELS &&
    bids.every(isLevel) &&
    isFiniteNumber(totalAskSize) &&
    isFiniteNumber(totalBidSize) &&
    (venue === undefined || BOOK_VENUES.includes(venue as BookVenue))
  );
}

/** True when `value` is a well-formed {@link OrderBookTop} (at most ten levels a side, a known venue). */
export function isOrderBookTop(value: unknown): value is OrderBookTop {
  return isBookShape(value, isBookLevel);
}

/** True when `value` is a well-formed {@link BookDelta}: an {@link OrderBookTop} whose levels may be `null`. */
export function isBookDelta(value: unknown): value is BookDelta {
  return isBookShape(value, (level) => level === null || isBookLevel(level));
}

function isNames(value: unknown): value is Record<string, string> {
  return (
    isPlainObject(value) && Object.entries(value).every(([key, name]) => isSymbol(key) && typeof name === 'string')
  );
}

function isStrings(value: unknown): value is TickerStrings {
  return isPlainObject(value) && TICKER_STRING_KEYS.every((key) => typeof value[key] === 'string');
}

const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * True when `value` is a {@link BarColumns}: six arrays of finite numbers, all of the same length, and an
 * optional seventh (`vwap`) of that length too.
 */
export function isBarColumns(value: unknown): value is BarColumns {
  if (!isPlainObject(value) || !Array.isArray(value['time'])) {
    return false;
  }
  const length = value['time'].length;
  return (
    BAR_COLUMNS.every((key) => isNumberArray(value[key], length)) &&
    (value['vwap'] === undefined || isNumberArray(value['vwap'], length))
  );
}

function isBarsBySymbol(value: unknown): value is Record<string, BarColumns> {
  return (
    isPlainObject(value) && Object.entries(value).every(([key, columns]) => isSymbol(key) && isBarColumns(columns))
  );
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
      const extraColumns = raw['extraColumns'];
      if (extraColumns !== undefined && typeof extraColumns !== 'boolean') {
        return { ok: false, reason: 'init: bad extraColumns' };
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
          ...(extraColumns !== undefined ? { extraColumns } : {}),
        },
      };
    }
    case 'snapshot': {
      if (!isArrayOf(raw['quotes'], isQuoteDelta)) {
        return { ok: false, reason: 'snapshot: bad quotes' };
      }
      if (!isArrayOf(raw['bars'], isBar)) {
        return { ok: false, reason: 'snapshot: bad bars' };
      }
      if (!isArrayOf(raw['books'], isBookDelta)) {
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
      const extraColumns = raw['extraColumns'];
      if (!isColorConvention(colorConvention) || (extraColumns !== undefined && typeof extraColumns !== 'boolean')) {
        return { ok: false, reason: 'config: bad colorConvention or extraColumns' };
      }
      return {
        ok: true,
        message: extraColumns !== undefined ? { type, colorConvention, extraColumns } : { type, colorConvention },
      };
    }
    case 'chartData':
      return checkChartData(raw);
    case 'privacy': {
      const on = raw['on'];
      const text = raw['text'];
      if (typeof on !== 'boolean' || typeof text !== 'string' || text.length > 500) {
        return { ok: false, reason: 'privacy: bad on or text' };
      }
      return { ok: true, message: { type, on, text } };
    }
    default:
      return { ok: false, reason: typeof type === 'string' ? `unknown type "${type.slice(0, 32)}"` : 'missing type' };
  }
}

/** The `chartData` case of {@link checkExtensionMessage}: `ready` needs bars, the other states carry none. */
function checkChartData(raw: Record<string, unknown>): Checked<ExtensionToWebview> {
  const { symbol, view, state, bars, day, notice } = raw;
  if (!isSymbol(symbol) || !isChartView(view)) {
    return { ok: false, reason: 'chartData: bad symbol or view' };
  }
  if (state === 'ready') {
    if (!isBarColumns(bars)) return { ok: false, reason: 'chartData: bad bars' };
    if (day !== undefined && (typeof day !== 'string' || !/^\d{8}$/.test(day)))
      return { ok: false, reason: 'chartData: bad day' };
    if (notice !== undefined && notice !== 'no-us-minutes') return { ok: false, reason: 'chartData: bad notice' };
    return {
      ok: true,
      message: {
        type: 'chartData',
        symbol,
        view,
        state,
        bars,
        ...(day !== undefined ? { day } : {}),
        ...(notice !== undefined ? { notice } : {}),
      },
    };
  }
  if ((state === 'loading' || state === 'unavailable') && bars === undefined) {
    return { ok: true, message: { type: 'chartData', symbol, view, state } };
  }
  return { ok: false, reason: 'chartData: bad state' };
}

/** {@link checkExtensionMessage} without the reason. */
export function parseExtensionMessage(raw: unknown): ExtensionToWebview | undefined {
  const checked = checkExtensionMessage(raw);
  return checked.ok ? checked.message : undefined;
}
