import * as assert from 'node:assert/strict';
import {
  checkDayWidth,
  classify,
  DAY_LAYOUTS,
  dayLayout,
  minimumWidth,
  needsKrxCodeKey,
  readDayRecords,
  readExpected,
  readMarketStatus,
  splitRecords,
  type DayRecord,
  type DayRecordError,
} from '../../../src/kis';

/** Field counts of the official samples' column lists (kis-ws-more.md §0, checked against W1/W4). */
const OFFICIAL_COUNTS: Record<string, number> = {
  H0UNCNT0: 46,
  H0NXCNT0: 46,
  H0UNASP0: 65,
  H0NXASP0: 65,
  H0STANC0: 45,
  H0UNANC0: 46,
  H0NXANC0: 46,
  H0STMKO0: 11,
  H0UNMKO0: 10,
  H0NXMKO0: 11,
};

/** Every width a source names (kis-ws-more.md §3–§5, kis-protocol.md §7.1/§8.2): sample, portal workbook, notices. */
const DOCUMENTED_WIDTHS: Record<string, number[]> = {
  H0UNCNT0: [46],
  H0NXCNT0: [46],
  H0UNASP0: [62, 65, 66],
  H0NXASP0: [62, 65],
  H0STANC0: [45, 46],
  H0UNANC0: [46],
  H0NXANC0: [46],
  H0STMKO0: [10, 11],
  H0UNMKO0: [10, 11],
  H0NXMKO0: [10, 11],
};

/** A record of `width` fields: symbol first, then distinct numbers. */
function record(width: number, set: Record<number, string> = {}, symbol = '005930'): string[] {
  const f = Array.from({ length: width }, (_, i) => String(i * 10));
  f[0] = symbol;
  for (const [i, v] of Object.entries(set)) f[Number(i)] = v;
  return f;
}

function read(
  trId: string,
  fields: string[],
  width: number,
  trKey = '',
): { records: DayRecord[]; errors: DayRecordError[] } {
  const records: DayRecord[] = [];
  const errors: DayRecordError[] = [];
  readDayRecords(
    trId,
    fields,
    width,
    (r) => records.push(r),
    (e) => errors.push(e),
    trKey,
  );
  return { records, errors };
}

describe('kis/layouts/day', () => {
  it('has the official column count for every whole-day TR', () => {
    assert.deepEqual([...DAY_LAYOUTS.keys()].sort(), Object.keys(OFFICIAL_COUNTS).sort());
    for (const [trId, n] of Object.entries(OFFICIAL_COUNTS)) {
      const layout = dayLayout(trId);
      assert.ok(layout, trId);
      assert.equal(layout.columns.length, n, trId);
      assert.ok(layout.widths.includes(n), `${trId} accepts its official width`);
    }
  });

  it('names the columns the sample names at the positions the readers use', () => {
    assert.equal(dayLayout('H0UNCNT0')?.columns[21], 'CNTG_CLS_CODE');
    assert.equal(dayLayout('H0UNCNT0')?.columns[45], 'VI_STND_PRC');
    assert.equal(dayLayout('H0NXASP0')?.columns[59], 'KMID_PRC');
    assert.equal(dayLayout('H0NXASP0')?.columns[62], 'NMID_PRC');
    assert.equal(dayLayout('H0STANC0')?.columns[44], 'mrkt_trtm_cls_code');
    assert.equal(dayLayout('H0UNMKO0')?.columns[0], 'TRHT_YN');
    assert.equal(dayLayout('H0STMKO0')?.columns[8], 'VI_CLS_CODE');
  });

  it('parses every documented width of every TR', () => {
    for (const layout of DAY_LAYOUTS.values()) {
      assert.deepEqual(layout.widths, DOCUMENTED_WIDTHS[layout.trId], `${layout.trId} lists every documented width`);
      for (const width of DOCUMENTED_WIDTHS[layout.trId]) {
        assert.equal(checkDayWidth(layout.trId, width), undefined, `${layout.trId} ${width}`);
        const { records, errors } = read(
          layout.trId,
          [...record(width), ...record(width, {}, '000660')],
          width,
          '005930',
        );
        assert.deepEqual(errors, [], `${layout.trId} ${width}`);
        assert.equal(records.length, 2, `${layout.trId} ${width}`);
        assert.equal(records[0].kind, layout.kind);
        assert.equal(records[0].record.exchange, layout.exchange);
      }
    }
  });

  it('reports an undocumented width as UNKNOWN_WIDTH and reads none of the frame', () => {
    const { records, errors } = read('H0NXASP0', record(64), 64);
    assert.equal(records.length, 0);
    assert.deepEqual(
      errors.map((e) => e.code),
      ['UNKNOWN_WIDTH'],
    );
    assert.match(errors[0].message, /H0NXASP0 record of 64 fields; documented widths are 62, 65/);
    assert.equal(checkDayWidth('H0STCNT0', 46)?.code, 'UNKNOWN_TR');
  });

  it('reads a record wider than every documented width by its known prefix (KIS appends fields)', () => {
    const { records } = read('H0UNCNT0', record(48, { 2: '70100' }), 48);
    assert.equal(records[0].kind === 'trade' && records[0].record.price, 70100);
  });

  it('makes the frame parser refuse records narrower than the narrowest documented width', () => {
    assert.equal(minimumWidth('H0STMKO0'), 10);
    assert.equal(minimumWidth('H0NXASP0'), 62);
    assert.equal(minimumWidth('H0STANC0'), 45);
    const result = classify(`0|H0NXCNT0|001|${record(40).join('^')}`);
    assert.equal(result.kind, 'invalid');
  });

  it('reads unified and NXT trades with their exchange', () => {
    const text = `0|H0UNCNT0|001|${record(46, { 1: '093001', 2: '70100', 3: '2', 4: '100', 13: '5000', 35: 'N', 45: '69000' }).join('^')}`;
    const result = classify(text);
    assert.equal(result.kind, 'frame');
    if (result.kind !== 'frame') return;
    const { records } = read('H0UNCNT0', splitRecords(result.frame), result.frame.width);
    const r = records[0];
    assert.equal(r.kind, 'trade');
    if (r.kind !== 'trade') return;
    assert.deepEqual(
      [r.record.exchange, r.record.symbol, r.record.price, r.record.sign, r.record.cumVolume, r.record.viPrice],
      ['unified', '005930', 70100, '2', 5000, 69000],
    );
    const nxt = read('H0NXCNT0', record(46), 46).records[0];
    assert.equal(nxt.record.exchange, 'NXT');
  });

  it('reads the NXT midpoint at 59 in the 62-wide book and at 62 in the 65-wide one, KRX midpoint only in 65', () => {
    const narrow = read('H0NXASP0', record(62, { 3: '70100', 13: '70000', 59: '70050' }), 62).records[0];
    assert.ok(narrow.kind === 'book');
    assert.deepEqual(
      [narrow.record.asks[0].price, narrow.record.bids[0].price, narrow.record.nxtMidPrice, narrow.record.krxMidPrice],
      [70100, 70000, 70050, 0],
    );
    const wide = read('H0UNASP0', record(65, { 59: '70040', 62: '70060' }), 65).records[0];
    assert.ok(wide.kind === 'book');
    assert.deepEqual(
      [wide.record.krxMidPrice, wide.record.nxtMidPrice, wide.record.exchange],
      [70040, 70060, 'unified'],
    );
  });

  it('reads expected execution; H0STANC0 has no VI reference price', () => {
    const krx = read('H0STANC0', record(45, { 2: '70500', 4: '500', 12: '1200', 43: 'A' }), 45).records[0];
    assert.ok(krx.kind === 'expected');
    assert.deepEqual(
      [krx.record.price, krx.record.change, krx.record.volume, krx.record.hourClsCode, krx.record.viPrice],
      [70500, 500, 1200, 'A', 0],
    );
    const krx46 = read('H0STANC0', record(46, { 45: 'dummy' }), 46).records[0];
    assert.ok(krx46.kind === 'expected' && krx46.record.viPrice === 0);
    const un = read('H0UNANC0', record(46, { 45: '69900' }), 46).records[0];
    assert.ok(un.kind === 'expected' && un.record.viPrice === 69900);
  });

  it('reads market status from the portal example frame (10 fields, "(null)" reason)', () => {
    const fields = '396300^N^(null)^^311^^^55^N^N'.split('^');
    const s = readMarketStatus(fields, 0, 10, 'H0STMKO0', 'KRX');
    assert.ok(!('code' in s));
    assert.deepEqual(s, {
      exchange: 'KRX',
      symbol: '396300',
      halted: false,
      haltReason: '',
      mkopCode: '',
      expectedMkopCode: '311',
      stockStatusCode: '55',
      vi: false,
      afterHoursVi: false,
    });
    const vi = read('H0NXMKO0', 'A^Y^사유^^^^^55^Y^N^2'.replace('A', '005930').split('^'), 11).records[0];
    assert.ok(vi.kind === 'status');
    assert.deepEqual(
      [vi.record.halted, vi.record.haltReason, vi.record.vi, vi.record.exchange],
      [true, '사유', true, 'NXT'],
    );
  });

  it('reports an MKO record without a symbol as NO_SYMBOL and reads the rest of the frame', () => {
    const fields = [...record(11, {}, ''), ...record(11, { 9: 'Y' }, '000660')];
    const { records, errors } = read('H0STMKO0', fields, 11);
    assert.deepEqual(
      errors.map((e) => e.code),
      ['NO_SYMBOL'],
    );
    assert.equal(records.length, 1);
    assert.equal(records[0].record.symbol, '000660');
  });

  it('takes the symbol of a 10-wide H0UNMKO0 from the registration, or reports NO_SYMBOL', () => {
    const fields = 'N^(null)^^^^^55^Y^N^1'.split('^');
    assert.deepEqual(
      read('H0UNMKO0', fields, 10).errors.map((e) => e.code),
      ['NO_SYMBOL'],
    );
    const withKey = read('H0UNMKO0', fields, 10, '005930').records[0];
    assert.ok(withKey.kind === 'status');
    assert.deepEqual([withKey.record.symbol, withKey.record.vi, withKey.record.exchange], ['005930', true, 'unified']);
    const eleven = read('H0UNMKO0', ['000660', ...fields], 11).records[0];
    assert.ok(eleven.kind === 'status' && eleven.record.symbol === '000660' && eleven.record.vi);
  });

  it('reads fields past the end of a short record as empty or 0', () => {
    const e = readExpected([], 0, 'H0UNANC0', 'unified');
    assert.deepEqual([e.symbol, e.time, e.price, e.hourClsCode, e.viPrice, e.sign], ['', '', 0, '', 0, '3']);
    const m = readMarketStatus(['005930'], 0, 11, 'H0STMKO0', 'KRX');
    assert.ok(!('code' in m));
    assert.deepEqual(
      [m.halted, m.haltReason, m.mkopCode, m.expectedMkopCode, m.stockStatusCode, m.vi],
      [false, '', '', '', '', false],
    );
    assert.equal((readMarketStatus([], 0, 11, 'H0NXMKO0', 'NXT') as { code?: string }).code, 'NO_SYMBOL');
  });

  it('wants a KRX code as tr_key for the KRX and every whole-day TR, not for others', () => {
    for (const trId of ['H0STCNT0', 'H0STASP0', ...DAY_LAYOUTS.keys()]) assert.equal(needsKrxCodeKey(trId), true, trId);
    assert.equal(needsKrxCodeKey('H0STCNI0'), false);
    assert.equal(needsKrxCodeKey('HDFSCNT0'), false);
  });
});
