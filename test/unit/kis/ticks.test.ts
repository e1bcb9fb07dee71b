import * as assert from 'node:assert/strict';
import {
  buildDataFrame,
  FieldCursor,
  KisProtocolError,
  num,
  parseFrame,
  splitRecords,
  type DataFrame,
} from '../../../src/kis';
import {
  BOOK_TICK_FIELDS,
  BookTickReader,
  bookTickAt,
  newBookTick,
  newTradeTick,
  TRADE_TICK_FIELDS,
  TradeTickReader,
  tradeTickAt,
  type BookTick,
  type TradeTick,
} from '../../../src/kis/ticks';
import { BOOK_RECORD, TRADE_RECORD, withWidth } from './fixtures';

/** Numbers that take every branch of the cursor's parser (and of `num`). */
const TRICKY = [
  '0',
  '-0',
  '71900',
  '-0.14',
  '72023.83',
  '',
  '-',
  '+',
  '.',
  '+5',
  '1.2.3',
  'abc',
  '1e3',
  ' 12 ',
  '0x1F',
  '12345678901234567',
  '0.0000000000000001',
  '3.',
  '-.5',
];

/** `n` records of `record`, record i with `fields[index]` replaced by `value(i)` for each override. */
function recordsOf(record: string, n: number, overrides: Record<number, (i: number) => string>): string[][] {
  return Array.from({ length: n }, (_, i) => {
    const fields = record.split('^');
    for (const [index, value] of Object.entries(overrides)) fields[Number(index)] = value(i);
    return fields;
  });
}

function frameOf(trId: string, records: string[][]): DataFrame {
  return parseFrame(buildDataFrame(trId, records));
}

/** A copy of a tick's values (the reader's objects are reused). */
function copyTrade(t: TradeTick): TradeTick {
  return { ...t };
}
function copyBook(t: BookTick): BookTick {
  return {
    ...t,
    askPrices: [...t.askPrices],
    bidPrices: [...t.bidPrices],
    askSizes: [...t.askSizes],
    bidSizes: [...t.bidSizes],
  };
}

describe("kis ticks (the worker's one-pass record readers)", () => {
  describe('FieldCursor additions', () => {
    it('counts the fields it consumes, and reset starts over on another payload', () => {
      const c = new FieldCursor('a^1^b');
      assert.equal(c.fieldsRead, 0);
      c.str();
      c.num();
      c.skip(5);
      assert.equal(c.fieldsRead, 3, 'a skip past the end counts only the fields that exist');
      assert.equal(c.done, true);
      c.num();
      c.str();
      assert.equal(c.fieldsRead, 3);
      c.reset('x^y');
      assert.equal(c.fieldsRead, 0);
      assert.equal(c.done, false);
      assert.equal(c.str(), 'x');
    });

    it('skips runs of fields in one step and falls back field by field at the end', () => {
      const c = new FieldCursor('0^1^2^3^4^5^6^7^8^9');
      c.skip(3);
      assert.equal(c.num(), 3);
      c.skip(4);
      assert.equal(c.str(), '8');
      c.skip(2); // only '9' is left: the run has no trailing '^'
      assert.equal(c.done, true);
      assert.equal(c.fieldsRead, 10);
      const wide = new FieldCursor(Array.from({ length: 100 }, (_, i) => String(i)).join('^'));
      wide.skip(70); // longer than the cached patterns
      assert.equal(wide.num(), 70);
      wide.skip(0);
      assert.equal(wide.num(), 71);
    });

    it('strSame returns the previous string when the field equals it, the field otherwise', () => {
      const c = new FieldCursor('005930^005930^000660^^x');
      assert.equal(c.strSame('005930'), '005930');
      assert.equal(c.strSame('005930'), '005930');
      assert.equal(c.strSame('005930'), '000660');
      assert.equal(c.strSame('0'), '');
      assert.equal(c.strSame('xy'), 'x');
      assert.equal(c.strSame('x'), '', 'past the end');
      assert.equal(c.fieldsRead, 5);
    });

    it('code gives the char code of a one-character field and -1 otherwise', () => {
      const c = new FieldCursor('5^^22^Y');
      assert.deepEqual([c.code(), c.code(), c.code(), c.code(), c.code()], [53, -1, -1, 89, -1]);
    });

    it('parses numbers exactly as num() does, wherever the field sits in the payload', () => {
      for (const s of TRICKY) {
        for (const text of [s, `${s}^x`, `x^${s}`, `x^${s}^x`]) {
          const c = new FieldCursor(text);
          if (text.startsWith('x^')) c.skip(1);
          assert.ok(Object.is(c.num(), num(s)), `field ${JSON.stringify(s)} in ${JSON.stringify(text)}`);
          assert.equal(c.done, !text.endsWith('^x'), `field ${JSON.stringify(s)} consumed exactly`);
        }
      }
    });
  });

  describe('TradeTickReader', () => {
    for (const width of [46, 47, 52]) {
      it(`gives the same ticks as tradeTickAt on the split payload (${width}-field records)`, () => {
        const records = recordsOf(withWidth(TRADE_RECORD, width, '7'), TRICKY.length, {
          0: (i) => (i % 3 === 2 ? '000660' : '005930'),
          1: (i) => (i % 2 === 0 ? '093354' : '093355'),
          2: (i) => TRICKY[i],
          3: (i) => ['5', '2', '0', '', '22', '3', '1', '4'][i % 8],
          12: (i) => TRICKY[(i + 5) % TRICKY.length],
          14: (i) => TRICKY[(i + 9) % TRICKY.length],
          33: (i) => (i % 4 === 0 ? '' : '20230612'),
          35: (i) => ['Y', 'N', '', 'YY'][i % 4],
        });
        const frame = frameOf('H0STCNT0', records);
        const fields = splitRecords(frame);
        const reader = new TradeTickReader();
        assert.equal(reader.read(frame), records.length);
        for (let r = 0; r < records.length; r++) {
          const expected = tradeTickAt(fields, r * width, newTradeTick());
          assert.deepEqual(copyTrade(reader.tick(r)), expected, `record ${r}`);
        }
      });
    }

    it('reads the portal record with its values', () => {
      const reader = new TradeTickReader();
      assert.equal(reader.read(frameOf('H0STCNT0', [TRADE_RECORD.split('^')])), 1);
      assert.deepEqual(copyTrade(reader.tick(0)), {
        symbol: '005930',
        time: '093354',
        date: '20230612',
        sign: '5',
        price: 71900,
        change: -100,
        rate: -0.14,
        vwap: 72023.83,
        open: 72100,
        high: 72400,
        low: 71700,
        ask1: 71900,
        bid1: 71800,
        quantity: 1,
        cumVolume: 3052507,
        cumValue: 219853241700,
        halted: false,
        strength: 84.9,
        volumeRatio: 20.28,
      });
    });

    it('reuses its ticks from frame to frame and reads a smaller frame after a larger one', () => {
      const reader = new TradeTickReader();
      const three = recordsOf(TRADE_RECORD, 3, { 2: (i) => String(100 + i) });
      assert.equal(reader.read(frameOf('H0STCNT0', three)), 3);
      const first = reader.tick(0);
      assert.equal(reader.read(frameOf('H0STCNT0', recordsOf(TRADE_RECORD, 1, { 0: () => 'B', 2: () => '7' }))), 1);
      assert.equal(reader.tick(0), first, 'same object, new values');
      assert.deepEqual([first.symbol, first.price], ['B', 7]);
    });

    it('refuses (-1) a payload without exactly count × width fields, records too narrow, or no records', () => {
      const reader = new TradeTickReader();
      const one = TRADE_RECORD;
      const frames: DataFrame[] = [
        { encrypted: false, trId: 'H0STCNT0', count: 2, width: 46, payload: one },
        { encrypted: false, trId: 'H0STCNT0', count: 1, width: 46, payload: `${one}^extra` },
        { encrypted: false, trId: 'H0STCNT0', count: 1, width: 47, payload: one },
        { encrypted: false, trId: 'H0STCNT0', count: 2, width: 46, payload: `${one}^${withWidth(one, 45)}` },
        {
          encrypted: false,
          trId: 'H0STCNT0',
          count: 1,
          width: TRADE_TICK_FIELDS - 1,
          payload: withWidth(one, TRADE_TICK_FIELDS - 1),
        },
        { encrypted: false, trId: 'H0STCNT0', count: 0, width: 46, payload: one },
      ];
      for (const [i, f] of frames.entries()) assert.equal(reader.read(f), -1, `frame ${i}`);
      assert.equal(
        reader.read({
          encrypted: false,
          trId: 'H0STCNT0',
          count: 1,
          width: TRADE_TICK_FIELDS,
          payload: withWidth(one, TRADE_TICK_FIELDS),
        }),
        1,
      );
    });

    it('throws BAD_ENVELOPE for an encrypted frame', () => {
      assert.throws(
        () => new TradeTickReader().read({ encrypted: true, trId: 'H0STCNT0', count: 1, width: 0, payload: 'AAAA' }),
        (e: unknown) => e instanceof KisProtocolError && e.code === 'BAD_ENVELOPE' && /still encrypted/.test(e.message),
      );
    });
  });

  describe('BookTickReader', () => {
    for (const [width, depth] of [
      [59, 10],
      [62, 5],
      [63, 1],
      [59, 0],
    ] as const) {
      it(`gives the same ticks as bookTickAt (${width} fields, depth ${depth})`, () => {
        const records = recordsOf(withWidth(BOOK_RECORD, width, '1'), 6, {
          0: (i) => (i % 2 === 0 ? '005930' : '000660'),
          1: (i) => `09373${i}`,
          3: (i) => TRICKY[i],
          23: (i) => TRICKY[i + 6],
          44: (i) => TRICKY[i + 12],
        });
        const frame = frameOf('H0STASP0', records);
        const fields = splitRecords(frame);
        const reader = new BookTickReader(depth);
        assert.equal(reader.depth, depth);
        assert.equal(reader.read(frame), records.length);
        for (let r = 0; r < records.length; r++) {
          assert.deepEqual(copyBook(reader.tick(r)), bookTickAt(fields, r * width, newBookTick(depth)), `record ${r}`);
        }
      });
    }

    it('reads the portal record and clamps the depth to 0..10', () => {
      const reader = new BookTickReader(99);
      assert.equal(reader.depth, 10);
      assert.equal(new BookTickReader(-1).depth, 0);
      assert.equal(new BookTickReader().depth, 10);
      assert.equal(reader.read(frameOf('H0STASP0', [BOOK_RECORD.split('^')])), 1);
      const t = reader.tick(0);
      assert.deepEqual(
        [
          t.symbol,
          t.time,
          t.askPrices[0],
          t.bidPrices[0],
          t.askSizes[9],
          t.bidSizes[0],
          t.totalAskSize,
          t.totalBidSize,
        ],
        ['005930', '093730', 71900, 71800, 104229, 95221, 1159362, 2095167],
      );
    });

    it('refuses (-1) a mismatched payload or records narrower than BOOK_TICK_FIELDS; throws when encrypted', () => {
      const reader = new BookTickReader();
      assert.equal(reader.read({ encrypted: false, trId: 'H0STASP0', count: 2, width: 59, payload: BOOK_RECORD }), -1);
      assert.equal(
        reader.read({
          encrypted: false,
          trId: 'H0STASP0',
          count: 1,
          width: BOOK_TICK_FIELDS - 1,
          payload: withWidth(BOOK_RECORD, BOOK_TICK_FIELDS - 1),
        }),
        -1,
      );
      assert.throws(
        () => reader.read({ encrypted: true, trId: 'H0STASP0', count: 1, width: 0, payload: 'AAAA' }),
        KisProtocolError,
      );
    });
  });

  it('tradeTickAt and bookTickAt read fields past the end of the array as empty', () => {
    const t = tradeTickAt(['A'], 0, newTradeTick());
    assert.deepEqual([t.symbol, t.time, t.date, t.sign, t.price, t.halted], ['A', '', '', '', 0, false]);
    const b = bookTickAt([], 0, newBookTick(2));
    assert.deepEqual([b.symbol, b.time, b.askPrices, b.totalBidSize], ['', '', [0, 0], 0]);
  });
});
