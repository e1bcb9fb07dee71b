import * as assert from 'node:assert/strict';
import type { MasterEntry } from '../../../src/market/master';
import {
  catalogueListings,
  describeAge,
  directoryListings,
  listingSearch,
  noMatchMessage,
  pickRows,
} from '../../../src/market/pickerSearch';

const entry = (
  code: string,
  ticker: string,
  market: MasterEntry['market'],
  nameKo: string,
  nameEn = '',
  kind: MasterEntry['kind'] = 'stock',
): MasterEntry => ({ code, ticker, market, kind, nameKo, nameEn, basePrice: 0 });

const ENTRIES: MasterEntry[] = [
  entry('005930', '005930', 'KOSPI', '삼성전자'),
  entry('005935', '005935', 'KOSPI', '삼성전자우'),
  entry('069500', '069500', 'KOSPI', 'KODEX 200', '', 'etf'),
  entry('Q500001', 'Q500001', 'KOSPI', '신한 인버스 2X WTI원유 선물 ETN', '', 'etn'),
  entry('247540', '247540', 'KOSDAQ', '에코프로비엠'),
  entry('DNASAAPL', 'AAPL', 'NAS', '애플', 'Apple Inc'),
  entry('DNYSKO', 'KO', 'NYS', '코카콜라', 'Coca-Cola Co'),
  entry('005930', '005930', 'KOSPI', '삼성전자'),
];

describe('picker search', () => {
  const search = listingSearch(directoryListings(ENTRIES));

  it('lists the three indices first, then the files in order, each listing once', () => {
    const list = directoryListings(ENTRIES);
    assert.deepEqual(
      list.slice(0, 3).map((l) => [l.code, l.nameKo, l.kind]),
      [
        ['0001', 'KOSPI', 'index'],
        ['1001', 'KOSDAQ', 'index'],
        ['2001', 'KOSPI 200', 'index'],
      ],
    );
    assert.equal(list.filter((l) => l.code === '005930').length, 1);
    assert.equal(list.length, 3 + 7);
  });

  it('finds 삼성전자 by 초성, by Korean name and by code, AAPL by "apple", and KOSPI by name', () => {
    assert.equal(pickRows(search, 'ㅅㅅㅈㅈ', new Set())[0].code, '005930');
    assert.deepEqual(
      pickRows(search, '삼성전자', new Set()).map((r) => r.code),
      ['005930', '005935'],
    );
    assert.equal(pickRows(search, '005930', new Set())[0].code, '005930');
    assert.equal(pickRows(search, 'apple', new Set())[0].code, 'DNASAAPL');
    assert.equal(pickRows(search, 'aapl', new Set())[0].code, 'DNASAAPL');
    assert.equal(pickRows(search, 'kosdaq', new Set())[0].code, '1001');
  });

  it('finds a KRX listing by its English name although the KRX master files carry none (the catalogue fills it in)', () => {
    assert.equal(pickRows(search, 'samsung electronics', new Set())[0]?.code, '005930');
    assert.equal(
      directoryListings(ENTRIES).find((l) => l.code === '005935')?.nameEn,
      '',
      'not in the catalogue: no English name is invented',
    );
  });

  it('writes rows with the name first: a US row says its ticker, exchange and USD; an ETF/ETN says so', () => {
    assert.deepEqual(pickRows(search, 'apple', new Set())[0], {
      code: 'DNASAAPL',
      label: 'AAPL  Apple Inc',
      description: 'AAPL · NAS',
      detail: '애플 · stock · USD',
    });
    assert.deepEqual(pickRows(search, '069500', new Set())[0], {
      code: '069500',
      label: 'KODEX 200',
      description: '069500 · KOSPI',
      detail: 'KODEX 200 · ETF',
    });
    assert.match(pickRows(search, 'Q500001', new Set())[0].detail, /ETN$/);
    assert.match(pickRows(search, '0001', new Set())[0].detail, /index$/);
  });

  it('leaves out what is already on the watchlist and keeps to the limit', () => {
    assert.deepEqual(
      pickRows(search, '삼성', new Set(['005930'])).map((r) => r.code),
      ['005935'],
    );
    assert.equal(pickRows(search, '', new Set(), 4).length, 4);
    assert.equal(pickRows(search, '', new Set(['0001', '1001']), 2)[0].code, '2001');
  });

  it('falls back to the built-in catalogues (indices, KRX, US keys) with nothing cached', () => {
    const list = catalogueListings();
    assert.equal(list[0].code, '0001');
    assert.ok(list.some((l) => l.code === '005930'));
    assert.ok(list.some((l) => l.code === 'DAMSSPY' && l.kind === 'etf'));
    assert.equal(pickRows(listingSearch(list), 'apple', new Set())[0].code, 'DNASAAPL');
  });

  it('says why nothing matched: a delayed (paid) market, or a name in no list', () => {
    assert.match(noMatchMessage('DHKS00003', 10), /Hong Kong \(HKS\) quotes are delayed 15 minutes/);
    assert.match(noMatchMessage('tse: 7203', 10), /Tokyo/);
    assert.match(noMatchMessage('  ZZZZ ', 2712), /"ZZZZ" is not in the 2712 listings/);
  });

  it('says how old a list is', () => {
    assert.deepEqual([0, 60_000, 5 * 60_000, 3_600_000, 5 * 3_600_000, 3 * 86_400_000].map(describeAge), [
      'just now',
      '1 minute ago',
      '5 minutes ago',
      '1 hour ago',
      '5 hours ago',
      '3 days ago',
    ]);
  });
});
