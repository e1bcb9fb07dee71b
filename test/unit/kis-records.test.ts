import * as assert from 'node:assert/strict';
import {
  buildDataFrame,
  decryptFrame,
  FieldCursor,
  KisProtocolError,
  num,
  parseFrame,
  readNotice,
  readNotices,
  readOrderBook,
  readOrderBooks,
  readTrade,
  readTrades,
  splitRecords,
  type DataFrame,
} from '../../src/kis';
import { ACK_IV, ACK_KEY, BOOK_RECORD, NOTICE_RECORD_23, NOTICE_RECORD_26, TRADE_RECORD, withWidth } from './kis-fixtures';

/** Four records of `record` made distinct: field `index` of record i is `value(i)`. */
function variedFrame(trId: string, record: string, index: number, value: (i: number) => string): DataFrame {
  const records = [0, 1, 2, 3].map((i) => {
    const fields = record.split('^');
    fields[index] = value(i);
    return fields;
  });
  return parseFrame(buildDataFrame(trId, records));
}

describe('kis records (whole-frame readers)', () => {
  describe('FieldCursor', () => {
    it('reads fields in order, strings and numbers, then reports done', () => {
      const c = new FieldCursor('005930^71900^-0.14^^Y^+0.11');
      assert.equal(c.str(), '005930');
      assert.equal(c.num(), 71900);
      assert.equal(c.num(), -0.14);
      assert.equal(c.num(), 0);
      assert.equal(c.is('Y'), true);
      assert.equal(c.done, false);
      assert.equal(c.num(), 0.11);
      assert.equal(c.done, true);
      assert.equal(c.str(), '');
      assert.equal(c.num(), 0);
      assert.equal(c.is('Y'), false);
    });

    it('parses every number the way num() does', () => {
      const samples = ['0', '-0', '71900', '-100', '-0.14', '72023.83', '84.90', '219853241700', '0000000001', '+0.11', '-100.00', '', '-', '+', '.', '1.2.3', 'abc', '1e3', ' 5', '12345678901234567', '0.1234567890123456789', '3.', '.5'];
      const c = new FieldCursor(samples.join('^'));
      for (const s of samples) assert.ok(Object.is(c.num(), num(s)), `field ${JSON.stringify(s)}`);
    });

    it('skips fields and stops at the end', () => {
      const c = new FieldCursor('a^b^c^d');
      c.skip(2);
      assert.equal(c.str(), 'c');
      c.skip(10);
      assert.equal(c.done, true);
      assert.equal(c.is('a'), false);
    });

    it('matches only a one-character field in is()', () => {
      const c = new FieldCursor('YY^N^Y');
      assert.equal(c.is('Y'), false);
      assert.equal(c.is('Y'), false);
      assert.equal(c.is('Y'), true);
    });
  });

  describe('readTrades', () => {
    for (const width of [46, 47, 50]) {
      it(`equals readTrade at i * width for four ${width}-field records`, () => {
        const frame = variedFrame('H0STCNT0', withWidth(TRADE_RECORD, width, '2'), 2, (i) => String(71900 + i * 100));
        const fields = splitRecords(frame);
        const trades = readTrades(frame);
        assert.equal(trades.length, 4);
        trades.forEach((t, i) => assert.deepEqual(t, readTrade(fields, i * width, width)));
        assert.deepEqual(
          trades.map((t) => t.price),
          [71900, 72000, 72100, 72200],
        );
        assert.equal(trades[3].marketClsCode, width > 46 ? '2' : '');
      });
    }

    it('reads the portal example values', () => {
      const [trade] = readTrades(parseFrame(`0|H0STCNT0|001|${TRADE_RECORD}`));
      assert.equal(trade.vwap, 72023.83);
      assert.equal(trade.cumVolume, 3052507);
      assert.equal(trade.sign, '5');
      assert.equal(trade.halted, false);
      assert.equal(trade.viPrice, 72100);
    });

    it('refuses an encrypted frame', () => {
      assert.throws(() => readTrades({ encrypted: true, trId: 'H0STCNT0', count: 1, width: 0, payload: 'AAAA' }), KisProtocolError);
    });
  });

  describe('readOrderBooks', () => {
    for (const width of [59, 62, 63, 65]) {
      for (const levels of [10, 5, 1, 0]) {
        it(`equals readOrderBook for ${width}-field records with ${levels} levels`, () => {
          const wide = `${BOOK_RECORD}^71850^1200^1^3^extra^extra`.split('^').slice(0, width).join('^');
          const frame = variedFrame('H0STASP0', wide, 3, (i) => String(71900 + i * 100));
          const fields = splitRecords(frame);
          const books = readOrderBooks(frame, levels);
          assert.equal(books.length, 4);
          books.forEach((b, i) => assert.deepEqual(b, readOrderBook(fields, i * width, levels, width)));
          if (levels > 0) assert.equal(books[2].asks[0].price, 72100);
        });
      }
    }

    it('clamps the level count and defaults to 10', () => {
      const frame = parseFrame(`0|H0STASP0|001|${BOOK_RECORD}`);
      assert.equal(readOrderBooks(frame)[0].bids.length, 10);
      assert.equal(readOrderBooks(frame, 40)[0].bids.length, 10);
      assert.equal(readOrderBooks(frame, -1)[0].bids.length, 0);
      assert.deepEqual(readOrderBooks(frame)[0].bids[9], { price: 70900, size: 158171 });
    });
  });

  describe('readNotices', () => {
    it('reads every record of a decrypted 26-field frame', () => {
      const frame = decryptFrame(parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26, NOTICE_RECORD_26], { key: ACK_KEY, iv: ACK_IV })), ACK_KEY, ACK_IV);
      const notices = readNotices(frame);
      assert.equal(notices.length, 2);
      assert.deepEqual(notices[1], readNotice(NOTICE_RECORD_26.split('^'), 0, 26));
    });

    it('reads the legacy 23-field layout', () => {
      const [notice] = readNotices(parseFrame(`0|H0STCNI9|001|${NOTICE_RECORD_23}`));
      assert.equal(notice.layoutWidth, 23);
      assert.equal(notice.price, 3190);
    });

    it('refuses a frame that is still encrypted', () => {
      const frame = parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], { key: ACK_KEY, iv: ACK_IV }));
      assert.throws(() => readNotices(frame), { name: 'KisProtocolError', code: 'BAD_ENVELOPE' });
    });
  });
});
