/**
 * Bugs the fuzzer (fuzz.test.ts) found, each pinned by the smallest input that shows it, so they stay
 * fixed even if the mutator's seeds or operators change.
 */
import { strict as assert } from 'node:assert';
import { buildDataFrame, parseFrame, readOrderBook, readOrderBooks, splitRecords } from '../../src/kis';
import { BOOK_RECORD, withWidth } from '../unit/kis-fixtures';

describe('fuzz regressions', () => {
  // parser seed 3508350260 (a duplicated span made 3 book records 60 fields wide): readOrderBooks counted
  // 62 fields per record once MID_PRC was present, so record 2 started two fields late.
  for (const width of [60, 61]) {
    it(`readOrderBooks reads ${width}-field H0STASP0 records like readOrderBook, record by record`, () => {
      const first = withWidth(BOOK_RECORD, width, '7');
      const second = withWidth(BOOK_RECORD.replace('005930', '000660'), width, '8');
      const frame = parseFrame(buildDataFrame('H0STASP0', [first, second]));
      assert.equal(frame.width, width);
      const fields = splitRecords(frame);
      const books = readOrderBooks(frame);
      assert.deepEqual(books, [readOrderBook(fields, 0, 10, width), readOrderBook(fields, width, 10, width)]);
      assert.equal(books[1].symbol, '000660');
      assert.equal(books[0].midPrice, 7);
    });
  }
});
