import * as assert from 'node:assert/strict';
import {
  isDataSource,
  isKisSource,
  isKrxCode,
  isSymbolCode,
  parseSymbolInput,
  parseSymbolList,
  symbolMarket,
} from '../../../src/market';
import { isSymbol } from '../../../src/shared/webviewValidation';
import { KST_OFFSET_MS, formatKstClock, formatKstDate, kstMidnight } from '../../../src/market/time';

describe('market symbol rules (one rule for agent, watchlist input and webview)', () => {
  const good = ['005930', '000660', '0088M0', '0126Z0', 'Q500001'];
  const bad = [
    '',
    '593',
    '0059300',
    '00593a',
    'Q50000A',
    'Q5000011',
    ' 005930',
    '005930\n',
    'DNASaapl',
    'DXXXAAPL',
    'RBAXAAPL',
  ];

  it('accepts KRX short codes, alphanumeric codes and ETN Q codes everywhere', () => {
    for (const code of good) {
      assert.equal(symbolMarket(code), 'krx', code);
      assert.equal(isKrxCode(code), true, code);
      assert.equal(isSymbolCode(code), true, code);
      assert.equal(isSymbol(code), true, `webview ${code}`);
      assert.equal(parseSymbolInput(code).kind === 'invalid', false, `input ${code}`);
    }
    assert.deepEqual(parseSymbolList(good.join(',')).codes, good);
  });

  it('refuses the same malformed codes everywhere', () => {
    for (const code of bad) {
      assert.equal(symbolMarket(code), undefined, JSON.stringify(code));
      assert.equal(isSymbolCode(code), false, JSON.stringify(code));
      assert.equal(isSymbol(code), false, `webview ${JSON.stringify(code)}`);
    }
    assert.equal(isSymbolCode(5930), false);
  });
});

describe('market time', () => {
  it('is UTC+9 with no daylight saving', () => {
    assert.equal(KST_OFFSET_MS, 9 * 3_600_000);
    assert.equal(formatKstDate(new Date(Date.UTC(2026, 6, 1, 15, 0, 0))), '20260702');
    assert.equal(formatKstClock(Date.UTC(2026, 0, 1, 23, 59, 59)), '08:59:59');
  });

  it('finds the KST midnight that starts the Seoul day', () => {
    const t = Date.UTC(2026, 10, 25, 14, 59, 59); // 23:59:59 KST on the 25th
    assert.equal(kstMidnight(t), Date.UTC(2026, 10, 24, 15, 0, 0));
    assert.equal(kstMidnight(Date.UTC(2026, 10, 25, 15, 0, 0)), Date.UTC(2026, 10, 25, 15, 0, 0));
  });
});

describe('market data sources', () => {
  it('names the simulator and the two KIS sources, and nothing else', () => {
    assert.deepEqual(['simulator', 'paper', 'real', 'Paper', '', undefined].map(isDataSource), [
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    assert.deepEqual(['simulator', 'paper', 'real', 'embedded'].map(isKisSource), [false, true, true, false]);
  });
});

describe('index and US symbol rules', () => {
  it('knows index codes by four digits and names KOSPI, KOSDAQ, KOSPI 200', async () => {
    const { isIndexCode, indexName, KNOWN_INDICES } = await import('../../../src/market/symbols');
    for (const code of ['0001', '1001', '2001']) {
      assert.equal(symbolMarket(code), 'index', code);
      assert.equal(isIndexCode(code), true);
      assert.equal(isSymbolCode(code), true);
    }
    assert.equal(isKrxCode('0001'), false);
    assert.deepEqual(
      KNOWN_INDICES.map((i) => indexName(i.code)),
      ['KOSPI', 'KOSDAQ', 'KOSPI 200'],
    );
    assert.equal(indexName('0128'), undefined);
  });

  it('knows US keys (D + NAS/NYS/AMS, R + BAQ/BAY/BAA) before KRX codes, and builds and parses them', async () => {
    const { isUsKey, parseUsKey, usKey } = await import('../../../src/market/symbols');
    for (const code of ['DNASAAPL', 'DNYSBRK.B', 'DAMSSPY', 'RBAQAAPL', 'DNASAB']) {
      assert.equal(symbolMarket(code), 'us', code);
      assert.equal(isUsKey(code), true, code);
      assert.equal(isKrxCode(code), false, code);
    }
    assert.deepEqual(parseUsKey('DNYSKO'), { exchange: 'NYS', ticker: 'KO', daySession: false });
    assert.deepEqual(parseUsKey('RBAAGLD'), { exchange: 'AMS', ticker: 'GLD', daySession: true });
    assert.equal(parseUsKey('005930'), undefined);
    assert.equal(usKey('NAS', 'NVDA'), 'DNASNVDA');
    assert.equal(usKey('NYS', 'KO', true), 'RBAYKO');
  });
});
