/**
 * How index and US records become quote state, pure. MarketState owns the maps and the change
 * sets; these functions only write one record's fields into the (mutable, reused) quote or book.
 *
 * Index (H0UPCNT0): the value in points is the "price", with its change and rate; there is no book, no
 * VWAP and no per-trade quantity, so the one-minute bars take the growth of the cumulative volume.
 * US (HDFSCNT0 / HDFSASP0): prices in dollars as KIS sends them (decimals, ZDIV 4), the change signed by
 * SIGN (DIFF is unsigned on the wire), the Korean date and time of the record (KYMD/KHMS) as the tick
 * time, so US rows read on the same clock as KRX rows ("… KST").
 */
import type { IndexRecord, UsBookRecord, UsTradeRecord } from '../kis/layouts/intl';
import type { OrderBookTop, QuoteState } from '../shared/snapshot';

/**
 * Writes an index tick into `q`.
 * @returns the volume traded since the previous tick (for the minute bar), 0 when unknown
 */
export function applyIndexTick(q: QuoteState, r: IndexRecord, now: number, today: string): number {
  const quantity = r.volume > q.volume && q.volume > 0 ? r.volume - q.volume : 0;
  q.last = r.value;
  q.change = r.change;
  q.rate = r.rate;
  q.sign = r.sign;
  q.volume = r.volume;
  // An index has no traded value in this TR's fields we read, and no VWAP: both stay 0 ("unknown").
  q.open = r.open > 0 ? r.open : q.open > 0 ? q.open : r.value;
  q.high = r.high > 0 ? r.high : Math.max(q.high, r.value);
  q.low = r.low > 0 ? r.low : q.low > 0 ? Math.min(q.low, r.value) : r.value;
  q.lastTickTime = r.time;
  // H0UPCNT0 carries no date: the KST date of receipt is the business date.
  q.businessDate = today;
  q.lastUpdateAt = now;
  q.trades++;
  return quantity;
}

/**
 * Writes a US trade into `q`. Best bid/ask come from the trade until an HDFSASP0 book exists (`hasBook`).
 * @returns the trade's quantity (EVOL) for the minute bar
 */
export function applyUsTradeTick(q: QuoteState, r: UsTradeRecord, now: number, hasBook: boolean): number {
  q.last = r.price;
  q.change = r.change;
  q.rate = r.rate;
  q.sign = r.sign;
  q.volume = r.cumulativeVolume > 0 ? r.cumulativeVolume : q.volume + r.volume;
  q.value = r.amount > 0 ? r.amount : q.value + r.price * r.volume;
  q.open = r.open > 0 ? r.open : q.open > 0 ? q.open : r.price;
  q.high = r.high > 0 ? r.high : Math.max(q.high, r.price);
  q.low = r.low > 0 ? r.low : q.low > 0 ? Math.min(q.low, r.price) : r.price;
  // VWAP in dollars to four places, like the prices themselves.
  q.vwap = q.volume > 0 && q.value > 0 ? Math.round((q.value / q.volume) * 10_000) / 10_000 : r.price;
  if (!hasBook) {
    q.bestBid = r.bid;
    q.bestAsk = r.ask;
  }
  q.lastTickTime = r.kstTime;
  if (r.kstDate !== '') q.businessDate = r.kstDate;
  q.lastUpdateAt = now;
  q.trades++;
  return r.volume;
}

/**
 * Writes a US book into `book`: the levels the record carries (one in the free layout, ten in the wide
 * one), as KIS sends them; the deeper levels it does not carry are emptied.
 */
export function applyUsBookTick(book: OrderBookTop, r: UsBookRecord, time: string): void {
  book.time = time;
  book.venue = 'US';
  for (let i = 0; i < book.asks.length; i++) {
    const ask = r.asks[i];
    const bid = r.bids[i];
    book.asks[i].price = ask?.price ?? 0;
    book.asks[i].size = ask?.size ?? 0;
    book.bids[i].price = bid?.price ?? 0;
    book.bids[i].size = bid?.size ?? 0;
  }
  book.totalAskSize = r.totalAskSize;
  book.totalBidSize = r.totalBidSize;
}
