/**
 * The market model: one seeded random walk per symbol that produces H0STCNT0 (trade) and H0STASP0
 * (order book) records in the exact KIS field order (kis-protocol.md §8.1, §8.2).
 *
 * Invariants the tests rely on: every price is on a KRX tick and inside the ±30 % band; the sign code
 * matches the price; cumulative volume and value are the running sums of the records produced
 * (value += price × qty, VWAP = value / volume); open/high/low follow the trades. The trade walk uses its
 * own generator, so a symbol's trade sequence depends only on the seed and the code, whatever else is
 * subscribed.
 */
import type { Sign } from '../kis/types';
import { findSymbol } from '../shared/catalogue';
import { floorToTick, priceLimits, relativeSign, signOf, tickDown, tickUp } from './krx';
import { hashString, mulberry32, type Prng } from './prng';

/** Record widths the simulator can produce (layout versions, kis-protocol.md §11 pitfall 2). */
export type TradeWidth = 46 | 47;
export type BookWidth = 59 | 62 | 63;

/** How a symbol model is built. */
export interface SymbolModelOptions {
  /** Previous close (base price); a valid tick. */
  prevClose: number;
  /** Run seed; combined with the code so every symbol walks differently. */
  seed: number;
  /** Largest move of one trade, in ticks (1 = a gentle walk; large values reach the limits fast). */
  volatilityTicks: number;
  tradeWidth: TradeWidth;
  bookWidth: BookWidth;
}

/** Book depth per side. */
const LEVELS = 10;

/**
 * A plausible previous close for a code that is not in the catalogue: derived from a hash of the code,
 * between 1,000 and ~300,000 KRW, on a valid tick.
 */
export function hashedBasePrice(code: string): number {
  const h = hashString(code);
  // Log-uniform between 1e3 and 3e5 so small and large caps both occur.
  const price = Math.exp(Math.log(1000) + (h / 4294967296) * (Math.log(300000) - Math.log(1000)));
  return floorToTick(Math.round(price));
}

/** The base price of a code: the override, else the catalogue, else a hash-derived price. */
export function basePriceOf(code: string, override?: number): number {
  if (override !== undefined) return floorToTick(override);
  return findSymbol(code)?.basePrice ?? hashedBasePrice(code);
}

/**
 * Formats a ratio with two decimals (like `toFixed(2)` of the value rounded half up, never "-0.00").
 * Integer arithmetic: about 3× cheaper than toFixed, and this runs 7 times per trade record.
 */
export function fixed2(value: number): string {
  let cents = Math.round(value * 100);
  if (cents === 0) return '0.00';
  const negative = cents < 0;
  if (negative) cents = -cents;
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${negative ? '-' : ''}${whole}${frac < 10 ? '.0' : '.'}${frac}`;
}

/** The random walk and running totals of one symbol. */
export class SymbolModel {
  readonly code: string;
  readonly prevClose: number;
  readonly upper: number;
  readonly lower: number;

  /** Last trade price (the previous close until the first trade). */
  price: number;
  open = 0;
  high = 0;
  low = 0;
  /** Cumulative volume (shares) and value (KRW) of every trade produced so far. */
  cumVolume = 0;
  cumValue = 0;
  /** Trades produced so far. */
  trades = 0;
  /** Quantity and side of the last trade: '1' buyer-initiated, '5' seller-initiated. */
  lastQty = 0;
  lastSide: '1' | '5' = '1';

  private openTime = '';
  private highTime = '';
  private lowTime = '';
  private sellCount = 0;
  private buyCount = 0;
  private sellQty = 0;
  private buyQty = 0;
  /** `^BSOP_DATE^…^TOTAL_BIDP_RSQN` of the trade record: changes only with the date or a new book. */
  private tailDate = '';
  private tail = '';
  private askSize1: number;
  private bidSize1: number;
  private totalAsk: number;
  private totalBid: number;
  private readonly prevDayVolume: number;
  private readonly sameHourFactor: number;
  private readonly listedShares: number;
  private readonly tradeRng: Prng;
  private readonly bookRng: Prng;
  private readonly volatilityTicks: number;
  private readonly tradeWidth: TradeWidth;
  private readonly bookWidth: BookWidth;

  constructor(code: string, options: SymbolModelOptions) {
    this.code = code;
    this.prevClose = options.prevClose;
    const limits = priceLimits(options.prevClose);
    this.upper = limits.upper;
    this.lower = limits.lower;
    this.price = options.prevClose;
    const h = hashString(code, options.seed >>> 0);
    this.tradeRng = mulberry32(h);
    this.bookRng = mulberry32(h ^ 0x9e3779b9);
    this.volatilityTicks = Math.max(1, Math.floor(options.volatilityTicks));
    this.tradeWidth = options.tradeWidth;
    this.bookWidth = options.bookWidth;
    this.prevDayVolume = 1_000_000 + (h % 20_000_000);
    this.sameHourFactor = 0.6 + ((h >>> 8) % 80) / 100;
    this.listedShares = 50_000_000 + (h % 900_000_000);
    this.askSize1 = 1000 + (h % 50_000);
    this.bidSize1 = 1000 + ((h >>> 4) % 50_000);
    this.totalAsk = this.askSize1 * 12;
    this.totalBid = this.bidSize1 * 12;
  }

  /** Best ask / bid implied by the last trade: a buy lifted the ask, a sell hit the bid. 0 beyond a limit. */
  bestAsk(): number {
    const ask = this.lastSide === '1' ? this.price : tickUp(this.price);
    return ask > this.upper ? 0 : ask;
  }

  bestBid(): number {
    const bid = this.lastSide === '5' ? this.price : tickDown(this.price);
    return bid < this.lower ? 0 : bid;
  }

  /** Advances the walk by one trade and returns its H0STCNT0 record (`tradeWidth` fields). */
  nextTrade(time: string, date: string): string {
    const rng = this.tradeRng;
    // Mild mean reversion toward the previous close keeps long runs inside the band.
    const drift = (this.price - this.prevClose) / this.prevClose;
    const pUp = Math.min(0.55, Math.max(0.05, 0.3 - drift * 2));
    const r = rng.next();
    let price = this.price;
    let side: '1' | '5';
    if (r < pUp) {
      const steps = rng.int(1, this.volatilityTicks);
      for (let i = 0; i < steps && price < this.upper; i++) price = tickUp(price);
      side = '1';
    } else if (r < pUp + 0.3) {
      const steps = rng.int(1, this.volatilityTicks);
      for (let i = 0; i < steps && price > this.lower; i++) price = tickDown(price);
      side = '5';
    } else {
      side = rng.next() < 0.5 ? '1' : '5';
    }
    if (price > this.upper) price = this.upper;
    if (price < this.lower) price = this.lower;
    const u = rng.next();
    const qty = 1 + Math.floor(u * u * u * 300);

    this.price = price;
    this.lastQty = qty;
    this.lastSide = side;
    this.trades++;
    this.cumVolume += qty;
    this.cumValue += price * qty;
    if (side === '1') {
      this.buyCount++;
      this.buyQty += qty;
    } else {
      this.sellCount++;
      this.sellQty += qty;
    }
    if (this.trades === 1) {
      this.open = this.high = this.low = price;
      this.openTime = this.highTime = this.lowTime = time;
    } else if (price > this.high) {
      this.high = price;
      this.highTime = time;
    } else if (price < this.low) {
      this.low = price;
      this.lowTime = time;
    }
    return this.tradeRecord(time, date);
  }

  /** The H0STCNT0 record of the current state (the last trade again; no step of the walk). */
  tradeRecord(time: string, date: string): string {
    if (this.trades === 0) {
      // Before the first trade, describe an opening print at the previous close without moving the walk.
      return this.formatTrade(time, date, this.prevClose, this.prevClose, this.prevClose, this.prevClose, time, time, time);
    }
    return this.formatTrade(time, date, this.price, this.open, this.high, this.low, this.openTime, this.highTime, this.lowTime);
  }

  private formatTrade(
    time: string,
    date: string,
    price: number,
    open: number,
    high: number,
    low: number,
    openTime: string,
    highTime: string,
    lowTime: string,
  ): string {
    const prev = this.prevClose;
    const change = price - prev;
    const sign: Sign = signOf(price, prev, this.upper, this.lower);
    const vol = this.cumVolume;
    const vwap = vol > 0 ? fixed2(this.cumValue / vol) : fixed2(price);
    const cttr = this.sellQty > 0 ? fixed2((this.buyQty / this.sellQty) * 100) : '0.00';
    const sideTotal = this.buyQty + this.sellQty;
    const shnuRate = sideTotal > 0 ? fixed2((this.buyQty / sideTotal) * 100) : '0.00';
    const sameHour = Math.max(1, Math.round(vol / this.sameHourFactor));
    const record =
      `${this.code}^${time}^${price}^${sign}^${change}^${fixed2((change * 100) / prev)}^${vwap}` +
      `^${open}^${high}^${low}^${this.bestAsk()}^${this.bestBid()}^${this.lastQty}^${vol}^${this.cumValue}` +
      `^${this.sellCount}^${this.buyCount}^${this.buyCount - this.sellCount}^${cttr}^${this.sellQty}^${this.buyQty}` +
      `^${this.lastSide}^${shnuRate}^${fixed2((vol * 100) / this.prevDayVolume)}` +
      `^${openTime}^${relativeSign(price, open)}^${price - open}` +
      `^${highTime}^${relativeSign(price, high)}^${price - high}` +
      `^${lowTime}^${relativeSign(price, low)}^${price - low}` +
      this.tailFor(date) +
      `^${fixed2((vol * 100) / this.listedShares)}^${sameHour}^${fixed2((vol * 100) / sameHour)}^0^^${open || prev}`;
    return this.tradeWidth === 47 ? `${record}^2` : record;
  }

  private tailFor(date: string): string {
    if (date !== this.tailDate || this.tail === '') {
      this.tailDate = date;
      this.tail = `^${date}^20^N^${this.askSize1}^${this.bidSize1}^${this.totalAsk}^${this.totalBid}`;
    }
    return this.tail;
  }

  /** A fresh order book around the current price as an H0STASP0 record (`bookWidth` fields). */
  nextBook(time: string): string {
    const rng = this.bookRng;
    const asks: number[] = new Array<number>(LEVELS);
    const bids: number[] = new Array<number>(LEVELS);
    const askSizes: number[] = new Array<number>(LEVELS);
    const bidSizes: number[] = new Array<number>(LEVELS);
    let ask = this.bestAsk();
    let bid = this.bestBid();
    let totalAsk = 0;
    let totalBid = 0;
    for (let i = 0; i < LEVELS; i++) {
      asks[i] = ask;
      bids[i] = bid;
      askSizes[i] = ask === 0 ? 0 : rng.int(100, 300_000);
      bidSizes[i] = bid === 0 ? 0 : rng.int(100, 300_000);
      totalAsk += askSizes[i];
      totalBid += bidSizes[i];
      ask = ask === 0 || tickUp(ask) > this.upper ? 0 : tickUp(ask);
      bid = bid === 0 || tickDown(bid) < this.lower ? 0 : tickDown(bid);
    }
    const askDelta = totalAsk - this.totalAsk;
    const bidDelta = totalBid - this.totalBid;
    this.askSize1 = askSizes[0];
    this.bidSize1 = bidSizes[0];
    this.totalAsk = totalAsk;
    this.totalBid = totalBid;
    this.tail = '';
    const record =
      `${this.code}^${time}^0^${asks.join('^')}^${bids.join('^')}^${askSizes.join('^')}^${bidSizes.join('^')}` +
      `^${totalAsk}^${totalBid}^0^0^0^0^0^0^3^0.00^${this.cumVolume}^${askDelta}^${bidDelta}^0^0^0`;
    if (this.bookWidth === 59) return record;
    const best = asks[0] > 0 && bids[0] > 0 ? Math.floor((asks[0] + bids[0]) / 2) : this.price;
    const withMid = `${record}^${best}^0^0`;
    return this.bookWidth === 63 ? `${withMid}^2` : withMid;
  }
}
