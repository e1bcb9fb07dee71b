/**
 * The ladder (호가창) of one symbol as the ticker draws it, without the DOM: asks above (farthest first),
 * bids below (best first), each level's price and size with a bar proportional to size, the level the last
 * trade printed at, the total resting sizes and their imbalance, the auction's expected price, and which
 * levels changed size since the previous book. Pure: the unit tests drive it in node.
 *
 * A book is drawn as the feed sent it, never repaired: levels keep their order on the wire (an ask side
 * that is not ascending stays so), a crossed book (best bid at or above best ask) stays crossed, an empty
 * level (price 0) is an empty row. Each such oddity is marked on the view and counted by
 * {@link BookAnomalies}, so a bad feed shows instead of hiding.
 */
import { formatVolume } from '../market/format';
import { formatSymbolPrice } from '../market/formatKind';
import type { Direction } from '../market/direction';
import type { BookLevel, BookVenue, OrderBookTop, QuoteState } from '../shared/snapshot';

/** Levels per side in the editor panel: all ten a KIS book carries. */
export const PANEL_DEPTH = 10;
/** Levels per side in the sidebar: five fit the default ~300 px width with the rows and the chart. */
export const SIDEBAR_DEPTH = 5;

/** What a size change at a level looks like: more resting size, or less. */
export type SizeFlash = 'more' | 'less';

/** One row of the ladder. */
export interface LadderLevel {
  side: 'ask' | 'bid';
  /** 1 = best. */
  level: number;
  price: number;
  size: number;
  /** '' for an empty level. */
  priceText: string;
  sizeText: string;
  /** Bar length, 0..1 of the largest size shown. */
  share: number;
  /** The price against the previous close (the ladder colours prices as the rows do). */
  direction: Direction;
  /** The last trade printed at this price. */
  last: boolean;
  /** The feed left this level empty (price 0). */
  empty: boolean;
  /** The size at this price changed since the previous book (undefined: unchanged, or a new price here). */
  flash?: SizeFlash;
}

/** The auction's expected execution, in the ladder's middle. */
export interface LadderExpected {
  price: number;
  priceText: string;
  volumeText: string;
}

/** Everything the ladder shows of one book. */
export interface LadderView {
  symbol: string;
  /** Levels per side drawn. */
  depth: number;
  venue?: BookVenue;
  /** Top to bottom: the farthest ask first, the best ask last. */
  asks: LadderLevel[];
  /** Top to bottom: the best bid first. */
  bids: LadderLevel[];
  totalAsk: number;
  totalBid: number;
  totalAskText: string;
  totalBidText: string;
  /** (bid − ask) / (bid + ask) of the total sizes, in percent; undefined when both are 0. */
  imbalance: number | undefined;
  /** `+12.3%`, `-4.0%`, '' when unknown. */
  imbalanceText: string;
  /** Best bid at or above best ask (both priced). */
  crossed: boolean;
  /** A side has fewer priced levels than the ladder draws. */
  fewer: boolean;
  /** Priced levels drawn with size 0. */
  zeroSizes: number;
  expected?: LadderExpected;
  /**
   * The last trade's price when no level drawn holds it (it printed inside the spread, or the levels moved
   * away): shown between the asks and the bids so the ladder still says where the price is.
   */
  lastBetween?: { price: number; priceText: string };
}

const NO_VALUE = '–';

/** `+12.3%` / `-4.0%` / `0.0%`. */
export function formatImbalance(percent: number): string {
  const text = Math.abs(percent).toFixed(1);
  return percent > 0 ? `+${text}%` : percent < 0 ? `-${text}%` : `${text}%`;
}

/**
 * The imbalance of two resting sizes in percent: +100 all bids, −100 all asks; undefined when both are 0
 * (or either is not a finite non-negative number).
 */
export function imbalanceOf(totalBid: number, totalAsk: number): number | undefined {
  if (!(totalBid >= 0) || !(totalAsk >= 0) || !Number.isFinite(totalBid + totalAsk)) return undefined;
  const sum = totalBid + totalAsk;
  return sum > 0 ? ((totalBid - totalAsk) / sum) * 100 : undefined;
}

/** True when the best bid is at or above the best ask, both priced: a book no exchange should send. */
export function isCrossed(book: Pick<OrderBookTop, 'asks' | 'bids'>): boolean {
  const bid = book.bids[0]?.price ?? 0;
  const ask = book.asks[0]?.price ?? 0;
  return bid > 0 && ask > 0 && bid >= ask;
}

/** Priced levels among the first `depth` of `side`. */
function pricedLevels(side: readonly BookLevel[], depth: number): number {
  let n = 0;
  for (let i = 0; i < depth && i < side.length; i++) if (side[i].price > 0) n++;
  return n;
}

/** The oddities of a book drawn `depth` levels deep: crossed, a short side, priced levels of size 0. */
export function bookOddities(
  book: Pick<OrderBookTop, 'asks' | 'bids'>,
  depth: number,
): Pick<LadderView, 'crossed' | 'fewer' | 'zeroSizes'> {
  let zeroSizes = 0;
  for (const side of [book.asks, book.bids])
    for (let i = 0; i < depth && i < side.length; i++) if (side[i].price > 0 && !(side[i].size > 0)) zeroSizes++;
  return {
    crossed: isCrossed(book),
    fewer: pricedLevels(book.asks, depth) < depth || pricedLevels(book.bids, depth) < depth,
    zeroSizes,
  };
}

/** Size at each price of a side, for the flash of a level whose size changed. */
function sizesByPrice(side: readonly BookLevel[] | undefined): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const level of side ?? []) if (level.price > 0) sizes.set(level.price, level.size);
  return sizes;
}

/**
 * The ladder of `book` with `depth` levels per side.
 * @param quote the symbol's quote: its last trade (marked), its previous close (price colours), its
 *   auction's expected execution (the middle row)
 * @param previous the book drawn before this one: a price whose size changed flashes (a level that moved to
 *   another price does not: a shifting book would flash every row)
 */
export function ladderView(
  book: OrderBookTop,
  quote: QuoteState | undefined,
  depth: number,
  previous?: OrderBookTop,
): LadderView {
  const symbol = book.symbol;
  const last = quote !== undefined && quote.last > 0 ? quote.last : 0;
  const previousClose = quote !== undefined && quote.last > 0 ? quote.last - quote.change : 0;
  const shown = (side: readonly BookLevel[]): BookLevel[] =>
    Array.from({ length: depth }, (_, i) => side[i] ?? { price: 0, size: 0 });
  const asks = shown(book.asks);
  const bids = shown(book.bids);
  let largest = 0;
  for (const level of [...asks, ...bids]) if (level.price > 0 && level.size > largest) largest = level.size;
  const before = { ask: sizesByPrice(previous?.asks), bid: sizesByPrice(previous?.bids) };
  const row = (side: 'ask' | 'bid', level: BookLevel, index: number): LadderLevel => {
    const empty = !(level.price > 0);
    const size = level.size > 0 ? level.size : 0;
    const was = empty ? undefined : before[side].get(level.price);
    const view: LadderLevel = {
      side,
      level: index + 1,
      price: empty ? 0 : level.price,
      size,
      priceText: empty ? '' : formatSymbolPrice(symbol, level.price),
      sizeText: empty ? '' : formatVolume(size),
      share: !empty && largest > 0 ? size / largest : 0,
      direction:
        empty || previousClose <= 0 || level.price === previousClose
          ? 'flat'
          : level.price > previousClose
            ? 'up'
            : 'down',
      last: !empty && last > 0 && level.price === last,
      empty,
    };
    if (was !== undefined && was !== size) view.flash = size > was ? 'more' : 'less';
    return view;
  };
  const askRows = asks.map((level, i) => row('ask', level, i)).reverse();
  const bidRows = bids.map((level, i) => row('bid', level, i));
  // KIS's totals cover every level it keeps; a book without them (0) shows the sum of its levels.
  const sum = (side: readonly BookLevel[]): number => side.reduce((n, l) => n + (l.size > 0 ? l.size : 0), 0);
  const totalAsk = book.totalAskSize > 0 ? book.totalAskSize : sum(book.asks);
  const totalBid = book.totalBidSize > 0 ? book.totalBidSize : sum(book.bids);
  const imbalance = imbalanceOf(totalBid, totalAsk);
  const view: LadderView = {
    symbol,
    depth,
    asks: askRows,
    bids: bidRows,
    totalAsk,
    totalBid,
    totalAskText: formatVolume(totalAsk),
    totalBidText: formatVolume(totalBid),
    imbalance,
    imbalanceText: imbalance === undefined ? '' : formatImbalance(imbalance),
    ...bookOddities(book, depth),
  };
  if (book.venue !== undefined) view.venue = book.venue;
  if (last > 0 && !askRows.some((l) => l.last) && !bidRows.some((l) => l.last)) {
    view.lastBetween = { price: last, priceText: formatSymbolPrice(symbol, last) };
  }
  const expected = quote?.expected;
  if (expected !== undefined && expected.price > 0) {
    view.expected = {
      price: expected.price,
      priceText: formatSymbolPrice(symbol, expected.price),
      volumeText: expected.volume > 0 ? formatVolume(expected.volume) : NO_VALUE,
    };
  }
  return view;
}

/** Odd books seen since the page loaded, by kind: each book counted once per kind it shows. */
export class BookAnomalies {
  /** Best bid at or above best ask. */
  crossed = 0;
  /** A side with fewer priced levels than the ladder draws. */
  fewer = 0;
  /** Priced levels with size 0. */
  zeroSizes = 0;

  /** Counts the oddities of one book ({@link bookOddities}). */
  count(view: Pick<LadderView, 'crossed' | 'fewer' | 'zeroSizes'>): void {
    if (view.crossed) this.crossed++;
    if (view.fewer) this.fewer++;
    this.zeroSizes += view.zeroSizes;
  }
}
