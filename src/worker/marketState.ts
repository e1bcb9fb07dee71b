/**
 * The built-in handlers: per-symbol quote state, one-minute bars and order-book tops, built from
 * H0STCNT0 and H0STASP0 records, plus the change tracking that coalesced snapshots are made from.
 *
 * Hot path (every record, up to 250,000/s): the runtime reads each record's few needed fields into a
 * reused tick (`src/kis/ticks.ts`, one pass over the payload, no string per field); the quote, the current bar and the book of a symbol are mutable objects updated in place, so a record
 * allocates nothing except a new bar once a minute. `postMessage` copies them when a snapshot goes out.
 */
import { H0STASP0 } from '../kis/layouts/krx';
import type { DayRecord } from '../kis/layouts/day';
import type { IntlRecord } from '../kis/layouts/intl';
import { bookTickAt, newBookTick, newTradeTick, tradeTickAt, type BookTick, type TradeTick } from '../kis/ticks';
import type { Sign } from '../kis/types';
import type { AlertEvent, Bar, BookLevel, OrderBookTop, QuoteExchange, QuoteState } from '../shared/snapshot';
import type { FeedClockAnchor, WorkerRestoreState } from '../shared/workerProtocol';
import { formatKstDate } from '../market/time';
import { kstEpoch, type AlertEngine } from './alerts';
import { foldTrade, minuteStart } from './bars';
import { applyIndexTick, applyUsBookTick, applyUsTradeTick } from './intlQuotes';

/** The changes since the previous `takeChanges()`, in the shape a snapshot carries. */
export interface MarketChanges {
  quotes: QuoteState[];
  bars: Bar[];
  books: OrderBookTop[];
  alerts: AlertEvent[];
}

/** Sign from a signed change, when the record's sign code is missing or invalid. */
function signOf(change: number): Sign {
  return change > 0 ? '2' : change < 0 ? '5' : '3';
}

function emptyQuote(symbol: string): QuoteState {
  return {
    symbol,
    last: 0,
    change: 0,
    rate: 0,
    sign: '3',
    volume: 0,
    value: 0,
    open: 0,
    high: 0,
    low: 0,
    vwap: 0,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '',
    businessDate: '',
    lastUpdateAt: 0,
    halted: false,
    trades: 0,
  };
}

function levels(depth: number): BookLevel[] {
  const out = new Array<BookLevel>(depth);
  for (let i = 0; i < depth; i++) out[i] = { price: 0, size: 0 };
  return out;
}

/** Rounds to 2 decimals, as KIS prints WGHN_AVRG_STCK_PRC. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Continuous trading starts at 09:00 KST; trades before it (NXT pre-market) leave the KRX auction's expected price. */
const CONTINUOUS_FROM = '090000';

/**
 * Drops the expected execution once continuous trading has started: a trade at or after 09:00 from the
 * expected's own feed (or, for a unified expected, from any feed; a unified trade ends any expected).
 */
function dropExpected(q: QuoteState, exchange: QuoteExchange, time: string): void {
  const e = q.expected as NonNullable<QuoteState['expected']>;
  if (time < CONTINUOUS_FROM) return;
  if (exchange === e.exchange || exchange === 'unified' || e.exchange === 'unified') delete q.expected;
}

/** Market state of one worker. */
export class MarketState {
  private readonly quotes = new Map<string, QuoteState>();
  private readonly currentBars = new Map<string, Bar>();
  private readonly books = new Map<string, OrderBookTop>();
  private readonly dirtyQuotes = new Set<QuoteState>();
  private readonly dirtyBars = new Set<Bar>();
  private readonly dirtyBooks = new Set<OrderBookTop>();
  private firedAlerts: AlertEvent[] = [];
  private fallbackDateMinute = -1;
  private fallbackDate = '';

  /**
   * @param alerts the rules evaluated on every trade
   * @param bookDepth levels kept per side of each book (clamped to 1..10)
   * @param feedClock the feed's clock (a simulated day, a replay): the date of records without their own; absent: the machine's
   */
  constructor(
    private readonly alerts: AlertEngine,
    bookDepth = 10,
    private readonly feedClock?: FeedClockAnchor,
  ) {
    this.bookDepth = Math.max(1, Math.min(H0STASP0.LEVELS, Math.floor(bookDepth) || H0STASP0.LEVELS));
    this.bookScratch = newBookTick(this.bookDepth);
  }

  /** Levels kept per side. */
  readonly bookDepth: number;
  /** Reused by `applyTrade` / `applyBook` (split path): a record allocates no tick. */
  private readonly tradeScratch = newTradeTick();
  private readonly bookScratch: BookTick;

  /**
   * Applies the H0STCNT0 record at `o` of a split payload (the path when user handlers need `fields`).
   * Same result as `applyTradeTick` on the same record; see there.
   */
  applyTrade(fields: readonly string[], o: number, now: number): boolean {
    return this.applyTradeTick(tradeTickAt(fields, o, this.tradeScratch), now);
  }

  /**
   * Applies one trade. Returns false (and changes nothing) when the record has no symbol.
   * Day OHLC, VWAP and cumulative volume/value come from the exchange's own fields; when a field is empty
   * (0) the value is derived from the trades seen, so partial records still give a sane state.
   * @param t the record's fields (`TradeTickReader` or `tradeTickAt`); read, not kept
   * @param now receipt time (epoch ms), read once per batch by the caller
   */
  applyTradeTick(t: TradeTick, now: number, exchange: QuoteExchange = 'KRX'): boolean {
    const symbol = t.symbol;
    if (!symbol) return false;
    let q = this.quotes.get(symbol);
    if (q === undefined) {
      q = emptyQuote(symbol);
      this.quotes.set(symbol, q);
    }
    // Only rows that have seen another feed carry `exchange`, so KRX-only snapshots stay as they were.
    if (exchange !== 'KRX' || q.exchange !== undefined) q.exchange = exchange;
    if (q.expected !== undefined) dropExpected(q, exchange, t.time);
    const price = t.price;
    const quantity = t.quantity;
    const change = t.change;
    q.last = price;
    q.change = change;
    q.rate = t.rate;
    q.sign = t.sign !== '' ? t.sign : signOf(change);

    const cumVolume = t.cumVolume;
    const cumValue = t.cumValue;
    q.volume = cumVolume > 0 ? cumVolume : q.volume + quantity;
    q.value = cumValue > 0 ? cumValue : q.value + price * quantity;

    const open = t.open;
    const high = t.high;
    const low = t.low;
    q.open = open > 0 ? open : q.open > 0 ? q.open : price;
    q.high = high > 0 ? high : price > q.high ? price : q.high;
    q.low = low > 0 ? low : q.low > 0 && q.low < price ? q.low : price;

    const vwap = t.vwap;
    q.vwap = vwap > 0 ? vwap : q.volume > 0 ? round2(q.value / q.volume) : price;

    // A book from H0STASP0 is fresher and deeper than the trade's ASKP1/BIDP1; once one exists it wins.
    if (!this.books.has(symbol)) {
      q.bestAsk = t.ask1;
      q.bestBid = t.bid1;
    }
    const time = t.time;
    q.lastTickTime = time;
    if (t.date) q.businessDate = t.date;
    q.lastUpdateAt = now;
    q.halted = t.halted;
    if (t.strength > 0) q.strength = t.strength;
    if (t.volumeRatio > 0) q.volumeRatio = t.volumeRatio;
    q.trades++;
    this.dirtyQuotes.add(q);

    const minute = minuteStart(q.businessDate || this.todayKst(now), time);
    if (minute === minute) {
      const before = this.currentBars.get(symbol);
      const bar = foldTrade(before, symbol, minute, price, quantity);
      if (bar !== before) this.currentBars.set(symbol, bar);
      this.dirtyBars.add(bar);
    }
    if (this.alerts.watches(symbol)) {
      const input = {
        price,
        rate: q.rate,
        volumeRatio: t.volumeRatio,
        vi: undefined,
        time,
        at: kstEpoch(q.businessDate || this.todayKst(now), time),
      };
      this.alerts.evaluateInput(symbol, input, this.firedAlerts);
    }
    return true;
  }

  /**
   * Applies one whole-day record (src/kis/layouts/day.ts). Trades and books of the NXT/unified feeds take
   * the KRX paths (same field positions) from `fields` at `o`; expected executions and market status set
   * their own fields of the quote. False when the record has no symbol.
   */
  applyDayRecord(record: DayRecord, fields: readonly string[], o: number, now: number): boolean {
    switch (record.kind) {
      case 'trade': {
        const ok = this.applyTradeTick(tradeTickAt(fields, o, this.tradeScratch), now, record.record.exchange);
        const q = ok ? this.quotes.get(record.record.symbol) : undefined;
        if (q !== undefined && record.record.viPrice > 0) q.viPrice = record.record.viPrice;
        return ok;
      }
      case 'book':
        return this.applyBookTick(bookTickAt(fields, o, this.bookScratch), now, record.record.exchange);
      case 'expected': {
        const e = record.record;
        const q = this.quoteOf(e.symbol);
        if (q === undefined) return false;
        q.expected = {
          price: e.price,
          change: e.change,
          rate: e.rate,
          sign: e.sign,
          volume: e.volume,
          time: e.time,
          exchange: e.exchange,
        };
        if (e.viPrice > 0) q.viPrice = e.viPrice;
        q.lastUpdateAt = now;
        this.dirtyQuotes.add(q);
        return true;
      }
      case 'status': {
        const m = record.record;
        const q = this.quoteOf(m.symbol);
        if (q === undefined) return false;
        q.vi = m.vi || m.afterHoursVi;
        // VI alerts fire on the flag's transitions; the receipt clock is what the session gate reads.
        this.alerts.evaluateInput(
          m.symbol,
          { price: q.last, rate: q.rate, volumeRatio: q.volumeRatio ?? 0, vi: q.vi, time: q.lastTickTime, at: now },
          this.firedAlerts,
        );
        q.halted = m.halted;
        q.haltReason = m.haltReason;
        q.lastUpdateAt = now;
        this.dirtyQuotes.add(q);
        return true;
      }
    }
  }

  /**
   * Applies one index or US record (src/kis/layouts/intl.ts; the field rules in intlQuotes.ts): an index
   * or a US trade moves the quote, its minute bar and its alerts; a US best bid/ask is the symbol's book.
   * False when the record has no symbol.
   */
  applyIntlRecord(record: IntlRecord, now: number): boolean {
    if (record.kind === 'usBook') {
      const r = record.record;
      if (!r.key) return false;
      const book = this.bookOf(r.key);
      applyUsBookTick(book, r, r.kstTime);
      this.dirtyBooks.add(book);
      const q = this.quotes.get(r.key);
      if (q !== undefined) {
        q.bestAsk = r.ask;
        q.bestBid = r.bid;
        q.lastUpdateAt = now;
        this.dirtyQuotes.add(q);
      }
      return true;
    }
    const symbol = record.kind === 'index' ? record.record.code : record.record.key;
    const q = this.quoteOf(symbol);
    if (q === undefined) return false;
    const quantity =
      record.kind === 'index'
        ? applyIndexTick(q, record.record, now, this.todayKst(now))
        : applyUsTradeTick(q, record.record, now, this.books.has(symbol));
    this.dirtyQuotes.add(q);
    const minute = minuteStart(q.businessDate || this.todayKst(now), q.lastTickTime);
    if (minute === minute) {
      const before = this.currentBars.get(symbol);
      const bar = foldTrade(before, symbol, minute, q.last, quantity);
      if (bar !== before) this.currentBars.set(symbol, bar);
      this.dirtyBars.add(bar);
    }
    if (this.alerts.watches(symbol)) {
      const input = {
        price: q.last,
        rate: q.rate,
        volumeRatio: 0,
        vi: undefined,
        time: q.lastTickTime,
        at: kstEpoch(q.businessDate, q.lastTickTime),
      };
      this.alerts.evaluateInput(symbol, input, this.firedAlerts);
    }
    return true;
  }

  /** The book of `symbol`, created (empty, `bookDepth` levels) when missing. */
  private bookOf(symbol: string): OrderBookTop {
    let book = this.books.get(symbol);
    if (book === undefined) {
      book = {
        symbol,
        time: '',
        asks: levels(this.bookDepth),
        bids: levels(this.bookDepth),
        totalAskSize: 0,
        totalBidSize: 0,
      };
      this.books.set(symbol, book);
    }
    return book;
  }

  /** The quote of `symbol`, created when missing; undefined for an empty symbol. */
  private quoteOf(symbol: string): QuoteState | undefined {
    if (!symbol) return undefined;
    let q = this.quotes.get(symbol);
    if (q === undefined) {
      q = emptyQuote(symbol);
      this.quotes.set(symbol, q);
    }
    return q;
  }

  /** Applies the H0STASP0 record at `o` of a split payload; same result as `applyBookTick`. */
  applyBook(fields: readonly string[], o: number, now: number): boolean {
    return this.applyBookTick(bookTickAt(fields, o, this.bookScratch), now);
  }

  /**
   * Applies one order book (its top `bookDepth` levels) of `venue`'s feed. False when it has no symbol.
   * @param t the record's fields with at least `bookDepth` levels (`BookTickReader(bookDepth)` or
   * `bookTickAt` on `newBookTick(bookDepth)`); read, not kept
   */
  applyBookTick(t: BookTick, now: number, venue: QuoteExchange = 'KRX'): boolean {
    const symbol = t.symbol;
    if (!symbol) return false;
    const book = this.bookOf(symbol);
    book.time = t.time;
    // The ladder says which venue's book it draws (kisMarket.exchange picks the feed).
    book.venue = venue;
    const { asks, bids } = book;
    for (let i = 0; i < asks.length; i++) {
      asks[i].price = t.askPrices[i];
      asks[i].size = t.askSizes[i];
      bids[i].price = t.bidPrices[i];
      bids[i].size = t.bidSizes[i];
    }
    book.totalAskSize = t.totalAskSize;
    book.totalBidSize = t.totalBidSize;
    this.dirtyBooks.add(book);
    const q = this.quotes.get(symbol);
    if (q !== undefined) {
      q.bestAsk = asks[0].price;
      q.bestBid = bids[0].price;
      q.lastUpdateAt = now;
      this.dirtyQuotes.add(q);
    }
    return true;
  }

  /** True when a snapshot is due (something changed or an alert fired). */
  hasChanges(): boolean {
    return (
      this.dirtyQuotes.size > 0 || this.dirtyBars.size > 0 || this.dirtyBooks.size > 0 || this.firedAlerts.length > 0
    );
  }

  /** Returns what changed since the previous call and starts a new change set. */
  takeChanges(): MarketChanges {
    const changes: MarketChanges = {
      quotes: Array.from(this.dirtyQuotes),
      bars: Array.from(this.dirtyBars),
      books: Array.from(this.dirtyBooks),
      alerts: this.firedAlerts,
    };
    this.dirtyQuotes.clear();
    this.dirtyBars.clear();
    this.dirtyBooks.clear();
    this.firedAlerts = [];
    return changes;
  }

  /** The full state (for tests and diagnostics; the host rebuilds a worker from its own merged copy). */
  fullState(): Pick<WorkerRestoreState, 'quotes' | 'bars' | 'books'> {
    return { quotes: [...this.quotes.values()], bars: [...this.currentBars.values()], books: [...this.books.values()] };
  }

  /** The current state of one symbol. */
  quote(symbol: string): QuoteState | undefined {
    return this.quotes.get(symbol);
  }

  /**
   * Seeds the state after a restart. Objects are copied (the seed belongs to the caller); nothing is
   * marked changed, since the host already has all of it.
   */
  restore(seed: Pick<WorkerRestoreState, 'quotes' | 'bars' | 'books'>): void {
    for (const q of seed.quotes) this.quotes.set(q.symbol, { ...emptyQuote(q.symbol), ...q });
    for (const b of seed.bars) this.currentBars.set(b.symbol, { ...b });
    for (const b of seed.books) {
      const asks = levels(this.bookDepth);
      const bids = levels(this.bookDepth);
      for (let i = 0; i < this.bookDepth; i++) {
        if (b.asks[i]) asks[i] = { price: b.asks[i].price, size: b.asks[i].size };
        if (b.bids[i]) bids[i] = { price: b.bids[i].price, size: b.bids[i].size };
      }
      this.books.set(b.symbol, { ...b, asks, bids });
    }
  }

  /**
   * Today's KST date on the feed's clock at the receipt instant `now` (only for records without BSOP_DATE):
   * a simulated Tuesday's index ticks are Tuesday's whatever the machine's calendar says. Formatted at most
   * once a minute of the feed's clock.
   */
  private todayKst(now: number): string {
    const c = this.feedClock;
    const feedNow = c === undefined ? now : c.feedAt + (now - c.realAt) * c.speed;
    const minute = Math.floor(feedNow / 60_000);
    if (minute !== this.fallbackDateMinute) {
      this.fallbackDateMinute = minute;
      this.fallbackDate = formatKstDate(new Date(feedNow));
    }
    return this.fallbackDate;
  }
}
