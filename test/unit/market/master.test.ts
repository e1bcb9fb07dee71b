import * as assert from 'node:assert/strict';
import {
  decodeCp949,
  encodeCp949,
  krxTailWidth,
  KRX_TAIL_SPECS,
  parseKrxMaster,
  parseOverseasMaster,
  writeKrxMaster,
  writeOverseasMaster,
  type KrxListing,
  type MasterParseResult,
} from '../../../src/market/master';
import { CATALOGUE } from '../../../src/market';

/** Generated listings: the catalogue's real stocks, then synthetic "가상종목" names no exchange lists. */
function krxListings(n: number): KrxListing[] {
  const real = CATALOGUE.map((c) => ({
    code: c.code,
    nameKo: c.nameKo,
    kind: 'stock' as const,
    basePrice: c.basePrice,
  }));
  const fake = Array.from({ length: Math.max(0, n - real.length) }, (_, i) => ({
    code: String(900000 + i),
    nameKo: `가상종목${i}`,
    kind: 'stock' as const,
    basePrice: 1000 + i,
  }));
  return [...real, ...fake].slice(0, n);
}

const ok = (r: MasterParseResult): Extract<MasterParseResult, { ok: true }> => {
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r;
};

describe('cp949 text', () => {
  it('round-trips Hangul, Latin and digits, and encodes 삼성 as the cp949 bytes', () => {
    const text = '삼성전자 SK하이닉스 005930 가상종목';
    assert.equal(decodeCp949(encodeCp949(text)), text);
    assert.deepEqual([...encodeCp949('삼성')], [0xbb, 0xef, 0xbc, 0xba]);
    assert.equal(decodeCp949(encodeCp949('😀')), '?', 'what cp949 cannot hold becomes ?');
  });
});

describe('KRX master files (official fixed-width format, generated)', () => {
  it('has the official tail widths: KOSPI 227 and KOSDAQ 221 (the samples slice 228/222 with the newline), KONEX 184', () => {
    assert.equal(krxTailWidth('KOSPI'), 227);
    assert.equal(krxTailWidth('KOSDAQ'), 221);
    assert.equal(krxTailWidth('KONEX'), 184);
    assert.equal(KRX_TAIL_SPECS.KOSPI.length, 70);
    assert.equal(KRX_TAIL_SPECS.KOSDAQ.length, 64);
  });

  for (const market of ['KOSPI', 'KOSDAQ', 'KONEX'] as const) {
    it(`parses a generated ${market} file: code, Korean name, kind from the group code, base price`, () => {
      const listings: KrxListing[] = [
        { code: '005930', nameKo: '삼성전자', kind: 'stock', basePrice: 71900 },
        { code: '0088M0', nameKo: '가상신규종목', kind: 'stock', basePrice: 5000 },
        { code: '900001', nameKo: '가상ETF', kind: 'etf', basePrice: 10000 },
        { code: 'Q900002', nameKo: '가상ETN', kind: 'etn', basePrice: 20000 },
        { code: '900003', nameKo: '가상리츠', kind: 'other', basePrice: 4500 },
      ];
      const result = ok(parseKrxMaster(writeKrxMaster(listings, market), market));
      assert.equal(result.skipped, 0);
      assert.deepEqual(
        result.entries.map((e) => [e.code, e.nameKo, e.kind, e.basePrice, e.market]),
        listings.map((l) => [l.code, l.nameKo, l.kind, l.basePrice, market]),
      );
      assert.equal(result.entries[0].ticker, '005930');
      assert.equal(result.entries[0].nameEn, '');
    });
  }

  it('reads CRLF lines, skips blank ones and counts a bad line without refusing the file', () => {
    const good = decodeCp949(writeKrxMaster(krxListings(20), 'KOSPI'));
    const text = `${good.replace(/\n/g, '\r\n')}\r\nBADLINE\n\n`;
    const result = ok(parseKrxMaster(encodeCp949(text), 'KOSPI'));
    assert.equal(result.entries.length, 20);
    assert.equal(result.skipped, 1);
  });

  it('refuses a truncated download with TRUNCATED', () => {
    const bytes = writeKrxMaster(krxListings(10), 'KOSDAQ');
    const result = parseKrxMaster(bytes.subarray(0, bytes.length - 30), 'KOSDAQ');
    assert.ok(!result.ok && result.error.code === 'TRUNCATED');
    assert.match(result.ok ? '' : result.error.message, /KOSDAQ master file ends mid-line/);
  });

  it('refuses a file in a new layout (a KOSDAQ file read as KOSPI: the tail is six characters off) with NEW_LAYOUT', () => {
    const result = parseKrxMaster(writeKrxMaster(krxListings(30), 'KOSDAQ'), 'KOSPI');
    assert.ok(!result.ok);
    assert.equal(result.ok ? '' : result.error.code, 'NEW_LAYOUT');
    const empty = parseKrxMaster(new Uint8Array(0), 'KOSPI');
    assert.ok(!empty.ok && empty.error.code === 'EMPTY');
  });
});

describe('US master files (official tab-separated format, generated)', () => {
  it('parses tickers, Korean and English names, kinds and the US key with the exchange', () => {
    const bytes = writeOverseasMaster(
      [
        { ticker: 'AAPL', nameKo: '애플', nameEn: 'Apple Inc', kind: 'stock', basePrice: 169.79 },
        { ticker: 'ZZTF', nameKo: '가상 ETF', nameEn: 'Synthetic Test ETF', kind: 'etf', basePrice: 10 },
        { ticker: 'ZZTN', nameKo: '가상 ETN', nameEn: 'Synthetic Test ETN', kind: 'etn', basePrice: 20 },
        { ticker: 'ZZIX', nameKo: '가상 지수', nameEn: 'Synthetic Index', kind: 'other', basePrice: 0 },
      ],
      'NAS',
    );
    const result = ok(parseOverseasMaster(bytes, 'NAS'));
    assert.deepEqual(
      result.entries.map((e) => [e.code, e.ticker, e.nameKo, e.nameEn, e.kind, e.market]),
      [
        ['DNASAAPL', 'AAPL', '애플', 'Apple Inc', 'stock', 'NAS'],
        ['DNASZZTF', 'ZZTF', '가상 ETF', 'Synthetic Test ETF', 'etf', 'NAS'],
        ['DNASZZTN', 'ZZTN', '가상 ETN', 'Synthetic Test ETN', 'etn', 'NAS'],
        ['DNASZZIX', 'ZZIX', '가상 지수', 'Synthetic Index', 'other', 'NAS'],
      ],
    );
    assert.equal(result.entries[0].basePrice, 169.79);
  });

  it('skips a header row, refuses a truncated file and a file with fewer columns than the official 24', () => {
    const body = decodeCp949(
      writeOverseasMaster(
        [{ ticker: 'KO', nameKo: '코카콜라', nameEn: 'Coca-Cola Co', kind: 'stock', basePrice: 60 }],
        'NYS',
      ),
    );
    const headed = ok(parseOverseasMaster(encodeCp949(`National code\tExchange id\n${body}`), 'NYS'));
    assert.deepEqual(
      headed.entries.map((e) => e.code),
      ['DNYSKO'],
    );
    assert.equal(headed.skipped, 0);
    const cut = parseOverseasMaster(encodeCp949(body.slice(0, 20)), 'NYS');
    assert.ok(!cut.ok && cut.error.code === 'TRUNCATED');
    const narrow = parseOverseasMaster(encodeCp949(`${body.split('\t').slice(0, 20).join('\t')}\n`), 'NYS');
    assert.ok(!narrow.ok && narrow.error.code === 'NEW_LAYOUT');
  });
});
