import { strict as assert } from 'node:assert';
import { AlertEngine } from '../../../src/worker/alerts';
import { dateToEpochSeconds, foldTrade, kstDate, minuteStart } from '../../../src/worker/bars';
import { splitRecords } from '../../../src/kis/frame';
import { BookTickReader, TradeTickReader } from '../../../src/kis/ticks';
import type { DataFrame } from '../../../src/kis/types';
import { MarketState } from '../../../src/worker/marketState';
import { book, frame, trade, tradeOf } from './helpers';

const NOW = Date.UTC(2023, 5, 12, 0, 33, 54);

function apply(state: MarketState, fields: string[]): boolean {
  return state.applyTrade(fields, 0, NOW);
}

describe('worker market state', () => {
  let state: MarketState;
  beforeEach(() => {
    state = new MarketState(new AlertEngine());
  });

  describe('quote state from H0STCNT0', () => {
    it('takes price, change, sign, VWAP, OHLC and cumulative figures from the portal example record', () => {
      assert.equal(apply(state, trade()), true);
      const q = state.quote('005930');
      assert.ok(q);
      assert.equal(q.last, 71900);
      assert.equal(q.change, -100);
      assert.equal(q.rate, -0.14);
      assert.equal(q.sign, '5');
      assert.equal(q.vwap, 72023.83);
      assert.deepEqual([q.open, q.high, q.low], [72100, 72400, 71700]);
      assert.equal(q.volume, 3052507);
      assert.equal(q.value, 219853241700);
      assert.deepEqual([q.bestAsk, q.bestBid], [71900, 71800]);
      assert.equal(q.lastTickTime, '093354');
      assert.equal(q.businessDate, '20230612');
      assert.equal(q.lastUpdateAt, NOW);
      assert.equal(q.halted, false);
      assert.equal(q.trades, 1);
    });

    it('computes VWAP as cumulative value / cumulative volume when the record leaves it empty', () => {
      apply(state, trade({ 6: '' }));
      // 219853241700 / 3052507 = 72023.8324... → 2 dp
      assert.equal(state.quote('005930')?.vwap, 72023.83);
    });

    it('accumulates volume, value, VWAP and day OHLC from the trades when the exchange fields are empty', () => {
      const empty = { 6: '', 7: '', 8: '', 9: '', 13: '', 14: '' };
      apply(state, tradeOf('000660', 100, '090000', 10, empty));
      apply(state, tradeOf('000660', 130, '090001', 20, empty));
      apply(state, tradeOf('000660', 90, '090002', 10, empty));
      const q = state.quote('000660');
      assert.ok(q);
      assert.deepEqual([q.open, q.high, q.low, q.last], [100, 130, 90, 90]);
      assert.equal(q.volume, 40);
      assert.equal(q.value, 100 * 10 + 130 * 20 + 90 * 10);
      assert.equal(q.vwap, 112.5);
      assert.equal(q.trades, 3);
    });

    it('derives the sign from the change when the sign code is not 1-5', () => {
      apply(state, trade({ 3: '0', 4: '250' }));
      assert.equal(state.quote('005930')?.sign, '2');
      apply(state, trade({ 3: '', 4: '-5' }));
      assert.equal(state.quote('005930')?.sign, '5');
      apply(state, trade({ 3: 'x', 4: '0' }));
      assert.equal(state.quote('005930')?.sign, '3');
      apply(state, trade({ 3: '1', 4: '300' }));
      assert.equal(state.quote('005930')?.sign, '1');
    });

    it('marks a halted symbol (TRHT_YN = Y)', () => {
      apply(state, trade({ 35: 'Y' }));
      assert.equal(state.quote('005930')?.halted, true);
    });

    it('ignores a record without a symbol', () => {
      assert.equal(apply(state, trade({ 0: '' })), false);
      assert.equal(state.hasChanges(), false);
    });

    it('keeps the last business date when a record has none', () => {
      apply(state, trade());
      apply(state, trade({ 33: '' }));
      assert.equal(state.quote('005930')?.businessDate, '20230612');
    });
  });

  describe('order book from H0STASP0', () => {
    it('keeps the top levels and totals, and the book wins over the trade for best bid/ask', () => {
      apply(state, trade());
      assert.equal(state.applyBook(book({ 3: '72000', 13: '71700' }), 0, NOW), true);
      const top = state.takeChanges().books[0];
      assert.equal(top.symbol, '005930');
      assert.equal(top.time, '093730');
      assert.equal(top.asks.length, 10);
      assert.deepEqual(top.asks[0], { price: 72000, size: 91918 });
      assert.deepEqual(top.bids[0], { price: 71700, size: 95221 });
      assert.deepEqual(top.asks[9], { price: 72800, size: 104229 });
      assert.deepEqual(top.bids[9], { price: 70900, size: 158171 });
      assert.equal(top.totalAskSize, 1159362);
      assert.equal(top.totalBidSize, 2095167);
      const q = state.quote('005930');
      assert.deepEqual([q?.bestAsk, q?.bestBid], [72000, 71700]);
      // A later trade carries ASKP1/BIDP1 71900/71800, but the book is what counts now.
      apply(state, trade());
      assert.deepEqual([q?.bestAsk, q?.bestBid], [72000, 71700]);
    });

    it('keeps 5 levels when asked to', () => {
      const five = new MarketState(new AlertEngine(), 5);
      five.applyBook(book(), 0, NOW);
      const top = five.takeChanges().books[0];
      assert.equal(top.asks.length, 5);
      assert.equal(top.bids.length, 5);
      assert.equal(five.bookDepth, 5);
    });

    it('clamps the depth to 1..10', () => {
      assert.equal(new MarketState(new AlertEngine(), 40).bookDepth, 10);
      assert.equal(new MarketState(new AlertEngine(), 0).bookDepth, 10);
      assert.equal(new MarketState(new AlertEngine(), -3).bookDepth, 1);
    });

    it('ignores a book record without a symbol', () => {
      assert.equal(state.applyBook(book({ 0: '' }), 0, NOW), false);
    });

    it('reads records at an offset inside a multi-record frame', () => {
      const two = [...tradeOf('000660', 500), ...tradeOf('035720', 600)];
      state.applyTrade(two, 46, NOW);
      assert.equal(state.quote('035720')?.last, 600);
      assert.equal(state.quote('000660'), undefined);
    });
  });

  describe('one-minute bars', () => {
    it('opens a bar at the trade minute (KST wall clock as UTC) and folds trades into it', () => {
      apply(state, tradeOf('005930', 100, '093301', 5));
      apply(state, tradeOf('005930', 110, '093320', 1));
      apply(state, tradeOf('005930', 95, '093359', 2));
      const { bars } = state.takeChanges();
      assert.deepEqual(bars, [
        {
          symbol: '005930',
          time: Date.UTC(2023, 5, 12, 9, 33) / 1000,
          open: 100,
          high: 110,
          low: 95,
          close: 95,
          volume: 8,
        },
      ]);
    });

    it('rolls over at the minute and reports both the finished and the new bar', () => {
      apply(state, tradeOf('005930', 100, '093359', 1));
      apply(state, tradeOf('005930', 101, '093400', 2));
      const { bars } = state.takeChanges();
      assert.equal(bars.length, 2);
      assert.equal(bars[1].time - bars[0].time, 60);
      assert.deepEqual([bars[0].close, bars[0].volume], [100, 1]);
      assert.deepEqual([bars[1].open, bars[1].volume], [101, 2]);
      // The next change set has only the bar touched since.
      apply(state, tradeOf('005930', 102, '093405', 1));
      const next = state.takeChanges().bars;
      assert.equal(next.length, 1);
      assert.equal(next[0].time, bars[1].time);
      assert.equal(next[0].volume, 3);
    });

    it('folds a late (earlier-stamped) trade into the current bar instead of reopening an old one', () => {
      const bar = foldTrade(undefined, 'X', 120, 10, 1);
      const same = foldTrade(bar, 'X', 60, 12, 3);
      assert.equal(same, bar);
      assert.deepEqual([bar.time, bar.high, bar.close, bar.volume], [120, 12, 12, 4]);
    });

    it('uses the KST date of receipt when the record has no business date, and skips a bad time', () => {
      apply(state, trade({ 33: '', 1: '101500' }));
      const [bar] = state.takeChanges().bars;
      assert.equal(bar.time, dateToEpochSeconds(kstDate(NOW)) + 10 * 3600 + 15 * 60);
      apply(state, trade({ 1: '99' }));
      assert.deepEqual(state.takeChanges().bars, []);
      assert.equal(state.quote('005930')?.trades, 2);
    });

    it('rejects malformed dates and times', () => {
      assert.ok(Number.isNaN(minuteStart('20231312', '093000')));
      assert.ok(Number.isNaN(minuteStart('2023061', '093000')));
      assert.ok(Number.isNaN(minuteStart('20230612', '9a3000')));
      assert.ok(Number.isNaN(minuteStart('20230612', '256000')));
      assert.equal(minuteStart('20230612', '000000'), Date.UTC(2023, 5, 12) / 1000);
      assert.equal(kstDate(Date.UTC(2026, 10, 24, 15, 30)), '20261125');
    });
  });

  describe('change tracking and restore', () => {
    it('reports each changed symbol once per change set, with its latest state', () => {
      apply(state, tradeOf('005930', 100));
      apply(state, tradeOf('005930', 101));
      apply(state, tradeOf('000660', 200));
      const changes = state.takeChanges();
      assert.deepEqual(
        changes.quotes.map((q) => [q.symbol, q.last]),
        [
          ['005930', 101],
          ['000660', 200],
        ],
      );
      assert.equal(state.hasChanges(), false);
      assert.deepEqual(state.takeChanges(), { quotes: [], bars: [], books: [], alerts: [] });
    });

    it('continues from a restored state without reporting it as changed', () => {
      apply(state, tradeOf('005930', 100, '093300', 5));
      state.applyBook(book(), 0, NOW);
      const seed = state.fullState();
      const copy = new MarketState(new AlertEngine(), 5);
      copy.restore(structuredClone(seed));
      assert.equal(copy.hasChanges(), false);
      apply(copy, tradeOf('005930', 120, '093310', 1));
      const q = copy.quote('005930');
      assert.equal(q?.trades, 2);
      // best bid/ask still from the restored book
      assert.deepEqual([q?.bestAsk, q?.bestBid], [71900, 71800]);
      const { bars } = copy.takeChanges();
      assert.deepEqual([bars[0].open, bars[0].high, bars[0].volume], [100, 120, 6]);
      assert.equal(copy.fullState().books[0].asks.length, 5);
    });
  });

  describe('one-pass tick path (TradeTickReader / BookTickReader)', () => {
    /** Feeds the same frames to one state through the split path and to another through the tick readers. */
    function both(frames: DataFrame[], depth = 10): [MarketState, MarketState] {
      const split = new MarketState(new AlertEngine(), depth);
      const ticks = new MarketState(new AlertEngine(), depth);
      const trades = new TradeTickReader();
      const books = new BookTickReader(ticks.bookDepth);
      for (const [i, f] of frames.entries()) {
        const fields = splitRecords(f);
        const isTrade = f.trId === 'H0STCNT0';
        const reader = isTrade ? trades : books;
        const n = reader.read(f);
        assert.equal(n, f.count, `frame ${i} readable`);
        for (let r = 0; r < n; r++) {
          const now = NOW + i * 1000;
          if (isTrade)
            assert.equal(ticks.applyTradeTick(trades.tick(r), now), split.applyTrade(fields, r * f.width, now));
          else assert.equal(ticks.applyBookTick(books.tick(r), now), split.applyBook(fields, r * f.width, now));
        }
      }
      return [split, ticks];
    }

    it('leaves exactly the state the split path leaves, through odd and partial records', () => {
      const frames = [
        frame('H0STCNT0', [
          trade(),
          tradeOf('A', 100, '090000', 3, { 3: '', 4: '-5', 7: '', 8: '', 9: '', 13: '', 14: '', 33: '' }),
        ]),
        frame('H0STCNT0', [
          tradeOf('A', 101, '090030', 2, { 3: '9', 4: '+7', 6: '', 35: 'Y' }),
          tradeOf('', 1),
          tradeOf('A', 99, '090100', 1, { 2: 'junk', 3: '0', 4: '0', 10: '1e2', 11: ' 98 ' }),
        ]),
        frame('H0STASP0', [book({ 0: 'A', 1: '090101', 3: '102', 13: '98', 23: '', 44: '-' }), book({ 0: '' })]),
        frame('H0STCNT0', [tradeOf('A', 103, '090130', 4), tradeOf('005930', 71950, '093400', 10, { 33: '20230613' })]),
      ];
      for (const depth of [10, 3]) {
        const [split, ticks] = both(frames, depth);
        assert.deepEqual(ticks.fullState(), split.fullState(), `depth ${depth}`);
        assert.deepEqual(ticks.takeChanges(), split.takeChanges(), `depth ${depth}`);
      }
    });
  });
});
