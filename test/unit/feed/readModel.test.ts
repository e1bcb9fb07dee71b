import assert from 'node:assert/strict';
import { MarketModel } from '../../../src/feed/model/readModel';
import { dayIdentityOf, feedTimeAt } from '../../../src/feed/feedClock';
import { parseSettings } from '../../../src/settings';
import type { ExpectedQuote, QuoteState } from '../../../src/shared/snapshot';

/** A worker quote of 000660 as the worker sends it (no trade yet unless `over` says so). */
function workerQuote(over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol: '000660',
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
    lastUpdateAt: 2_000,
    halted: false,
    trades: 0,
    ...over,
  };
}
/** The opening auction's expected execution: 71,200, +1,700 over the previous close of 69,500. */
const EXPECTED: ExpectedQuote = {
  price: 71_200,
  change: 1_700,
  rate: 2.45,
  sign: '2',
  volume: 12_000,
  time: '085600',
  exchange: 'unified',
};
/** The REST price asked before the open (the previous close), at machine ms 1,000. */
const restQuote = (asOf = 1_000): QuoteState => workerQuote({ last: 69_500, open: 0, lastUpdateAt: asOf, volume: 0 });

describe('read model: the day before its first trade', () => {
  it('keeps an auction expected price on a row priced by REST, with the REST price under it', () => {
    const model = new MarketModel();
    model.applyRestQuote(restQuote());
    model.applySnapshot({
      quotes: [workerQuote({ expected: EXPECTED, bestBid: 71_100, bestAsk: 71_200 })],
      books: [],
      bars: [],
    });
    const q = model.quote('000660');
    assert.deepEqual(q?.expected, EXPECTED, 'the expected price reaches the views');
    assert.equal(q?.last, 69_500, 'the previous close stays the last price');
    assert.equal(q?.bestAsk, 71_200);
    assert.equal(q?.lastUpdateAt, 2_000, 'an auction record keeps the row fresh');
    assert.deepEqual(model.origin('000660'), { kind: 'rest', asOf: 1_000 }, 'the price is still the REST one');
  });

  it('shows the previous close (expected price minus its change, change 0) when the auction comes before any REST price', () => {
    const model = new MarketModel();
    model.applySnapshot({ quotes: [workerQuote({ expected: EXPECTED })], books: [], bars: [] });
    const q = model.quote('000660');
    assert.equal(q?.last, 69_500);
    assert.equal(q?.change, 0);
    assert.equal(q?.rate, 0);
    assert.deepEqual(q?.expected, EXPECTED);
  });

  it('never stores a price of 0: a bare book before any price gives no quote, and REST then prices the row', () => {
    const model = new MarketModel();
    model.applySnapshot({
      quotes: [workerQuote({ bestBid: 11, bestAsk: 12, lastUpdateAt: 5_000 })],
      books: [],
      bars: [],
    });
    assert.equal(model.quote('000660'), undefined);
    // A REST answer asked before a live record without a trade is still the price.
    model.applySnapshot({ quotes: [workerQuote({ expected: EXPECTED, lastUpdateAt: 5_000 })], books: [], bars: [] });
    assert.equal(model.applyRestQuote(restQuote(4_000)), true, 'a live record without a trade is no price to defend');
    assert.equal(model.quote('000660')?.last, 69_500);
    assert.deepEqual(model.quote('000660')?.expected, EXPECTED, 'REST knows no auction: the expected price stays');
  });

  it('gives way to the open: the first trade replaces the expected price', () => {
    const model = new MarketModel();
    model.applyRestQuote(restQuote());
    model.applySnapshot({ quotes: [workerQuote({ expected: EXPECTED })], books: [], bars: [] });
    model.applySnapshot({
      quotes: [
        workerQuote({
          last: 71_300,
          change: 1_800,
          rate: 2.59,
          sign: '2',
          trades: 1,
          volume: 500,
          lastTickTime: '090000',
        }),
      ],
      books: [],
      bars: [],
    });
    const q = model.quote('000660');
    assert.equal(q?.expected, undefined);
    assert.equal(q?.last, 71_300);
    assert.deepEqual(model.origin('000660'), { kind: 'live' });
    // A book after the open keeps the trade's price and says nothing of an auction.
    model.applySnapshot({ quotes: [workerQuote({ bestBid: 71_200, trades: 0 })], books: [], bars: [] });
    assert.equal(model.quote('000660')?.last, 71_300);
  });
});

describe('the feed clock', () => {
  it('moves a machine instant onto the feed clock: simulated at its speed, the machine clock unchanged', () => {
    const saturday = Date.parse('2026-12-12T11:00:00+09:00');
    // 90 s of machine time ago at 10× is 15 simulated minutes ago.
    assert.equal(feedTimeAt({ now: () => saturday, speed: 10 }, 1_000_000 - 90_000, 1_000_000), saturday - 900_000);
    assert.equal(feedTimeAt({ now: () => 1_000_000, speed: 1 }, 940_000, 1_000_000), 940_000);
  });

  it('makes a new trading day of a new source, clock, speed, exchange or recording; nothing else', () => {
    const id = (raw: Record<string, unknown>): string => dayIdentityOf(parseSettings(raw).settings);
    const base = { dataSource: 'simulator', exchange: 'unified', 'simulator.clock': '2026-12-08T08:55:00+09:00' };
    assert.notEqual(id(base), id({ ...base, 'simulator.clock': '2026-12-12T11:00:00+09:00' }));
    assert.notEqual(id(base), id({ ...base, 'simulator.speed': 10 }));
    assert.notEqual(id(base), id({ ...base, exchange: 'krx' }));
    assert.notEqual(id(base), id({ ...base, dataSource: 'real' }));
    assert.equal(id(base), id({ ...base, staleAfterSeconds: 30 }));
    assert.equal(
      id({ dataSource: 'real' }),
      id({ dataSource: 'real', 'simulator.clock': '2026-12-12T11:00:00+09:00' }),
      'KIS runs on the machine clock',
    );
  });
});
