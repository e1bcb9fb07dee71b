/**
 * Bugs the fuzzer (fuzz/fuzz.test.ts) found, each pinned by the smallest input that shows it, so they stay
 * fixed even if the mutator's seeds or operators change.
 */
import { strict as assert } from 'node:assert';
import { buildDataFrame, parseFrame, readOrderBook, splitRecords } from '../../../src/kis';
import { BookTickReader, bookTickAt, newBookTick } from '../../../src/kis/ticks';
import { BOOK_RECORD, withWidth } from '../../unit/kis/fixtures';

describe('fuzz regressions', () => {
  // parser seed 3508350260 (a duplicated span made 3 book records 60 fields wide): the whole-frame book
  // reader (since replaced by BookTickReader) counted 62 fields per record once MID_PRC was present, so
  // record 2 started two fields late.
  for (const width of [60, 61]) {
    it(`BookTickReader reads ${width}-field H0STASP0 records like bookTickAt, record by record`, () => {
      const first = withWidth(BOOK_RECORD, width, '7');
      const second = withWidth(BOOK_RECORD.replace('005930', '000660'), width, '8');
      const frame = parseFrame(buildDataFrame('H0STASP0', [first, second]));
      assert.equal(frame.width, width);
      const fields = splitRecords(frame);
      const reader = new BookTickReader(10);
      assert.equal(reader.read(frame), 2);
      for (const r of [0, 1]) {
        const tick = reader.tick(r);
        const split = bookTickAt(fields, r * width, newBookTick(10));
        assert.deepEqual(
          [tick.symbol, tick.time, [...tick.askPrices], [...tick.bidSizes], tick.totalAskSize],
          [split.symbol, split.time, [...split.askPrices], [...split.bidSizes], split.totalAskSize],
        );
      }
      assert.equal(reader.tick(1).symbol, '000660');
      assert.equal(readOrderBook(fields, 0, 10, width).midPrice, 7);
      assert.equal(readOrderBook(fields, width, 10, width).symbol, '000660');
    });
  }
});
