/**
 * What the ticker webview shows of a quote, a book and the bars, without the DOM or the model's state:
 * row texts, best bid/ask, bar merging, keyboard neighbours, colours with alpha and the persisted state.
 */
import { formatRate, formatVolume } from '../market/format';
import { formatSymbolChange, formatSymbolPrice, priceStyleOf } from '../market/formatKind';
import { directionOfSign, type Direction } from '../market/direction';
import type { PriceSign as Sign } from '../market/direction';
import type { Bar, OrderBookTop, QuoteState } from '../shared/snapshot';
import { MAX_BARS_PER_SYMBOL } from '../shared/webviewProtocol';
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
  /**
   * The code beside the name, or '' where it tells a person nothing more: an index's 업종코드 (`0001`) and a
   * US key (`DNASAAPL`) are keys, not names, and the name already carries the ticker (`AAPL Apple Inc.`).
   */
  code: string;
  last: string;
  change: string;
  rate: string;
  volume: string;
  direction: Direction;
  limit: boolean;
  halted: boolean;
  /** The optional line: 체결강도 and volume vs yesterday in percent, and the VWAP; '–' when unknown. */
  strength: string;
  volumeRatio: string;
  vwap: string;
}

/** A percentage field of the feed with one decimal, '–' when the feed has not sent it. */
export function percentText(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) && value > 0 ? `${value.toFixed(1)}%` : NO_VALUE;
}

/** Placeholder for a value not known yet. */
export const NO_VALUE = '–';

/**
 * The row of `symbol` for its latest quote (placeholders while none arrived). Prices read as in the
 * watchlist, through the same formatter: whole won (`71,900`), index points with two decimals
 * (`2,662.77`), dollars with cents (`$188.12`, `-$1.38`).
 */
export function rowView(symbol: string, name: string | undefined, quote: QuoteState | undefined): RowView {
  const displayName = name !== undefined && name.trim() !== '' ? name : symbol;
  const code = displayName !== symbol && priceStyleOf(symbol) === 'krw' ? symbol : '';
  if (quote === undefined) {
    return {
      symbol,
      name: displayName,
      code,
      last: NO_VALUE,
      change: NO_VALUE,
      rate: NO_VALUE,
      volume: NO_VALUE,
      direction: 'flat',
      limit: false,
      halted: false,
      strength: NO_VALUE,
      volumeRatio: NO_VALUE,
      vwap: NO_VALUE,
    };
  }
  // An auction's expected price leads while it lasts, marked `≈` as in the watchlist; before any price
  // (a book-only record) the cells say "not known", never 0.
  const e = quote.expected;
  const priced = e !== undefined || quote.last > 0;
  return {
    symbol,
    name: displayName,
    code,
    last:
      e !== undefined
        ? `≈${formatSymbolPrice(symbol, e.price)}`
        : priced
          ? formatSymbolPrice(symbol, quote.last)
          : NO_VALUE,
    change: priced ? formatSymbolChange(symbol, e?.change ?? quote.change) : NO_VALUE,
    rate: priced ? formatRate(e?.rate ?? quote.rate) : NO_VALUE,
    volume: quote.volume > 0 ? formatVolume(quote.volume) : NO_VALUE,
    direction: directionOfSign(e?.sign ?? quote.sign),
    limit: isLimitSign(quote.sign),
    halted: quote.halted,
    strength: percentText(quote.strength),
    volumeRatio: percentText(quote.volumeRatio),
    vwap: quote.vwap > 0 ? formatSymbolPrice(symbol, quote.vwap) : NO_VALUE,
  };
}

/** Best bid and ask as shown under the chart. */
export interface BookView {
  bid: string;
  ask: string;
}

function levelText(symbol: string, price: number, size: number | undefined): string {
  if (!(price > 0)) {
    return NO_VALUE;
  }
  const text = formatSymbolPrice(symbol, price);
  return size !== undefined && size > 0 ? `${text} × ${formatVolume(size)}` : text;
}

/** Best bid/ask of `symbol` from the book (with sizes), else from the quote's trade record (prices only). */
export function bookView(symbol: string, book: OrderBookTop | undefined, quote: QuoteState | undefined): BookView {
  const bid = book?.bids[0];
  const ask = book?.asks[0];
  return {
    bid:
      bid !== undefined && bid.price > 0
        ? levelText(symbol, bid.price, bid.size)
        : levelText(symbol, quote?.bestBid ?? 0, undefined),
    ask:
      ask !== undefined && ask.price > 0
        ? levelText(symbol, ask.price, ask.size)
        : levelText(symbol, quote?.bestAsk ?? 0, undefined),
  };
}

/**
 * The header line of the selected symbol: the same texts as its row (last, change, rate), so the two
 * never disagree. Empty before the first quote.
 */
export function headerText(row: RowView): string {
  return row.last === NO_VALUE ? '' : `${row.last} ${row.change} ${row.rate}`;
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

/** The VWAP line's points of `bars`: only the bars that carry one (the line is drawn across the others). */
export function vwapPoints(bars: readonly Bar[]): { time: number; value: number }[] {
  const points: { time: number; value: number }[] = [];
  for (const bar of bars) if (bar.vwap !== undefined && bar.vwap > 0) points.push({ time: bar.time, value: bar.vwap });
  return points;
}

/** The neighbour of `current` in `symbols` (`delta` -1 up, +1 down), clamped; the first when none. */
export function neighbourSymbol(
  symbols: readonly string[],
  current: string | undefined,
  delta: number,
): string | undefined {
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
