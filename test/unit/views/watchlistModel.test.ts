import assert from 'node:assert/strict';
import type { QuoteState } from '../../../src/shared/snapshot';
import type { Sign } from '../../../src/kis/types';
import { formatMessage } from '../../../src/common/translate';
import {
  buildRow,
  colorIdFor,
  directionOf,
  iconIdFor,
  isStale,
  WatchlistModel,
  type RowContext,
} from '../../../src/views/watchlist/watchlistModel';
import { MarketModel } from '../../../src/feed/model/readModel';
/** A watchlist model over the feed's read model; `apply` delivers quotes as the feed does (model first). */
function watchlistOver(): { model: WatchlistModel; market: MarketModel; apply(quotes: QuoteState[]): string[] } {
  const market = new MarketModel();
  const model = new WatchlistModel(market);
  return {
    model,
    market,
    apply: (quotes) => {
      market.applySnapshot({ quotes, bars: [], books: [] });
      return model.applyQuotes(quotes);
    },
  };
}

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);

function quote(symbol: string, over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol,
    last: 71900,
    change: 1200,
    rate: 1.7,
    sign: '2',
    volume: 3052507,
    value: 219853241700,
    open: 71000,
    high: 72500,
    low: 70800,
    vwap: 72023.83,
    bestBid: 71800,
    bestAsk: 71900,
    lastTickTime: '093015',
    businessDate: '20261125',
    lastUpdateAt: NOW - 1000,
    halted: false,
    trades: 12,
    ...over,
  };
}

const ctx = (over: Partial<RowContext> = {}): RowContext => ({
  now: NOW,
  marketOpen: true,
  staleAfterMs: 30_000,
  convention: 'korean',
  language: 'en',
  t: formatMessage,
  ...over,
});

describe('watchlistModel', () => {
  it('maps KIS sign codes to directions', () => {
    const cases: Array<[Sign | undefined, string]> = [
      ['1', 'up'],
      ['2', 'up'],
      ['3', 'flat'],
      ['4', 'down'],
      ['5', 'down'],
      [undefined, 'none'],
    ];
    for (const [sign, direction] of cases) assert.equal(directionOf(sign), direction);
  });

  it('colours red up / blue down by default and green up / red down in the Western convention', () => {
    assert.equal(colorIdFor('up', 'korean'), 'kisMarket.up');
    assert.equal(colorIdFor('down', 'korean'), 'kisMarket.down');
    assert.equal(colorIdFor('up', 'western'), 'kisMarket.westernUp');
    assert.equal(colorIdFor('down', 'western'), 'kisMarket.westernDown');
    assert.equal(colorIdFor('flat', 'western'), 'kisMarket.flat');
    assert.equal(colorIdFor('none', 'korean'), 'kisMarket.flat');
  });

  it('picks icons for limit moves, plain moves, stale and halted rows', () => {
    assert.equal(iconIdFor('1', false, false), 'arrow-circle-up');
    assert.equal(iconIdFor('2', false, false), 'triangle-up');
    assert.equal(iconIdFor('3', false, false), 'dash');
    assert.equal(iconIdFor('4', false, false), 'arrow-circle-down');
    assert.equal(iconIdFor('5', false, false), 'triangle-down');
    assert.equal(iconIdFor(undefined, false, false), 'circle-outline');
    assert.equal(iconIdFor('2', true, false), 'watch');
    assert.equal(iconIdFor('2', true, true), 'debug-pause');
  });

  it('labels a row with a short name, the price and the rate, and starts the description with the change', () => {
    const row = buildRow('005930', quote('005930'), 0, 2, ctx());
    assert.equal(row.id, 'kisMarket.symbol.005930');
    assert.equal(row.label, 'Samsung Elec  71,900  +1.70%');
    assert.equal(row.description, '+1,200');
    assert.equal(row.iconId, 'triangle-up');
    assert.equal(row.colorId, 'kisMarket.up');
    assert.equal(row.stale, false);
    assert.equal(row.contextValue, 'symbol canMoveDown holdable');
    assert.equal(buildRow('005930', quote('005930'), 0, 1, ctx({ language: 'ko' })).label, '삼성전자  71,900  +1.70%');
    assert.equal(
      buildRow('123456', undefined, 1, 2, ctx()).label,
      '123456',
      'a code the catalogue does not know is its KRX short code',
    );
  });

  it('keeps price and change in the label, which fits the default sidebar width (~300 px)', () => {
    // VS Code cuts the description before the label. About 7 px per character of the UI font, 16 px of
    // indent, 22 px of icon and two inline actions of 22 px each leave ~240 px: 34 characters.
    const widest = buildRow(
      '005930',
      quote('005930', { last: 1_234_000, change: -123_000, rate: -29.99, sign: '4' }),
      0,
      1,
      ctx(),
    );
    assert.equal(widest.label, 'Samsung Elec  1,234,000  -29.99%');
    assert.ok(widest.label.length <= 34, `${widest.label.length} characters`);
    assert.ok(!widest.description.includes('1,234,000'), 'the price is not left to the description');
  });

  it('greys out and says "not live" when no session streams; the prices stay readable', () => {
    const row = buildRow('005930', quote('005930'), 0, 1, ctx({ live: false }));
    assert.equal(row.colorId, 'disabledForeground');
    assert.equal(row.label, 'Samsung Elec  71,900  +1.70%');
    assert.equal(row.description, '+1,200 · not live');
    assert.ok(row.tooltip.includes('Not live: no session is streaming, this is the last price received.'), row.tooltip);
    assert.equal(buildRow('005930', quote('005930'), 0, 1, ctx({ live: true })).colorId, 'kisMarket.up');
    assert.equal(
      buildRow('005930', undefined, 0, 1, ctx({ live: false })).description,
      'waiting for data',
      'no price, nothing to grey out',
    );
  });

  it('says when no data arrived yet and colours a falling row blue', () => {
    assert.equal(buildRow('005930', undefined, 0, 1, ctx()).description, 'waiting for data');
    assert.equal(
      buildRow('005930', undefined, 0, 1, ctx()).label,
      'Samsung Elec',
      'the name alone before the first price',
    );
    const down = buildRow(
      '005930',
      quote('005930', { last: 70000, change: -700, rate: -0.99, sign: '5' }),
      1,
      2,
      ctx(),
    );
    assert.equal(down.label, 'Samsung Elec  70,000  -0.99%');
    assert.equal(down.colorId, 'kisMarket.down');
    assert.equal(down.contextValue, 'symbol canMoveUp holdable');
  });

  it('puts OHLC, volume, VWAP, bid/ask and the tick time in the tooltip', () => {
    const row = buildRow('005930', quote('005930'), 0, 1, ctx());
    for (const part of [
      '**삼성전자**',
      'Samsung Electronics',
      '`005930`',
      'KOSPI',
      '| Open / High / Low | 71,000 / 72,500 / 70,800 |',
      '| Volume | 3.05M · VWAP 72,023.83 |',
      '| Bid / Ask | 71,800 / 71,900 |',
      '| Last tick | 09:30:15 KST |',
    ]) {
      assert.ok(row.tooltip.includes(part), `${part} in\n${row.tooltip}`);
    }
    assert.ok(buildRow('005930', undefined, 0, 1, ctx()).tooltip.includes('No trade received yet.'));
  });

  it('marks a row stale only during market hours, after staleAfterSeconds', () => {
    const old = quote('005930', { lastUpdateAt: NOW - 31_000 });
    assert.equal(isStale(old, ctx()), true);
    assert.equal(isStale(old, ctx({ marketOpen: false })), false, 'a quiet closed market is not stale');
    assert.equal(isStale(quote('005930', { lastUpdateAt: NOW - 29_000 }), ctx()), false);
    assert.equal(isStale(undefined, ctx()), false);
    const row = buildRow('005930', old, 0, 1, ctx());
    assert.equal(row.stale, true);
    assert.match(row.description, / · stale$/);
    assert.equal(row.iconId, 'watch');
    assert.ok(row.tooltip.includes('No tick since 09:59:29 KST during market hours.'), row.tooltip);
  });

  it('shows a halted symbol', () => {
    const row = buildRow('005930', quote('005930', { halted: true }), 0, 1, ctx());
    assert.match(row.description, /halted/);
    assert.ok(row.tooltip.includes('Trading is halted.'));
  });

  it('escapes markdown in names it did not write', () => {
    // Unknown codes have no catalogue name, so the tooltip shows only the code in backticks.
    assert.ok(buildRow('999999', quote('999999'), 0, 1, ctx()).tooltip.startsWith('`999999`'));
  });

  describe('WatchlistModel', () => {
    it('adds valid codes once, in order, and reports what it added', () => {
      const { model } = watchlistOver();
      assert.deepEqual(model.add(['005930', '000660', '005930', 'abc']), ['005930', '000660']);
      assert.deepEqual(model.add(['000660', '035420']), ['035420']);
      assert.deepEqual(model.symbols, ['005930', '000660', '035420']);
      assert.equal(model.size, 3);
      assert.equal(model.has('000660'), true);
    });

    it('restores a persisted list, dropping junk and duplicates', () => {
      const { model } = watchlistOver();
      model.setSymbols(['005930', 42, 'x', '005930', '000660']);
      assert.deepEqual(model.symbols, ['005930', '000660']);
    });

    it('moves rows up and down within bounds', () => {
      const { model } = watchlistOver();
      model.add(['A00000'.replace('A', '1'), '200000', '300000']);
      assert.equal(model.move('300000', -1), true);
      assert.deepEqual(model.symbols, ['100000', '300000', '200000']);
      assert.equal(model.move('100000', -1), false);
      assert.equal(model.move('200000', 1), false);
      assert.equal(model.move('999999', 1), false);
      assert.equal(model.move('100000', 1), true);
      assert.deepEqual(model.symbols, ['300000', '100000', '200000']);
      assert.equal(model.indexOf('200000'), 2);
    });

    it('keeps quotes only for listed symbols and reports the changed ones', () => {
      const { model, apply, market } = watchlistOver();
      model.add(['005930', '000660']);
      assert.deepEqual(apply([quote('005930'), quote('111111'), quote('005930', { last: 72000 })]), ['005930']);
      assert.equal(model.quote('005930')?.last, 72000);
      assert.equal(model.quote('111111'), undefined, 'a late quote after unsubscribe does not come back');
      assert.deepEqual(
        model.allQuotes().map((q) => q.symbol),
        ['005930'],
      );
      assert.equal(model.remove('005930'), true);
      assert.equal(model.remove('005930'), false);
      assert.equal(model.quote('005930'), undefined);
      apply([quote('000660')]);
      market.clear(); // the feed resets its read model, then the view forgets what it showed
      model.clearQuotes();
      assert.deepEqual(model.allQuotes(), []);
    });

    it('reports rows whose staleness changed since they were last drawn', () => {
      const { model, apply } = watchlistOver();
      model.add(['005930', '000660']);
      apply([quote('005930', { lastUpdateAt: NOW - 60_000 }), quote('000660')]);
      const c = ctx();
      assert.deepEqual(model.staleChanges(c), ['005930']);
      const row = model.row('005930', c);
      assert.ok(row);
      model.markShown(row);
      assert.deepEqual(model.staleChanges(c), []);
      apply([quote('005930', { lastUpdateAt: NOW })]);
      assert.deepEqual(model.staleChanges(c), ['005930'], 'fresh again');
      model.markShown({ symbol: '005930', stale: false });
      assert.deepEqual(model.staleChanges(c), []);
      assert.equal(model.row('999999', c), undefined);
    });
  });
});

describe('watchlist tooltip: data gaps', () => {
  it('names the interval a symbol missed after a lost connection, only once the gap is closed', () => {
    const from = Date.UTC(2026, 10, 25, 1, 0, 5); // 10:00:05 KST
    const to = from + 3000;
    const withGap = buildRow(
      '005930',
      quote('005930'),
      0,
      1,
      ctx({ gapOf: () => ({ trId: 'H0STCNT0', trKey: '005930', from, to, reason: 'Connection closed (code 1006)' }) }),
    );
    assert.match(withGap.tooltip, /Missed data from 10:00:05 to 10:00:08 KST: the connection was lost\./);
    const open = buildRow(
      '005930',
      quote('005930'),
      0,
      1,
      ctx({ gapOf: () => ({ trId: 'H0STCNT0', trKey: '005930', from, reason: 'x' }) }),
    );
    assert.doesNotMatch(open.tooltip, /Missed data/);
    assert.doesNotMatch(buildRow('005930', quote('005930'), 0, 1, ctx()).tooltip, /Missed data/);
  });
});
