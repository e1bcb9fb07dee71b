import * as assert from 'node:assert/strict';
import {
  classify,
  H0STASP0,
  parseFrame,
  readOrderBook,
  readTrade,
  splitRecords,
  type TradeRecord,
} from '../../../src/kis';
import { CATALOGUE, findSymbol, searchCatalogue } from '../../../src/market/catalogue';
import {
  MALFORMED_KINDS,
  basePriceOf,
  hashedBasePrice,
  isOnTick,
  priceLimits,
  SymbolModel,
  tickSize,
} from '../../../src/simulator';
import { malformedMessage, FaultState } from '../../../src/simulator/faults';
import {
  ceilToTick,
  floorToTick,
  relativeSign,
  signOf,
  tickDown,
  tickUp,
} from '../../../src/simulator/market/krxRules';
import { resolveOptions } from '../../../src/simulator/options';
import { AsciiWriter } from '../../../src/simulator/ws/ascii';
import { hashString, mulberry32 } from '../../../src/simulator/market/prng';
import { SendLog } from '../../../src/simulator/ws/sendLog';
import { isKrxSessionOpen } from '../../../src/simulator/server';

const TIME = '093000';
const DATE = '20261125';

function model(code = '005930', overrides: Partial<ConstructorParameters<typeof SymbolModel>[1]> = {}): SymbolModel {
  return new SymbolModel(code, {
    prevClose: basePriceOf(code),
    seed: 7,
    volatilityTicks: 1,
    tradeWidth: 46,
    bookWidth: 59,
    ...overrides,
  });
}

function trade(record: string, width = 46): TradeRecord {
  const frame = parseFrame(`0|H0STCNT0|001|${record}`);
  assert.equal(frame.width, width);
  return readTrade(splitRecords(frame), 0, frame.width);
}

describe('simulator KRX rules', () => {
  it('uses the 2023 tick table at every band edge', () => {
    const cases: [number, number][] = [
      [1999, 1],
      [2000, 5],
      [4995, 5],
      [5000, 10],
      [19990, 10],
      [20000, 50],
      [49950, 50],
      [50000, 100],
      [199900, 100],
      [200000, 500],
      [499500, 500],
      [500000, 1000],
    ];
    for (const [price, tick] of cases) assert.equal(tickSize(price), tick, String(price));
  });

  it('steps across band edges onto valid ticks', () => {
    assert.equal(tickDown(50000), 49950);
    assert.equal(tickUp(49950), 50000);
    assert.equal(tickUp(50000), 50100);
    assert.equal(tickDown(2000), 1999);
    assert.equal(tickDown(1), 1);
    assert.equal(floorToTick(49999), 49950);
    assert.equal(ceilToTick(49990), 50000);
    assert.ok(isOnTick(71900));
    assert.ok(!isOnTick(71950));
    assert.ok(!isOnTick(0));
  });

  it('puts the ±30 % limits on ticks inside the band', () => {
    assert.deepEqual(priceLimits(71900), { upper: 93400, lower: 50400 });
    assert.deepEqual(priceLimits(10000), { upper: 13000, lower: 7000 });
    for (const entry of CATALOGUE) {
      const { upper, lower } = priceLimits(entry.basePrice);
      assert.ok(isOnTick(upper) && isOnTick(lower), entry.code);
      assert.ok(upper <= entry.basePrice * 1.3 && lower >= entry.basePrice * 0.7, entry.code);
    }
  });

  it('maps prices to sign codes 1-5', () => {
    assert.equal(signOf(93400, 71900, 93400, 50400), '1');
    assert.equal(signOf(72000, 71900, 93400, 50400), '2');
    assert.equal(signOf(71900, 71900, 93400, 50400), '3');
    assert.equal(signOf(50400, 71900, 93400, 50400), '4');
    assert.equal(signOf(71800, 71900, 93400, 50400), '5');
    assert.deepEqual([relativeSign(2, 1), relativeSign(1, 1), relativeSign(0, 1)], ['2', '3', '5']);
  });

  it('knows KRX regular hours in Asia/Seoul', () => {
    // 2026-11-25 is a Wednesday. 09:00 KST = 00:00 UTC.
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 25, 0, 0)), true);
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 24, 23, 59)), false);
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 25, 6, 29)), true);
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 25, 6, 30)), false);
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 28, 3, 0)), false, 'Saturday');
    assert.equal(isKrxSessionOpen(Date.UTC(2026, 10, 29, 3, 0)), false, 'Sunday');
  });
});

describe('simulator market model', () => {
  it('walks on valid ticks inside the limits with consistent signs, changes and rates', () => {
    const m = model('005930', { volatilityTicks: 400 });
    let sawUpper = false;
    let sawLower = false;
    for (let i = 0; i < 3000; i++) {
      const t = trade(m.nextTrade(TIME, DATE));
      assert.ok(isOnTick(t.price), `price ${t.price} off tick`);
      assert.ok(t.price <= m.upper && t.price >= m.lower, `price ${t.price} outside limits`);
      assert.equal(t.change, t.price - m.prevClose);
      assert.equal(t.rate, Math.round(((t.price - m.prevClose) * 10000) / m.prevClose) / 100);
      assert.equal(t.sign, signOf(t.price, m.prevClose, m.upper, m.lower));
      if (t.price === m.upper) sawUpper = true;
      if (t.price === m.lower) sawLower = true;
    }
    assert.ok(sawUpper && sawLower, 'a wild walk reaches both limits');
  });

  it('keeps cumulative volume, value, VWAP and OHLC consistent with the trades', () => {
    const m = model('000660');
    let volume = 0;
    let value = 0;
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    let open = 0;
    for (let i = 0; i < 500; i++) {
      const t = trade(m.nextTrade(TIME, DATE));
      volume += t.tradeVolume;
      value += t.price * t.tradeVolume;
      if (i === 0) open = t.price;
      high = Math.max(high, t.price);
      low = Math.min(low, t.price);
      assert.ok(t.tradeVolume >= 1);
      assert.equal(t.cumVolume, volume);
      assert.equal(t.cumValue, value);
      assert.equal(t.vwap, Math.round((value / volume) * 100) / 100);
      assert.deepEqual([t.open, t.high, t.low], [open, high, low]);
      assert.ok(t.side === '1' || t.side === '5');
      assert.equal(t.side === '1' ? t.ask1 : t.bid1, t.price, 'the trade hit the quote on its side');
      assert.equal(t.businessDate, DATE);
      assert.equal(t.marketOperationCode, '20');
      assert.equal(t.halted, false);
    }
    assert.equal(m.cumVolume, volume);
    assert.equal(m.trades, 500);
  });

  it('fills the derived H0STCNT0 fields like the portal example does', () => {
    const m = model('035720');
    let fields: string[] = [];
    for (let i = 0; i < 50; i++) fields = m.nextTrade(TIME, DATE).split('^');
    const n = (i: number): number => Number(fields[i]);
    assert.equal(n(17), n(16) - n(15), 'NTBY_CNTG_CSNU = buy count - sell count');
    assert.equal(n(15) + n(16), 50);
    assert.equal(n(19) + n(20), n(13), 'seller + buyer initiated volume = cumulative volume');
    assert.equal(n(18), Math.round((n(20) / n(19)) * 10000) / 100, 'CTTR');
    assert.equal(n(26), n(2) - n(7));
    assert.equal(n(29), n(2) - n(8));
    assert.equal(n(32), n(2) - n(9));
    assert.match(fields[24], /^\d{6}$/);
    assert.equal(fields[43], '0');
    assert.equal(fields[44], '');
  });

  it('describes the state before the first trade without moving the walk', () => {
    const m = model();
    const t = trade(m.tradeRecord(TIME, DATE));
    assert.equal(t.price, m.prevClose);
    assert.equal(t.sign, '3');
    assert.equal(m.trades, 0);
    m.nextTrade(TIME, DATE);
    assert.equal(trade(m.tradeRecord(TIME, DATE)).price, m.price);
  });

  it('produces 47-field trades and 62/63-field books on request', () => {
    const m = model('005930', { tradeWidth: 47, bookWidth: 63 });
    const t = trade(m.nextTrade(TIME, DATE), 47);
    assert.equal(t.marketClsCode, '2');
    const book = parseFrame(`0|H0STASP0|001|${m.nextBook(TIME)}`);
    assert.equal(book.width, 63);
    const b = readOrderBook(splitRecords(book), 0, 10, 63);
    assert.equal(b.marketClsCode, '2');
    assert.ok(b.midPrice >= b.bids[0].price && b.midPrice <= b.asks[0].price);
    const m62 = model('005930', { bookWidth: 62 });
    assert.equal(parseFrame(`0|H0STASP0|001|${m62.nextBook(TIME)}`).width, 62);
  });

  it('builds ten levels per side on valid ticks around the last price, and totals that add up', () => {
    const m = model('005930');
    for (let i = 0; i < 200; i++) {
      m.nextTrade(TIME, DATE);
      const frame = parseFrame(`0|H0STASP0|001|${m.nextBook(TIME)}`);
      assert.equal(frame.width, 59);
      const fields = splitRecords(frame);
      const b = readOrderBook(fields, 0);
      assert.ok(
        tickDown(b.bids[0].price) <= m.price && m.price <= tickUp(b.asks[0].price),
        'the book brackets the last trade (± one tick)',
      );
      for (let l = 0; l < 10; l++) {
        for (const level of [b.asks[l], b.bids[l]]) {
          if (level.price !== 0) assert.ok(isOnTick(level.price));
          assert.ok(level.price <= m.upper);
        }
        if (l > 0 && b.asks[l].price !== 0) assert.equal(b.asks[l].price, tickUp(b.asks[l - 1].price));
        if (l > 0 && b.bids[l].price !== 0) assert.equal(b.bids[l].price, tickDown(b.bids[l - 1].price));
      }
      assert.equal(
        b.totalAskSize,
        b.asks.reduce((s, x) => s + x.size, 0),
      );
      assert.equal(
        b.totalBidSize,
        b.bids.reduce((s, x) => s + x.size, 0),
      );
      assert.equal(b.cumVolume, m.cumVolume);
      assert.equal(fields[H0STASP0.HOUR_CLS_CODE], '0');
    }
  });

  it('leaves levels beyond the daily limit empty', () => {
    const m = model('005930', { volatilityTicks: 100000 });
    for (let i = 0; i < 200 && m.price !== m.upper; i++) m.nextTrade(TIME, DATE);
    assert.equal(m.price, m.upper);
    const book = m.nextBook(TIME);
    const b = readOrderBook(splitRecords(parseFrame(`0|H0STASP0|001|${book}`)), 0);
    const empty = b.asks.filter((a) => a.price === 0);
    assert.ok(empty.length >= 9);
    assert.ok(empty.every((a) => a.size === 0));
  });

  it('is deterministic for a seed and differs between seeds and symbols', () => {
    const run = (seed: number, code: string): string[] => {
      const m = model(code, { seed });
      return Array.from({ length: 100 }, () => m.nextTrade(TIME, DATE));
    };
    assert.deepEqual(run(42, '005930'), run(42, '005930'));
    assert.notDeepEqual(run(42, '005930'), run(43, '005930'));
    assert.notDeepEqual(
      run(42, '005930').map((r) => r.slice(7)),
      run(42, '000660').map((r) => r.slice(7)),
    );
  });

  it('keeps the trade walk independent of order-book records', () => {
    const plain = model('005930');
    const mixed = model('005930');
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 100; i++) {
      a.push(trade(plain.nextTrade(TIME, DATE)).price);
      mixed.nextBook(TIME);
      b.push(trade(mixed.nextTrade(TIME, DATE)).price);
    }
    assert.deepEqual(a, b);
  });

  it('derives plausible on-tick prices for codes outside the catalogue', () => {
    for (const code of ['123456', '999999', '0088M0', 'Q500001']) {
      const price = hashedBasePrice(code);
      assert.ok(isOnTick(price) && price >= 1000 && price <= 300000, `${code} ${price}`);
      assert.equal(hashedBasePrice(code), price);
    }
    assert.equal(basePriceOf('005930'), 71900);
    assert.equal(basePriceOf('005930', 10004), 10000);
  });
});

describe('simulator prng', () => {
  it('is reproducible, in range, and spreads its values', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      assert.equal(x, b.next());
      assert.ok(x >= 0 && x < 1);
      const k = a.int(3, 5);
      b.int(3, 5);
      assert.ok(k >= 3 && k <= 5);
      seen.add(k);
    }
    assert.equal(seen.size, 3);
    assert.notEqual(hashString('005930'), hashString('005931'));
  });
});

describe('catalogue', () => {
  it('has ~40 unique KOSPI/KOSDAQ entries with names and on-tick base prices', () => {
    assert.ok(CATALOGUE.length >= 40);
    assert.equal(new Set(CATALOGUE.map((e) => e.code)).size, CATALOGUE.length);
    for (const e of CATALOGUE) {
      assert.match(e.code, /^\d{6}$/);
      assert.ok(e.nameKo !== '' && e.nameEn !== '');
      assert.ok(e.market === 'KOSPI' || e.market === 'KOSDAQ');
      assert.ok(isOnTick(e.basePrice), `${e.code} ${e.basePrice}`);
    }
    assert.ok(CATALOGUE.some((e) => e.market === 'KOSDAQ'));
  });

  it('finds by code and searches code, Korean and English names case-insensitively', () => {
    assert.equal(findSymbol('005930')?.nameEn, 'Samsung Electronics');
    assert.equal(findSymbol(' 000660 ')?.nameKo, 'SK하이닉스');
    assert.equal(findSymbol('000000'), undefined);
    assert.equal(searchCatalogue('005930')[0].code, '005930');
    assert.ok(searchCatalogue('삼성').every((e) => e.nameKo.includes('삼성')));
    assert.ok(searchCatalogue('삼성').length >= 5);
    assert.deepEqual(
      searchCatalogue('HYNIX').map((e) => e.code),
      ['000660'],
    );
    assert.equal(searchCatalogue('kakao')[0].nameEn, 'Kakao', 'prefix matches first');
    assert.ok(searchCatalogue('kakao').length >= 4);
    assert.equal(searchCatalogue('').length, CATALOGUE.length);
    assert.equal(searchCatalogue('', 3).length, 3);
    assert.deepEqual(searchCatalogue('no such company'), []);
  });
});

describe('simulator options', () => {
  it('fills defaults that match the live service', () => {
    const o = resolveOptions();
    assert.equal(o.port, 0);
    assert.equal(o.pingIntervalMs, 110_000);
    assert.equal(o.subscriptionLimit, 41);
    assert.equal(o.approvalTtlMs, 86_400_000);
    assert.equal(o.tradeWidth, 46);
    assert.equal(o.bookWidth, 59);
    assert.equal(o.fatalClose, 'abrupt');
    assert.deepEqual(resolveOptions({ symbols: ['005930', { code: '000660', basePrice: 1000 }] }).symbols, [
      { code: '005930' },
      { code: '000660', basePrice: 1000 },
    ]);
    assert.equal(resolveOptions({ credentials: { appkey: 'a', secretkey: 'b' } }).credentials?.length, 1);
  });

  it('rejects out-of-range values with a clear message', () => {
    assert.throws(() => resolveOptions({ port: 70000 }), /port/);
    assert.throws(() => resolveOptions({ port: -1 }), /port/);
    assert.throws(() => resolveOptions({ ratePerSymbol: 0 }), /rate/);
    assert.throws(() => resolveOptions({ maxRecordsPerFrame: 1000 }), /maxRecordsPerFrame/);
    assert.throws(() => resolveOptions({ tickIntervalMs: Number.NaN }), /tickIntervalMs/);
    assert.throws(() => resolveOptions({ tradeWidth: 48 as 46 }), /tradeWidth/);
    assert.throws(() => resolveOptions({ bookWidth: 60 as 59 }), /bookWidth/);
  });
});

describe('simulator faults', () => {
  it('every malformed kind is rejected by the client-side classifier', () => {
    const record = model().nextTrade(TIME, DATE);
    for (const kind of MALFORMED_KINDS) {
      const result = classify(malformedMessage(kind, 'H0STCNT0', record));
      if (kind === 'badBase64') {
        // The envelope of an encrypted frame is fine; decryption is where it fails.
        assert.equal(result.kind, 'frame', kind);
      } else {
        assert.equal(result.kind, 'invalid', kind);
      }
    }
  });

  it('refusal rules match, count down and clear', () => {
    const faults = new FaultState();
    faults.refuse({ msgCd: 'OPSP0007', match: (r) => r.trKey === '005930', remaining: 2 });
    assert.equal(faults.takeRefusal({ trType: '1', trId: 'H0STCNT0', trKey: '000660' }), undefined);
    assert.equal(faults.takeRefusal({ trType: '1', trId: 'H0STCNT0', trKey: '005930' }), 'OPSP0007');
    assert.equal(faults.takeRefusal({ trType: '1', trId: 'H0STASP0', trKey: '005930' }), 'OPSP0007');
    assert.equal(faults.takeRefusal({ trType: '1', trId: 'H0STASP0', trKey: '005930' }), undefined);
    faults.refuse({ msgCd: 'OPSP0009', match: () => true, remaining: Number.POSITIVE_INFINITY });
    faults.clearRefusals();
    assert.equal(faults.takeRefusal({ trType: '1', trId: 'H0STASP0', trKey: '005930' }), undefined);
  });

  it('the send log counts exactly and retains up to its limit', () => {
    const log = new SendLog(3);
    const entry = log.entry('H0STCNT0', '005930');
    log.add(entry, ['a', 'b']);
    log.add(entry, ['c', 'd']);
    log.addCount(entry, 5);
    assert.deepEqual(log.records('H0STCNT0', '005930'), ['a', 'b', 'c']);
    assert.deepEqual(log.summary(), [{ trId: 'H0STCNT0', symbol: '005930', records: 9, frames: 3 }]);
    assert.equal(log.totalRecords(), 9);
    assert.deepEqual(log.records('H0STASP0', '005930'), []);
    log.clear();
    assert.equal(log.totalRecords(), 0);
  });
});

describe('simulator ascii writer', () => {
  it('writes integers, two-decimal ratios and counts exactly like the string forms', () => {
    const w = new AsciiWriter(64);
    w.begin(8);
    const ints = [
      0,
      7,
      -7,
      10,
      99,
      100,
      999_999_999,
      1_000_000_000,
      1_000_000_001,
      -2_147_483_648,
      219_853_241_700,
      2 ** 53 - 1,
    ];
    for (const n of ints) {
      w.int(n);
      w.byte(94);
    }
    const ratios = [0, 0.004, -0.004, -0.005, 0.005, 1.5, -0.14, 84.9, 72023.8349, 100];
    for (const r of ratios) {
      w.fixed2(r);
      w.byte(94);
    }
    w.count3(7);
    w.count3(42);
    w.count3(999);
    const expected = [
      ...ints.map(String),
      ...ratios.map((r) => {
        const c = Math.round(r * 100);
        return c === 0 ? '0.00' : (c / 100).toFixed(2);
      }),
      '007042999',
    ];
    assert.equal(w.text(), expected.join('^'));
    const frame = w.finish();
    assert.equal(frame.toString('latin1'), expected.join('^'));
    // The next frame starts after the finished one and leaves it untouched (the chunk grew meanwhile).
    w.begin(4);
    w.ascii('next');
    w.discard();
    assert.equal(w.length, 0);
    assert.equal(frame.toString('latin1'), expected.join('^'));
    assert.equal(w.mark(), 0);
  });
});
