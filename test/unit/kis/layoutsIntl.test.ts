import * as assert from 'node:assert/strict';
import {
  checkIntlWidth,
  classify,
  INTL_LAYOUTS,
  keyMarketOf,
  minimumWidth,
  needsKrxCodeKey,
  readIntlRecords,
  splitRecords,
  type IntlRecord,
  type IntlRecordError,
} from '../../../src/kis';

/** The official samples' list lengths (kis-ws-more.md §0), plus RSYM which the overseas wire carries first. */
const OFFICIAL_WIRE_COUNTS: Record<string, number> = { H0UPCNT0: 30, HDFSCNT0: 25 + 1, HDFSASP0: 16 + 1 };

/** Two captured HDFSCNT0 records (kis-protocol.md §7.1, S15): 2 × 26 fields. */
const CAPTURED_US =
  '0|HDFSCNT0|002|DNASAAPL^AAPL^4^20230502^20230502^091912^20230502^221912^169.9200^170.1000^169.4200^169.7850^2^0.1950^+0.11^169.7700^169.7900^201^5^1^108464^18414163^24757^20513^82.86^1^DNASAAPL^AAPL^4^20230502^20230502^091912^20230502^221912^169.9200^170.1000^169.4200^169.7900^2^0.2000^+0.12^169.7700^169.7900^201^2^3^108467^18414672^24757^20516^82.87^1';

function read(text: string): { records: IntlRecord[]; errors: IntlRecordError[]; count: number } {
  const result = classify(text);
  assert.equal(result.kind, 'frame');
  if (result.kind !== 'frame') throw new Error('not a frame');
  const records: IntlRecord[] = [];
  const errors: IntlRecordError[] = [];
  const count = readIntlRecords(
    result.frame.trId,
    splitRecords(result.frame),
    result.frame.width,
    (r) => records.push(r),
    (e) => errors.push(e),
  );
  return { records, errors, count };
}

/** An H0UPCNT0 record: KOSPI at 2,650.12, down 12.34 (sign 5), -0.46 %. */
function indexRecord(code = '0001', set: Record<number, string> = {}): string[] {
  const f = Array.from({ length: 30 }, (_, i) => String(i));
  Object.assign(
    f,
    {
      0: code,
      1: '101500',
      2: '2650.12',
      3: '5',
      4: '12.34',
      5: '412345',
      9: '-0.46',
      10: '2660.00',
      11: '2671.50',
      12: '2640.10',
      23: '321',
      24: '80',
      25: '512',
    },
    set,
  );
  return f;
}

describe('index and US layouts (H0UPCNT0, HDFSCNT0, HDFSASP0)', () => {
  it('have the official column counts (RSYM first for the overseas wire) and one distinct name per column', () => {
    for (const [trId, count] of Object.entries(OFFICIAL_WIRE_COUNTS)) {
      const layout = INTL_LAYOUTS.get(trId);
      assert.ok(layout, trId);
      assert.equal(layout.widths[0], count, trId);
      assert.equal(minimumWidth(trId), count, trId);
      assert.equal(new Set(layout.columns).size, layout.columns.length, `${trId} names unique`);
    }
    assert.equal(INTL_LAYOUTS.get('H0UPCNT0')?.columns.length, 30);
    assert.equal(INTL_LAYOUTS.get('HDFSCNT0')?.columns[0], 'RSYM');
    assert.equal(INTL_LAYOUTS.get('HDFSASP0')?.columns.length, 71, 'ten levels of six columns after eleven');
  });

  it('reads a captured two-record HDFSCNT0 frame in dollars, change signed by SIGN, session from MTYP', () => {
    const { records, errors, count } = read(CAPTURED_US);
    assert.equal(count, 2);
    assert.deepEqual(errors, []);
    const first = records[0];
    assert.equal(first.kind, 'usTrade');
    if (first.kind !== 'usTrade') return;
    assert.equal(first.record.key, 'DNASAAPL');
    assert.equal(first.record.ticker, 'AAPL');
    assert.equal(first.record.decimals, 4);
    assert.equal(first.record.price, 169.785);
    assert.equal(first.record.open, 169.92);
    assert.equal(first.record.high, 170.1);
    assert.equal(first.record.low, 169.42);
    assert.equal(first.record.change, 0.195);
    assert.equal(first.record.rate, 0.11);
    assert.equal(first.record.bid, 169.77);
    assert.equal(first.record.ask, 169.79);
    assert.equal(first.record.volume, 1, 'EVOL is the trade size');
    assert.equal(first.record.cumulativeVolume, 108464);
    assert.equal(first.record.localTime, '091912');
    assert.equal(first.record.kstTime, '221912');
    assert.equal(first.record.session, 'regular');
    const second = records[1];
    assert.ok(second.kind === 'usTrade' && second.record.price === 169.79 && second.record.cumulativeVolume === 108467);
  });

  it('reads a falling US trade as a negative change whatever the wire sign of DIFF, and pre/after sessions', () => {
    const f = CAPTURED_US.split('|')[3].split('^').slice(0, 26);
    f[12] = '5';
    f[13] = '0.1950';
    f[14] = '-0.11';
    f[25] = '2';
    const { records } = read(`0|HDFSCNT0|001|${f.join('^')}`);
    assert.ok(records[0].kind === 'usTrade');
    if (records[0].kind !== 'usTrade') return;
    assert.equal(records[0].record.change, -0.195);
    assert.equal(records[0].record.rate, -0.11);
    assert.equal(records[0].record.session, 'pre');
    f[25] = '3';
    const after = read(`0|HDFSCNT0|001|${f.join('^')}`).records[0];
    assert.ok(after.kind === 'usTrade' && after.record.session === 'after');
    f[25] = '9';
    const odd = read(`0|HDFSCNT0|001|${f.join('^')}`).records[0];
    assert.ok(odd.kind === 'usTrade' && odd.record.session === 'unknown');
  });

  it('reads an H0UPCNT0 record: value, signed change and rate, OHL, breadth', () => {
    const { records, count } = read(
      `0|H0UPCNT0|002|${[...indexRecord(), ...indexRecord('1001', { 2: '870.55', 3: '2', 4: '3.10', 9: '0.36' })].join('^')}`,
    );
    assert.equal(count, 2);
    const [kospi, kosdaq] = records;
    assert.ok(kospi.kind === 'index' && kosdaq.kind === 'index');
    if (kospi.kind !== 'index' || kosdaq.kind !== 'index') return;
    assert.deepEqual(
      { ...kospi.record },
      {
        code: '0001',
        time: '101500',
        value: 2650.12,
        sign: '5',
        change: -12.34,
        rate: -0.46,
        open: 2660,
        high: 2671.5,
        low: 2640.1,
        volume: 412345,
        advancers: 321,
        unchanged: 80,
        decliners: 512,
      },
    );
    assert.equal(kosdaq.record.code, '1001');
    assert.equal(kosdaq.record.change, 3.1);
    assert.equal(kosdaq.record.rate, 0.36);
  });

  it('reads level 1 of an HDFSASP0 book in both the 17-wide and the 71-wide layouts', () => {
    const narrow = [
      'DNASAAPL',
      'AAPL',
      '4',
      '20230502',
      '091912',
      '20230502',
      '221912',
      '1500',
      '1800',
      '10',
      '-20',
      '169.7700',
      '169.7900',
      '201',
      '5',
      '1',
      '-2',
    ];
    const wide = [...narrow, ...Array.from({ length: 54 }, () => '0')];
    const zeros = Array.from({ length: 9 }, () => ({ price: 0, size: 0 }));
    for (const fields of [narrow, wide]) {
      const { records, errors } = read(`0|HDFSASP0|001|${fields.join('^')}`);
      assert.deepEqual(errors, []);
      assert.ok(records[0].kind === 'usBook');
      if (records[0].kind !== 'usBook') return;
      assert.deepEqual(
        { ...records[0].record },
        {
          key: 'DNASAAPL',
          ticker: 'AAPL',
          decimals: 4,
          kstTime: '221912',
          bid: 169.77,
          ask: 169.79,
          bidSize: 201,
          askSize: 5,
          totalBidSize: 1500,
          totalAskSize: 1800,
          // The free layout carries one level; the wide one ten (here empty beyond the first).
          bids: fields === narrow ? [{ price: 169.77, size: 201 }] : [{ price: 169.77, size: 201 }, ...zeros],
          asks: fields === narrow ? [{ price: 169.79, size: 5 }] : [{ price: 169.79, size: 5 }, ...zeros],
        },
      );
    }
  });

  it('reads every level of a ten-level HDFSASP0 record as KIS sends it, best first', () => {
    // Level n: PBIDn PASKn VBIDn VASKn DBIDn DASKn from field 11 (RSYM..ADVL before it).
    const head = ['DNASAAPL', 'AAPL', '4', '20261207', '091912', '20261207', '231912', '1500', '1800', '10', '-20'];
    const levels = Array.from({ length: 10 }, (_, i) => [
      (169.77 - i * 0.01).toFixed(4),
      (169.79 + i * 0.01).toFixed(4),
      String(100 + i),
      String(200 + i),
      '0',
      '0',
    ]).flat();
    const { records } = read(`0|HDFSASP0|001|${[...head, ...levels].join('^')}`);
    assert.ok(records[0].kind === 'usBook');
    if (records[0].kind !== 'usBook') return;
    assert.equal(records[0].record.bids.length, 10);
    assert.deepEqual(records[0].record.bids[9], { price: 169.68, size: 109 });
    assert.deepEqual(records[0].record.asks[1], { price: 169.8, size: 201 });
  });

  it('refuses an undocumented width with UNKNOWN_WIDTH and an unknown TR with UNKNOWN_TR, reading nothing', () => {
    const { records, errors } = read(`0|HDFSASP0|001|${Array.from({ length: 40 }, () => '1').join('^')}`);
    assert.deepEqual(records, []);
    assert.equal(errors[0].code, 'UNKNOWN_WIDTH');
    assert.match(errors[0].message, /17, 71/);
    assert.equal(checkIntlWidth('H0STCNT0', 46)?.code, 'UNKNOWN_TR');
    assert.equal(checkIntlWidth('H0UPCNT0', 31), undefined, 'wider records are read by their known prefix');
    assert.equal(
      readIntlRecords(
        'H0XXXXX0',
        ['1'],
        1,
        () => assert.fail('no record'),
        () => undefined,
      ),
      0,
    );
  });

  it('gives each TR the key market the agent checks: krx, index, us, or none for notices', () => {
    assert.equal(keyMarketOf('H0UPCNT0', needsKrxCodeKey), 'index');
    assert.equal(keyMarketOf('HDFSCNT0', needsKrxCodeKey), 'us');
    assert.equal(keyMarketOf('HDFSASP0', needsKrxCodeKey), 'us');
    assert.equal(keyMarketOf('H0STCNT0', needsKrxCodeKey), 'krx');
    assert.equal(keyMarketOf('H0UNCNT0', needsKrxCodeKey), 'krx');
    assert.equal(keyMarketOf('H0STCNI0', needsKrxCodeKey), undefined);
  });
});
