/**
 * The market model of one venue of a symbol: its trades (prices from the symbol's one reference walk,
 * reference.ts), running totals and minute bars, and its H0STCNT0 (trade) and H0STASP0 (order book)
 * records in the exact KIS field order (kis-protocol.md §8.1, §8.2). A KRX model made alone owns its
 * reference; the NXT model shares the KRX model's, and a combined model (the unified tape) takes every
 * trade of both.
 *
 * Invariants the tests rely on: every price is on a KRX tick and inside the ±30 % band; the sign code
 * matches the price; cumulative volume and value are the running sums of the records produced
 * (value += price × qty, VWAP = value / volume); open/high/low follow the trades; a book's best bid and
 * ask bracket the last trade. The walk and the quantities use their own generators, so a symbol's trade
 * sequence depends only on the seed, the code and the order of its venues' trades, not on books.
 */
import { findSymbol } from '../../market/catalogue';
import { floorToTick, priceLimits, relativeSign, signOf, tickDown, tickUp } from './krxRules';
import { AsciiWriter } from '../ws/ascii';
import { hashString, mulberry32, type Prng } from './prng';
import { ReferencePrice, type PrintVenue } from './reference';

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
  /** The symbol's walk, shared with its other venue (default: a new one of this model's own). */
  reference?: ReferencePrice;
  /** The venue this model prints for (default KRX). */
  venue?: PrintVenue;
  /** True for the unified tape: it takes both venues' trades and quotes both (default false). */
  tape?: boolean;
}

/** One minute of a model's trades (KST date and HHMM of the trades' times). */
export interface MinuteBar {
  readonly date: string;
  readonly minute: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
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

/** The trades, running totals and records of one venue of a symbol. */
export class SymbolModel {
  readonly code: string;
  /** The symbol's one walk (shared by its venues). */
  readonly reference: ReferencePrice;
  /** The venue this model's own trades print for. */
  readonly venue: PrintVenue;
  /** True for the unified tape (see SymbolModelOptions.tape). */
  readonly tape: boolean;
  /** A model that also takes every trade of this one (the unified tape), if any. */
  combined?: SymbolModel;
  /** Minute bars of every trade so far, oldest first. */
  readonly minuteBars: MinuteBar[] = [];
  /** True when a day was played before the start (the demo): the minute bars are the day's history. */
  hasHistory = false;
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
    this.venue = options.venue ?? 'KRX';
    this.tape = options.tape ?? false;
    this.reference =
      options.reference ??
      new ReferencePrice(
        options.prevClose,
        limits.lower,
        limits.upper,
        mulberry32(h ^ 0x2545f491),
        options.volatilityTicks,
      );
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

  /**
   * The best bid and ask a fresh book shows: a tick either side of the quote now (the walk moves quotes
   * between this model's trades; the unified tape spans both venues' quotes), so the next trades land
   * inside it, as long as the book still brackets the last trade (± one tick); else the quotes the last
   * trade implies. 0 beyond a daily limit.
   */
  private quotes(): { ask: number; bid: number } {
    const implied = { ask: this.bestAsk(), bid: this.bestBid() };
    if (this.trades === 0) return implied;
    const krx = this.reference.quote('KRX');
    const nxt = this.reference.quote('NXT');
    const own = this.venue === 'NXT' ? nxt : krx;
    const ask = tickUp(this.tape ? Math.max(krx, nxt) : own);
    const bid = tickDown(this.tape ? Math.min(krx, nxt) : own);
    if (this.price < tickDown(bid) || this.price > tickUp(ask)) return implied;
    return { ask: ask > this.upper ? 0 : ask, bid: bid < this.lower ? 0 : bid };
  }

  /** Advances the walk by one trade and returns its H0STCNT0 record (`tradeWidth` fields). */
  nextTrade(time: string, date: string): string {
    this.step(time, date);
    return this.tradeRecord(time, date);
  }

  /** Advances the walk by one trade and appends its record to `w` (the hot path: no strings). */
  writeNextTrade(w: AsciiWriter, time: string, date: string): void {
    this.step(time, date);
    this.writeTrade(
      w,
      time,
      date,
      this.price,
      this.open,
      this.high,
      this.low,
      this.openTime,
      this.highTime,
      this.lowTime,
    );
  }

  /** One trade of this venue without a record (a day played before the start: the demo's history). */
  trade(time: string, date: string): void {
    this.step(time, date);
    this.hasHistory = true;
    if (this.combined !== undefined) this.combined.hasHistory = true;
  }

  /**
   * One trade of this venue for the unified feed only (its own feed does not carry it): returns the
   * record of the combined tape.
   */
  nextUnifiedTrade(time: string, date: string): string {
    this.step(time, date, false);
    return (this.combined ?? this).tradeRecord(time, date);
  }

  /** One step of the walk printed at this venue, with a seeded quantity, passed on to the combined tape. */
  private step(time: string, date: string, onVenueFeed = true): void {
    const { price, side } = this.reference.print(this.venue, onVenueFeed);
    const u = this.tradeRng.next();
    const qty = 1 + Math.floor(u * u * u * 300);
    this.applyTrade(price, qty, side, time, date);
    this.combined?.applyTrade(price, qty, side, time, date);
  }

  /** Opens the day at `price` (the calendar's opening auction): the walk continues from there. */
  openAt(price: number, time: string): void {
    this.reference.reset(price);
    this.price = this.open = this.high = this.low = price;
    this.openTime = this.highTime = this.lowTime = time;
    this.trades = 1;
  }

  /** Books one trade: price, side, quantity, running totals, OHLC and the minute bar. */
  applyTrade(price: number, qty: number, side: '1' | '5', time: string, date: string): void {
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
    this.addToBar(price, qty, date, time);
  }

  private addToBar(price: number, qty: number, date: string, time: string): void {
    const bars = this.minuteBars;
    const bar = bars.length > 0 ? bars[bars.length - 1] : undefined;
    // Same minute: the time's first four digits and the date match (cheap, no Date on the hot path).
    if (bar !== undefined && bar.date === date && time.startsWith(bar.minute)) {
      if (price > bar.high) bar.high = price;
      if (price < bar.low) bar.low = price;
      bar.close = price;
      bar.volume += qty;
      return;
    }
    // A clock moved back (a test's, a replayed one) continues the last bar rather than reorder them.
    if (bar !== undefined && bar.date + bar.minute > date + time.slice(0, 4)) {
      bar.close = price;
      bar.volume += qty;
      if (price > bar.high) bar.high = price;
      if (price < bar.low) bar.low = price;
      return;
    }
    bars.push({ date, minute: time.slice(0, 4), open: price, high: price, low: price, close: price, volume: qty });
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
      this.writeTrade(
        w,
        time,
        date,
        this.price,
        this.open,
        this.high,
        this.low,
        this.openTime,
        this.highTime,
        this.lowTime,
      );
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
    let { ask, bid } = this.quotes();
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
