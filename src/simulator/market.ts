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
import { findSymbol } from '../market/catalogue';
import { floorToTick, priceLimits, relativeSign, signOf, tickDown, tickUp } from './krx';
import { AsciiWriter } from './ascii';
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

const CARET = 94; // '^'

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
  /** Scratch writer for the string forms (tests, faults); streams write into their own. */
  private readonly scratch = new AsciiWriter(4096);
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
    this.step(time);
    return this.tradeRecord(time, date);
  }

  /** Advances the walk by one trade and appends its record to `w` (the hot path: no strings). */
  writeNextTrade(w: AsciiWriter, time: string, date: string): void {
    this.step(time);
    this.writeTrade(w, time, date, this.price, this.open, this.high, this.low, this.openTime, this.highTime, this.lowTime);
  }

  /** One step of the walk: price, side, quantity, running totals and OHLC. */
  private step(time: string): void {
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
  }

  /** The H0STCNT0 record of the current state (the last trade again; no step of the walk). */
  tradeRecord(time: string, date: string): string {
    const w = this.scratch;
    w.begin(1024);
    if (this.trades === 0) {
      // Before the first trade, describe an opening print at the previous close without moving the walk.
      const p = this.prevClose;
      this.writeTrade(w, time, date, p, p, p, p, time, time, time);
    } else {
      this.writeTrade(w, time, date, this.price, this.open, this.high, this.low, this.openTime, this.highTime, this.lowTime);
    }
    const text = w.text();
    w.discard();
    return text;
  }

  /** Appends the 46 (47) fields of a trade record, in §8.1 order. */
  private writeTrade(
    w: AsciiWriter,
    time: string,
    date: string,
    price: number,
    open: number,
    high: number,
    low: number,
    openTime: string,
    highTime: string,
    lowTime: string,
  ): void {
    const prev = this.prevClose;
    const change = price - prev;
    const vol = this.cumVolume;
    const sideTotal = this.buyQty + this.sellQty;
    const sameHour = Math.max(1, Math.round(vol / this.sameHourFactor));
    w.ascii(this.code);
    w.byte(CARET);
    w.ascii(time);
    w.byte(CARET);
    w.int(price);
    w.byte(CARET);
    w.ascii(signOf(price, prev, this.upper, this.lower));
    w.byte(CARET);
    w.int(change);
    w.byte(CARET);
    w.fixed2((change * 100) / prev);
    w.byte(CARET);
    w.fixed2(vol > 0 ? this.cumValue / vol : price);
    w.byte(CARET);
    w.int(open);
    w.byte(CARET);
    w.int(high);
    w.byte(CARET);
    w.int(low);
    w.byte(CARET);
    w.int(this.bestAsk());
    w.byte(CARET);
    w.int(this.bestBid());
    w.byte(CARET);
    w.int(this.lastQty);
    w.byte(CARET);
    w.int(vol);
    w.byte(CARET);
    w.int(this.cumValue);
    w.byte(CARET);
    w.int(this.sellCount);
    w.byte(CARET);
    w.int(this.buyCount);
    w.byte(CARET);
    w.int(this.buyCount - this.sellCount);
    w.byte(CARET);
    w.fixed2(this.sellQty > 0 ? (this.buyQty / this.sellQty) * 100 : 0);
    w.byte(CARET);
    w.int(this.sellQty);
    w.byte(CARET);
    w.int(this.buyQty);
    w.byte(CARET);
    w.ascii(this.lastSide);
    w.byte(CARET);
    w.fixed2(sideTotal > 0 ? (this.buyQty / sideTotal) * 100 : 0);
    w.byte(CARET);
    w.fixed2((vol * 100) / this.prevDayVolume);
    w.byte(CARET);
    w.ascii(openTime);
    w.byte(CARET);
    w.ascii(relativeSign(price, open));
    w.byte(CARET);
    w.int(price - open);
    w.byte(CARET);
    w.ascii(highTime);
    w.byte(CARET);
    w.ascii(relativeSign(price, high));
    w.byte(CARET);
    w.int(price - high);
    w.byte(CARET);
    w.ascii(lowTime);
    w.byte(CARET);
    w.ascii(relativeSign(price, low));
    w.byte(CARET);
    w.int(price - low);
    w.byte(CARET);
    w.ascii(date);
    w.ascii('^20^N^');
    w.int(this.askSize1);
    w.byte(CARET);
    w.int(this.bidSize1);
    w.byte(CARET);
    w.int(this.totalAsk);
    w.byte(CARET);
    w.int(this.totalBid);
    w.byte(CARET);
    w.fixed2((vol * 100) / this.listedShares);
    w.byte(CARET);
    w.int(sameHour);
    w.byte(CARET);
    w.fixed2((vol * 100) / sameHour);
    w.ascii('^0^^');
    w.int(open || prev);
    if (this.tradeWidth === 47) w.ascii('^2');
  }

  /** A fresh order book around the current price as an H0STASP0 record (`bookWidth` fields). */
  nextBook(time: string): string {
    const w = this.scratch;
    w.begin(1024);
    this.writeNextBook(w, time);
    const text = w.text();
    w.discard();
    return text;
  }

  /** Appends a fresh order-book record (§8.2 order) to `w`. */
  writeNextBook(w: AsciiWriter, time: string): void {
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
    w.ascii(this.code);
    w.byte(CARET);
    w.ascii(time);
    w.ascii('^0');
    for (const list of [asks, bids, askSizes, bidSizes]) {
      for (let i = 0; i < LEVELS; i++) {
        w.byte(CARET);
        w.int(list[i]);
      }
    }
    w.byte(CARET);
    w.int(totalAsk);
    w.byte(CARET);
    w.int(totalBid);
    w.ascii('^0^0^0^0^0^0^3^0.00^');
    w.int(this.cumVolume);
    w.byte(CARET);
    w.int(askDelta);
    w.byte(CARET);
    w.int(bidDelta);
    w.ascii('^0^0^0');
    if (this.bookWidth === 59) return;
    w.byte(CARET);
    w.int(asks[0] > 0 && bids[0] > 0 ? Math.floor((asks[0] + bids[0]) / 2) : this.price);
    w.ascii('^0^0');
    if (this.bookWidth === 63) w.ascii('^2');
  }
}
