/**
 * The watchlist as data: the ordered symbols, the latest quote of each, and how a row looks (label,
 * description, icon, colour, tooltip, staleness). vscode-free so every rule is unit-tested; the tree
 * provider in `watchlist.ts` only maps a `WatchlistRow` onto a `TreeItem`.
 */
import type { QuoteState } from '../../shared/snapshot';
import type { DataGap } from '../../shared/stats';
import type { PriceSign as Sign } from '../../market/direction';
import { directionOfSign, type Direction } from '../../market/direction';
import type { ColorConvention } from '../../settings';
import { findSymbol } from '../../market/catalogue';
import { isSymbolCode, displayName } from '../../market/symbolInput';
import { formatPrice, formatTimeField, formatRate, formatVolume } from '../../market/format';
import { formatSymbolChange, formatSymbolPrice, priceStyleOf } from '../../market/formatKind';
import { indexName } from '../../market/symbols';
import { formatKstClock } from '../../market/time';
import type { Translate } from '../../common/translate';
import { exchangeTag, statusTooltipLines, viBadge } from '../dayText';
import { changeText, priceAndRate, rowLabel, shortName } from './rowLabel';
import { isHoldable } from '../../market/portfolio';
import type { RowStateText } from './rowState';
import { usSessionWords } from './intlRows';

/** Which way the price moved vs the previous close. `none`: no trade seen yet. */
export type RowDirection = Direction | 'none';

/** Contributed colour ids (package.json `contributes.colors`). */
export const enum ColorId {
  Up = 'kisMarket.up',
  Down = 'kisMarket.down',
  Flat = 'kisMarket.flat',
  WesternUp = 'kisMarket.westernUp',
  WesternDown = 'kisMarket.westernDown',
  /** The theme's colour for disabled text: prices that are no longer live. */
  NotLive = 'disabledForeground',
}

/** Direction from the KIS sign code; 'none' before the first tick. */
export function directionOf(sign: Sign | undefined): RowDirection {
  return sign === undefined ? 'none' : directionOfSign(sign);
}

/**
 * The colour of a direction. Korean convention: red up, blue down (`kisMarket.up`/`kisMarket.down`);
 * Western: green up, red down (`kisMarket.westernUp`/`kisMarket.westernDown`). Separate ids, not a
 * swap, so a theme can tune each convention and the Korean ids keep their meaning.
 */
export function colorIdFor(direction: RowDirection, convention: ColorConvention): ColorId {
  switch (direction) {
    case 'up':
      return convention === 'korean' ? ColorId.Up : ColorId.WesternUp;
    case 'down':
      return convention === 'korean' ? ColorId.Down : ColorId.WesternDown;
    default:
      return ColorId.Flat;
  }
}

/** Codicon id of a row. Limit moves (sign 1/4) get a distinct arrow; stale and halted rows say so. */
export function iconIdFor(sign: Sign | undefined, stale: boolean, halted: boolean, vi = false): string {
  if (halted) return 'debug-pause';
  if (vi) return 'warning';
  if (stale) return 'watch';
  switch (sign) {
    case '1':
      return 'arrow-circle-up';
    case '2':
      return 'triangle-up';
    case '4':
      return 'arrow-circle-down';
    case '5':
      return 'triangle-down';
    case '3':
      return 'dash';
    default:
      return 'circle-outline';
  }
}

/** What a row needs to know about "now" and the user's preferences. */
export interface RowContext {
  /** Epoch ms (same clock as `QuoteState.lastUpdateAt`). */
  now: number;
  /** Data is expected now (KRX in session, or the simulator, which ignores market hours). */
  marketOpen: boolean;
  staleAfterMs: number;
  convention: ColorConvention;
  /** VS Code display language (`vscode.env.language`): picks Korean or English names. */
  language: string;
  t: Translate;
  /** The newest interval in which the symbol missed data because the connection was lost. */
  gapOf?: (symbol: string) => DataGap | undefined;
  /**
   * False while no session streams (disconnected, stopped): the prices shown are the last ones received,
   * so rows grey out and say "not live". Undefined counts as live.
   */
  live?: boolean;
  /** Where the row's price comes from, in words (rowState.ts): "live", "every N s", "closed: holiday"… */
  rowState?: (symbol: string) => RowStateText;
  /** The feed clock's time of a machine instant (simulated, replayed): the tooltip's times. Absent: the machine's. */
  shown?: (at: number) => number;
  /** Whether a symbol is pinned to the live set (the row menu offers Pin or Unpin). */
  pinned?: (symbol: string) => boolean;
}

/** Everything the tree shows for one symbol. */
export interface WatchlistRow {
  symbol: string;
  /** Stable across refreshes and moves (the tree keeps selection and focus by it). */
  id: string;
  /** The short name the label starts with (privacy mode shows it alone). */
  name: string;
  label: string;
  description: string;
  iconId: string;
  colorId: ColorId;
  direction: RowDirection;
  stale: boolean;
  /** Markdown for the tooltip. */
  tooltip: string;
  /** Space-separated flags matched by the menus' `viewItem =~ /\bflag\b/` clauses. */
  contextValue: string;
}

/** True when the quote is older than the limit while data is expected. No quote at all is not stale. */
export function isStale(
  quote: QuoteState | undefined,
  ctx: Pick<RowContext, 'now' | 'marketOpen' | 'staleAfterMs'>,
): boolean {
  return quote !== undefined && ctx.marketOpen && ctx.now - quote.lastUpdateAt > ctx.staleAfterMs;
}

/** Escapes Markdown punctuation in text that did not come from us (a name, a code). */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/**
 * Builds the row of `symbol` at `position` of `count`. The label is what must stay readable at the
 * default sidebar width (rowLabel.ts): a short name, the price and the percent change. The description
 * (cut first by VS Code) starts with the change amount, then the row's state; the tooltip has the rest.
 */
export function buildRow(
  symbol: string,
  quote: QuoteState | undefined,
  position: number,
  count: number,
  ctx: RowContext,
): WatchlistRow {
  const { t } = ctx;
  const name = shortName(symbol, ctx.language, t);
  const state = ctx.rowState?.(symbol);
  // A REST-refreshed row is as fresh as its cycle says: the stale rule is for streams that went quiet.
  const stale = isStale(quote, ctx) && state?.quiet !== true;
  const direction = directionOf(quote?.sign);
  const halted = quote?.halted ?? false;
  const notLive = quote !== undefined && ctx.live === false;

  // An auction's expected price leads while it lasts (marked "expected"); the worker drops it at the open.
  const expected = quote?.expected;
  const numbers =
    quote === undefined
      ? undefined
      : expected !== undefined
        ? `≈${priceAndRate(symbol, expected.price, expected.rate)}`
        : priceAndRate(symbol, quote.last, quote.rate);
  const notes: string[] = [];
  if (quote === undefined) notes.push(t('waiting for data'));
  else if (expected !== undefined) notes.push(`${changeText(symbol, expected.change)} ${t('expected')}`);
  else notes.push(changeText(symbol, quote.change));
  if (quote) for (const badge of [exchangeTag(quote), viBadge(quote, t)]) if (badge !== undefined) notes.push(badge);
  if (state?.words !== undefined) notes.push(state.words);
  // The session of the feed's day (a simulated Saturday is closed in New York too), not the machine's.
  const usSession = usSessionWords(symbol, ctx.shown?.(ctx.now) ?? ctx.now, t);
  if (usSession !== undefined) notes.push(usSession);
  if (notLive) notes.push(t('not live'));
  if (halted) notes.push(t('halted'));
  // No duration here: the row would have to be redrawn every second to keep it true.
  if (stale) notes.push(t('stale'));

  const flags = ['symbol'];
  if (position > 0) flags.push('canMoveUp');
  if (position < count - 1) flags.push('canMoveDown');
  if (ctx.pinned) flags.push(ctx.pinned(symbol) ? 'pinned' : 'canPin');
  // Set Holding is offered on what can be held: a stock, an ETF, a US stock, never an index.
  if (isHoldable(symbol)) flags.push('holdable');

  return {
    symbol,
    id: `kisMarket.symbol.${symbol}`,
    name,
    label: rowLabel(name, numbers),
    description: notes.join(' · '),
    iconId: iconIdFor(quote?.expected?.sign ?? quote?.sign, stale, halted, quote?.vi === true),
    colorId: notLive ? ColorId.NotLive : colorIdFor(direction, ctx.convention),
    direction,
    stale,
    tooltip:
      state?.tooltip === undefined
        ? buildTooltip(symbol, quote, stale, ctx)
        : `${buildTooltip(symbol, quote, stale, ctx)}\n\n${state.tooltip}`,
    contextValue: flags.join(' '),
  };
}

/**
 * The tooltip, short enough for a small window (VS Code cuts a hover taller than the space below the row):
 * the names, then one table of last, open/high/low, volume and VWAP, bid/ask and the last tick's time, then
 * at most a few sentences about the row's state.
 */
export function buildTooltip(symbol: string, quote: QuoteState | undefined, stale: boolean, ctx: RowContext): string {
  const { t } = ctx;
  const entry = findSymbol(symbol);
  const lines: string[] = [];
  const index = indexName(symbol);
  const full = displayName(symbol, ctx.language);
  const title =
    entry !== undefined
      ? `**${md(entry.nameKo)}** · ${md(entry.nameEn)} \`${symbol}\` · ${entry.market}`
      : index !== undefined
        ? `**${md(index)}** \`${symbol}\` · ${t('index')}`
        : full === symbol
          ? `\`${symbol}\``
          : `**${md(full)}** \`${symbol}\``;
  lines.push(title, '');
  if (!quote) {
    lines.push(t('No trade received yet.'));
    return lines.join('\n');
  }
  const row = (key: string, value: string): string => `| ${key} | ${value} |`;
  const price = (value: number): string => formatSymbolPrice(symbol, value);
  lines.push(`| | |`, `|---|---:|`);
  lines.push(
    row(t('Last'), `${price(quote.last)} (${formatSymbolChange(symbol, quote.change)}, ${formatRate(quote.rate)})`),
  );
  lines.push(row(t('Open / High / Low'), `${price(quote.open)} / ${price(quote.high)} / ${price(quote.low)}`));
  // An index has no VWAP (0): it is left out rather than shown as a zero.
  // KIS prints a won VWAP with two decimals (WGHN_AVRG_STCK_PRC); dollars read like their prices.
  const vwap =
    quote.vwap > 0
      ? ` · ${t('VWAP')} ${priceStyleOf(symbol) === 'krw' ? formatPrice(quote.vwap, 2) : price(quote.vwap)}`
      : '';
  lines.push(row(t('Volume'), `${formatVolume(quote.volume)}${vwap}`));
  if (quote.bestBid > 0 || quote.bestAsk > 0) {
    lines.push(row(t('Bid / Ask'), `${price(quote.bestBid)} / ${price(quote.bestAsk)}`));
  }
  const tickTime = formatTimeField(quote.lastTickTime);
  lines.push(row(t('Last tick'), tickTime ? `${tickTime} KST` : '–'));
  const notes: string[] = [];
  if (ctx.live === false) notes.push(t('Not live: no session is streaming, this is the last price received.'));
  if (quote.halted) notes.push(t('Trading is halted.'));
  notes.push(...statusTooltipLines(quote, t).map(md));
  const shown = ctx.shown ?? ((at: number): number => at);
  if (stale) notes.push(t('No tick since {0} KST during market hours.', formatKstClock(shown(quote.lastUpdateAt))));
  const gap = ctx.gapOf?.(symbol);
  if (gap?.to !== undefined) {
    // KIS does not resend what a lost connection missed: say exactly which interval has no data.
    notes.push(
      t(
        'Missed data from {0} to {1} KST: the connection was lost.',
        formatKstClock(shown(gap.from)),
        formatKstClock(shown(gap.to)),
      ),
    );
  }
  if (notes.length > 0) lines.push('', notes.join('  \n'));
  return lines.join('\n');
}

/** Where the watchlist reads quotes: the feed's one read model (`MarketFeed.model`). */
export interface QuoteSource {
  quote(symbol: string): QuoteState | undefined;
}

/**
 * The ordered watchlist, reading each symbol's latest quote from the feed's read model (it keeps no copy
 * of its own). Knows nothing about VS Code; the provider asks it which rows changed and rebuilds only those.
 */
export class WatchlistModel {
  private list: string[] = [];
  /** Symbols whose row currently shows "stale", to refresh a row when it turns stale or fresh. */
  private readonly shownStale = new Set<string>();

  constructor(private readonly quotes: QuoteSource) {}

  /** The symbols in display order (a copy). */
  get symbols(): string[] {
    return this.list.slice();
  }

  get size(): number {
    return this.list.length;
  }

  has(symbol: string): boolean {
    return this.list.includes(symbol);
  }

  /** Replaces the list (e.g. from persisted state): invalid codes and duplicates are dropped. */
  setSymbols(symbols: readonly unknown[]): void {
    const next: string[] = [];
    for (const s of symbols) if (typeof s === 'string' && isSymbolCode(s) && !next.includes(s)) next.push(s);
    this.list = next;
  }

  /** Appends the codes not already listed; returns those actually added. */
  add(symbols: readonly string[]): string[] {
    const added: string[] = [];
    for (const s of symbols) {
      if (isSymbolCode(s) && !this.list.includes(s)) {
        this.list.push(s);
        added.push(s);
      }
    }
    return added;
  }

  /** Removes a symbol and forgets its quote; false when it was not listed. */
  remove(symbol: string): boolean {
    const index = this.list.indexOf(symbol);
    if (index < 0) return false;
    this.list.splice(index, 1);
    this.shownStale.delete(symbol);
    return true;
  }

  /** Moves a symbol one place up (-1) or down (+1); false when it cannot move. */
  move(symbol: string, delta: -1 | 1): boolean {
    const index = this.list.indexOf(symbol);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.list.length) return false;
    [this.list[index], this.list[target]] = [this.list[target], this.list[index]];
    return true;
  }

  /** Position in display order, -1 when not listed. */
  indexOf(symbol: string): number {
    return this.list.indexOf(symbol);
  }

  /** The latest quote of a listed symbol (undefined for one not listed: a late quote must not resurrect a row). */
  quote(symbol: string): QuoteState | undefined {
    return this.list.includes(symbol) ? this.quotes.quote(symbol) : undefined;
  }

  /** All known quotes of listed symbols, in display order. */
  allQuotes(): QuoteState[] {
    const out: QuoteState[] = [];
    for (const s of this.list) {
      const q = this.quotes.quote(s);
      if (q) out.push(q);
    }
    return out;
  }

  /**
   * The listed symbols among newly arrived quotes (others are ignored: a late snapshot after an unsubscribe
   * must not resurrect a row): the rows to redraw. The quotes themselves are already in the read model.
   */
  applyQuotes(quotes: readonly Pick<QuoteState, 'symbol'>[]): string[] {
    const changed: string[] = [];
    for (const q of quotes) if (this.list.includes(q.symbol) && !changed.includes(q.symbol)) changed.push(q.symbol);
    return changed;
  }

  /** Forgets what the rows showed (the read model was reset for a new data source). */
  clearQuotes(): void {
    this.shownStale.clear();
  }

  /**
   * Symbols whose staleness differs from what their row last showed, so a periodic check refreshes
   * just those rows. Call `markShown` with each rebuilt row.
   */
  staleChanges(ctx: Pick<RowContext, 'now' | 'marketOpen' | 'staleAfterMs' | 'rowState'>): string[] {
    const out: string[] = [];
    for (const s of this.list) {
      const stale = isStale(this.quote(s), ctx) && ctx.rowState?.(s).quiet !== true;
      if (stale !== this.shownStale.has(s)) out.push(s);
    }
    return out;
  }

  /** Records what a row now shows (see `staleChanges`). */
  markShown(row: Pick<WatchlistRow, 'symbol' | 'stale'>): void {
    if (row.stale) this.shownStale.add(row.symbol);
    else this.shownStale.delete(row.symbol);
  }

  /** The row of a listed symbol, or undefined. */
  row(symbol: string, ctx: RowContext): WatchlistRow | undefined {
    const index = this.list.indexOf(symbol);
    if (index < 0) return undefined;
    return buildRow(symbol, this.quotes.quote(symbol), index, this.list.length, ctx);
  }
}
