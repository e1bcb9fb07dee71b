/** Builders for the ticker tests: quotes, bars, books, strings and a manual clock (no sleeps). */
import type { Clock } from '../../../src/views/ticker/tickerFeed';
import type { Bar, OrderBookTop, QuoteState } from '../../../src/shared/snapshot';
import { TICKER_STRING_KEYS, type TickerStrings } from '../../../src/shared/webviewProtocol';

/** A complete quote of `symbol`, overridable field by field. */
export function quote(symbol: string, overrides: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol,
    last: 71900,
    change: 1200,
    rate: 1.7,
    sign: '2',
    volume: 3052507,
    value: 219_000_000_000,
    open: 70800,
    high: 72000,
    low: 70700,
    vwap: 71650,
    bestBid: 71800,
    bestAsk: 71900,
    lastTickTime: '093015',
    businessDate: '20261125',
    lastUpdateAt: 1_795_000_000_000,
    halted: false,
    trades: 10,
    ...overrides,
  };
}

/** A one-minute bar of `symbol` at minute `minute` (epoch seconds = minute * 60). */
export function bar(symbol: string, minute: number, overrides: Partial<Bar> = {}): Bar {
  return { symbol, time: minute * 60, open: 100, high: 110, low: 90, close: 105, volume: 1000, ...overrides };
}

/** A book of `symbol` with one level each side. */
export function book(symbol: string, bid = 71800, ask = 71900, overrides: Partial<OrderBookTop> = {}): OrderBookTop {
  return {
    symbol,
    time: '093015',
    bids: [{ price: bid, size: 1200 }],
    asks: [{ price: ask, size: 3400 }],
    totalBidSize: 50000,
    totalAskSize: 60000,
    ...overrides,
  };
}

/** Strings whose value is their key, so that tests can see which one landed where. */
export function strings(): TickerStrings {
  return Object.fromEntries(TICKER_STRING_KEYS.map((key) => [key, key])) as unknown as TickerStrings;
}

/** A clock the test advances by hand; timers fire in due order inside `advance`. */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers still scheduled. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) {
        break;
      }
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
    }
    this.time = end;
  }
}
