import { strict as assert } from 'node:assert';
import { FillBook } from '../../../src/feed/model/fillBook';
import type { FillNotice } from '../../../src/kis/layouts/notice';
import type { DailyOrder } from '../../../src/kis/rest/dailyCcld';

function fill(orderNo: string, quantity: number, time: string, extra: Partial<FillNotice> = {}): FillNotice {
  return {
    market: 'krx',
    side: 'buy',
    symbol: '005930',
    name: '삼성전자',
    quantity,
    price: 71900,
    orderQuantity: 10,
    orderNo,
    originalOrderNo: '',
    time,
    status: 'filled',
    ...extra,
  };
}

function order(orderNo: string, filledQuantity: number, extra: Partial<DailyOrder> = {}): DailyOrder {
  return {
    orderNo,
    originalOrderNo: '',
    side: 'buy',
    symbol: '005930',
    name: '삼성전자',
    orderQuantity: 10,
    orderPrice: 72000,
    time: '090000',
    filledQuantity,
    averagePrice: 71850,
    cancelled: false,
    refusedQuantity: 0,
    ...extra,
  };
}

describe('FillBook: today’s fills from notices and REST', () => {
  it('numbers each fill of an order and counts how much of it has filled (partial fills)', () => {
    const book = new FillBook();
    const { added } = book.addNotices([fill('12345', 3, '100001'), fill('12345', 7, '100002')]);
    assert.deepEqual(
      added.map((r) => [r.key, r.filledSoFar, r.orderQuantity]),
      [
        ['12345#1', 3, 10],
        ['12345#2', 10, 10],
      ],
    );
  });

  it('drops a notice delivered twice', () => {
    const book = new FillBook();
    book.addNotices([fill('1', 3, '100001')]);
    const again = book.addNotices([fill('1', 3, '100001')]);
    assert.deepEqual([again.added.length, again.repeats, book.rows().length], [0, 1, 1]);
  });

  it('lists newest first, by time then arrival', () => {
    const book = new FillBook();
    book.addNotices([fill('1', 1, '100000'), fill('2', 1, '110000'), fill('3', 1, '110000')]);
    assert.deepEqual(
      book.rows().map((r) => r.orderNo),
      ['3', '2', '1'],
    );
  });

  it('after a restart: REST adds only what the notices have not shown, and no duplicate on a second answer', () => {
    const book = new FillBook();
    book.addNotices([fill('7', 3, '100500')]);
    // Order 7: 10 filled by REST, 3 of them already seen as a notice → one row of 7 more. Order 8: nothing noticed.
    book.addOrders([order('7', 10), order('8', 4)]);
    const rows = () => book.rows().map((r) => [r.key, r.quantity, r.origin]);
    assert.deepEqual(rows().sort(), [
      ['7#1', 3, 'notice'],
      ['7#rest', 7, 'rest'],
      ['8#rest', 4, 'rest'],
    ]);
    assert.equal(book.addOrders([order('7', 10), order('8', 4)]), 0, 'the same answer again changes nothing');
    assert.equal(book.rows().length, 3);
  });

  it('a notice after the REST answer is a new fill; its progress counts the REST part', () => {
    const book = new FillBook();
    book.addOrders([order('9', 4)]);
    const { added } = book.addNotices([fill('9', 6, '140000')]);
    assert.deepEqual([added[0].key, added[0].filledSoFar], ['9#1', 10]);
    book.addOrders([order('9', 10)]);
    assert.deepEqual(
      book
        .rows()
        .map((r) => [r.key, r.quantity])
        .sort(),
      [
        ['9#1', 6],
        ['9#rest', 4],
      ],
    );
  });

  it('unfilled REST orders show their state once: refused, cancelled, accepted; a notice of it is not repeated', () => {
    const book = new FillBook();
    book.addNotices([fill('3', 10, '090100', { status: 'accepted' })]);
    book.addOrders([order('1', 0, { refusedQuantity: 10 }), order('2', 0, { cancelled: true }), order('3', 0)]);
    assert.deepEqual(
      book
        .rows()
        .map((r) => [r.key, r.status, r.origin])
        .sort(),
      [
        ['1:refused', 'refused', 'rest'],
        ['2:cancelled', 'cancelled', 'rest'],
        ['3:accepted', 'accepted', 'notice'],
      ],
    );
  });

  it('clear() starts a new day', () => {
    const book = new FillBook();
    book.addNotices([fill('1', 1, '100000')]);
    book.clear();
    assert.equal(book.rows().length, 0);
    assert.equal(book.addNotices([fill('1', 1, '100000')]).added.length, 1, 'a new day sees it afresh');
  });
});
