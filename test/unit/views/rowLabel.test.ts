// What a watchlist row says first at the default sidebar width (src/views/watchlist/rowLabel.ts, watchlistModel.ts):
// a name a person knows, the price and the percent, for each kind of symbol and display language; never a
// TR key.
import assert from 'node:assert/strict';
import { formatMessage } from '../../../src/common/translate';
import type { QuoteState } from '../../../src/shared/snapshot';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';
import { fitColumns, shortName, SHORT_NAME_COLUMNS } from '../../../src/views/watchlist/rowLabel';
import { displayWidth } from '../../../src/views/textTable';
import { CATALOGUE } from '../../../src/market/catalogue';

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);

function quote(symbol: string, over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol,
    last: 72300,
    change: 400,
    rate: 0.56,
    sign: '2',
    volume: 1,
    value: 1,
    open: 1,
    high: 1,
    low: 1,
    vwap: 0,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '093015',
    businessDate: '20261125',
    lastUpdateAt: NOW,
    halted: false,
    trades: 1,
    ...over,
  };
}

const ctx = (language: string): RowContext => ({
  now: NOW,
  marketOpen: true,
  staleAfterMs: 30_000,
  convention: 'korean',
  language,
  t: formatMessage,
});

describe('views: row labels a person reads at 300 px', () => {
  it('labels a KRX stock by its short English or Korean name, then the price and the percent', () => {
    assert.equal(buildRow('005930', quote('005930'), 0, 1, ctx('en')).label, 'Samsung Elec  72,300  +0.56%');
    assert.equal(buildRow('005930', quote('005930'), 0, 1, ctx('ko')).label, '삼성전자  72,300  +0.56%');
    assert.equal(
      buildRow('000660', quote('000660', { last: 201000 }), 0, 1, ctx('en')).label,
      'SK hynix  201,000  +0.56%',
    );
    assert.equal(
      buildRow('005930', quote('005930'), 0, 1, ctx('en')).description,
      '+400',
      'the change amount leads the description',
    );
  });

  it('labels an index by its name with two decimals and no currency', () => {
    const kospi = quote('0001', { last: 2662.77, change: 12.77, rate: 0.48 });
    assert.equal(buildRow('0001', kospi, 0, 1, ctx('en')).label, 'KOSPI  2,662.77  +0.48%');
    assert.equal(buildRow('0001', kospi, 0, 1, ctx('ko')).label, 'KOSPI  2,662.77  +0.48%');
    assert.equal(
      buildRow('1001', quote('1001', { last: 870.5, rate: -0.1 }), 0, 1, ctx('en')).label,
      'KOSDAQ  870.50  -0.10%',
    );
    assert.equal(
      buildRow('0005', undefined, 0, 1, ctx('en')).label,
      'Index 0005',
      'an index we cannot name still says it is one',
    );
  });

  it('labels a US stock by its ticker, in dollars with cents', () => {
    const apple = quote('DNASAAPL', { last: 188.36, change: -1.14, rate: -0.6 });
    assert.equal(buildRow('DNASAAPL', apple, 0, 1, ctx('en')).label, 'AAPL  $188.36  -0.60%');
    assert.equal(buildRow('RBAQAAPL', apple, 0, 1, ctx('ko')).label, 'AAPL  $188.36  -0.60%');
    assert.equal(buildRow('DNASAAPL', apple, 0, 1, ctx('en')).description.split(' · ')[0], '-$1.14');
  });

  it('never labels a row with a TR key, before or after its first price', () => {
    const keys = ['0001', '1001', '2001', '0005', 'DNASAAPL', 'DNYSKO', 'RBAQAAPL', 'DAMSSPY', 'DNASZZZZ'];
    for (const key of keys) {
      for (const language of ['en', 'ko']) {
        for (const q of [undefined, quote(key, { last: 100 })]) {
          const label = buildRow(key, q, 0, 1, ctx(language)).label;
          // The name part (before the two spaces that lead the price) is never the key itself.
          assert.notEqual(label.split('  ')[0], key, `${key} (${language}) labelled "${label}"`);
        }
      }
    }
  });

  it('keeps every catalogue name within 14 columns, so name, price and percent fit ~240 px', () => {
    assert.equal(SHORT_NAME_COLUMNS, 14);
    for (const entry of CATALOGUE) {
      for (const language of ['en', 'ko']) {
        const name = shortName(entry.code, language, formatMessage);
        assert.ok(displayWidth(name) <= 14, `${entry.code} ${language}: "${name}" is ${displayWidth(name)} columns`);
      }
    }
    assert.equal(fitColumns('한화에어로스페이스', 14), '한화에어로스…', 'cut at a whole character, with an ellipsis');
    assert.equal(fitColumns('HMM', 14), 'HMM');
  });
});
