/**
 * Holdings and their profit and loss. Pure: no I/O, no VS Code. A holding is a quantity at an average
 * cost in one currency; amounts of different currencies are kept apart (there is no exchange rate here,
 * so a KRW and a USD amount are never added).
 *
 * Why "no price" is not "price 0": before a symbol's first trade the feed's last price is 0; read as a
 * price it would show a −100 % loss (leek-fund PR #137). A price ≤ 0 means "unknown" and gives no P&L.
 */
import { formatChange, formatRate } from './format';
import { formatStyledChange } from './formatKind';
import { symbolMarket } from './symbols';

/** The currencies a holding can be in. */
export type Currency = 'KRW' | 'USD';

/** One symbol held. */
export interface Holding {
  symbol: string;
  /** Shares held (> 0; fractional for US stocks). */
  quantity: number;
  /** Average cost per share in `currency` (> 0). */
  averageCost: number;
  currency: Currency;
  /** Set on a holding read from the user's KIS account (refreshed from KIS, not synced). */
  imported?: true;
}

/** A holding's P&L at a price; every field in the holding's currency. */
export interface HoldingPnl {
  symbol: string;
  currency: Currency;
  marketValue: number;
  cost: number;
  /** Unrealised P&L since purchase, and in percent of the cost. */
  total: number;
  totalPercent: number;
  /** Today's P&L (the day's change × quantity) and the day's change in percent. */
  today: number;
  todayPercent: number;
}

/** Sums of one currency. */
export interface CurrencyTotal {
  currency: Currency;
  marketValue: number;
  cost: number;
  total: number;
  totalPercent: number;
  today: number;
  todayPercent: number;
  /** Holdings priced / held in this currency (a holding without a price is left out of the sums). */
  priced: number;
  held: number;
}

/** What the market says about a symbol for P&L: its last price, and the day's change vs the previous close. */
export interface PriceInput {
  last: number;
  change: number;
}

/**
 * True for what a person can hold: a KRX stock, ETF or ETN, or a US stock or ETF. Not an index (an index
 * is a number computed from stocks; a holding of one has no price to pay or a P&L to mean).
 */
export function isHoldable(symbol: string): boolean {
  const market = symbolMarket(symbol);
  return market === 'krx' || market === 'us';
}

/** The currency a holding of `symbol` is in: dollars for a US stock, else won. */
export function currencyOfSymbol(symbol: string): Currency {
  return symbolMarket(symbol) === 'us' ? 'USD' : 'KRW';
}

/** Why a holding's input was refused. */
export type HoldingProblem = 'NOT_A_NUMBER' | 'NOT_POSITIVE' | 'NOT_WHOLE';

/** The result of reading a quantity or a price typed by the user. */
export type NumberCheck = { ok: true; value: number } | { ok: false; code: HoldingProblem; message: string };

/**
 * Reads a user-typed positive number ("1,234.5" accepted). KRW quantities are whole shares; a USD
 * quantity may be fractional (US brokers sell fractions).
 */
export function parsePositive(text: string, what: 'quantity' | 'price', currency: Currency = 'KRW'): NumberCheck {
  const clean = text.trim().replace(/,/g, '');
  const value = clean === '' ? NaN : Number(clean);
  if (!Number.isFinite(value)) return { ok: false, code: 'NOT_A_NUMBER', message: `"${text}" is not a number.` };
  if (value <= 0) return { ok: false, code: 'NOT_POSITIVE', message: `The ${what} must be greater than 0.` };
  if (what === 'quantity' && currency === 'KRW' && !Number.isInteger(value)) {
    return { ok: false, code: 'NOT_WHOLE', message: 'A KRX quantity is a whole number of shares.' };
  }
  return { ok: true, value };
}

/**
 * Adds a lot (a fill) to a holding: the quantity grows and the average cost becomes the
 * quantity-weighted mean. Several partial fills of one order are several lots.
 */
export function addLot(
  holding: Holding | undefined,
  symbol: string,
  quantity: number,
  price: number,
  currency: Currency = 'KRW',
): Holding {
  if (holding === undefined || holding.quantity <= 0) return { symbol, quantity, averageCost: price, currency };
  const q = holding.quantity + quantity;
  return {
    symbol,
    quantity: q,
    averageCost: (holding.quantity * holding.averageCost + quantity * price) / q,
    currency: holding.currency,
  };
}

/** The average of several lots (undefined for none). */
export function fromLots(
  symbol: string,
  lots: ReadonlyArray<{ quantity: number; price: number }>,
  currency: Currency = 'KRW',
): Holding | undefined {
  let h: Holding | undefined;
  for (const lot of lots) h = addLot(h, symbol, lot.quantity, lot.price, currency);
  return h;
}

/** A holding's P&L at `price`; undefined while the price is unknown (≤ 0) or the holding is empty. */
export function pnlOf(holding: Holding, price: PriceInput | undefined): HoldingPnl | undefined {
  if (price === undefined || !(price.last > 0) || !(holding.quantity > 0) || !(holding.averageCost > 0))
    return undefined;
  const marketValue = price.last * holding.quantity;
  const cost = holding.averageCost * holding.quantity;
  const total = marketValue - cost;
  const previousClose = price.last - price.change;
  const today = price.change * holding.quantity;
  return {
    symbol: holding.symbol,
    currency: holding.currency,
    marketValue,
    cost,
    total,
    totalPercent: (total / cost) * 100,
    today,
    todayPercent: previousClose > 0 ? (price.change / previousClose) * 100 : 0,
  };
}

/** Sums the holdings per currency (never across currencies), in the order KRW, USD; a currency with no holding is left out. */
export function portfolioTotals(
  holdings: readonly Holding[],
  priceOf: (symbol: string) => PriceInput | undefined,
): CurrencyTotal[] {
  const byCurrency = new Map<Currency, CurrencyTotal>();
  for (const currency of ['KRW', 'USD'] as const) {
    byCurrency.set(currency, {
      currency,
      marketValue: 0,
      cost: 0,
      total: 0,
      totalPercent: 0,
      today: 0,
      todayPercent: 0,
      priced: 0,
      held: 0,
    });
  }
  for (const h of holdings) {
    const t = byCurrency.get(h.currency);
    if (t === undefined) continue;
    t.held++;
    const p = pnlOf(h, priceOf(h.symbol));
    if (p === undefined) continue;
    t.priced++;
    t.marketValue += p.marketValue;
    t.cost += p.cost;
    t.total += p.total;
    t.today += p.today;
  }
  const out: CurrencyTotal[] = [];
  for (const t of byCurrency.values()) {
    if (t.held === 0) continue;
    t.totalPercent = t.cost > 0 ? (t.total / t.cost) * 100 : 0;
    const previousValue = t.marketValue - t.today;
    t.todayPercent = previousValue > 0 ? (t.today / previousValue) * 100 : 0;
    out.push(t);
  }
  return out;
}

/** True for a stored holding that is usable (synced state is untrusted: another version may have written it). */
export function isHolding(value: unknown): value is Holding {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    typeof h.symbol === 'string' &&
    /^[0-9A-Z.]{1,12}$/.test(h.symbol) &&
    // An index stored by an older version (its Set Holding accepted one) is not a holding.
    symbolMarket(h.symbol) !== 'index' &&
    typeof h.quantity === 'number' &&
    Number.isFinite(h.quantity) &&
    h.quantity > 0 &&
    typeof h.averageCost === 'number' &&
    Number.isFinite(h.averageCost) &&
    h.averageCost > 0 &&
    (h.currency === 'KRW' || h.currency === 'USD')
  );
}

/**
 * Signed amount with its currency, by the one formatter of prices (formatKind.ts): "+12,300 KRW" (whole
 * won), "-$4.20" (dollars with cents, as US prices read).
 */
export function formatAmount(amount: number, currency: Currency): string {
  if (currency === 'USD') return amount === 0 ? '$0.00' : formatStyledChange(Number(amount.toFixed(2)), 'usd');
  return `${formatChange(Math.round(amount))} KRW`;
}

/** Signed percentage, two decimals, as every rate in the views reads: "+1.23%", "-0.50%", "0.00%". */
export function formatPercent(percent: number): string {
  return formatRate(percent);
}
