import * as assert from 'node:assert/strict';
import {
  bookView,
  directionOfSign,
  isLimitSign,
  mergeBars,
  neighbourSymbol,
  NO_VALUE,
  parseStoredState,
  rowView,
  tickFlash,
  TickerModel,
  withAlpha,
} from '../../../src/webview/model';
import type { Bar } from '../../../src/shared/snapshot';
import { quoteDelta, toBarColumns, type InitMessage } from '../../../src/shared/webviewProtocol';
import { bar, book, quote, strings } from './fixtures';

describe('webview model: formatting', () => {
  it('maps sign codes to directions and limits', () => {
    assert.deepEqual((['1', '2', '3', '4', '5'] as const).map(directionOfSign), ['up', 'up', 'flat', 'down', 'down']);
    assert.deepEqual((['1', '2', '3', '4', '5'] as const).map(isLimitSign), [true, false, false, true, false]);
  });

  it('formats a row: grouped price, signed change and rate, compact volume', () => {
    assert.deepEqual(rowView('005930', '삼성전자', quote('005930')), {
      symbol: '005930',
      name: '삼성전자',
      code: '005930',
      last: '71,900',
      change: '+1,200',
      rate: '+1.70%',
      volume: '3.05M',
      direction: 'up',
      limit: false,
      halted: false,
      strength: '–',
      volumeRatio: '–',
      vwap: '71,650',
    });
    const falling = rowView(
      '000660',
      undefined,
      quote('000660', { last: 183500, change: -2500, rate: -1.34, sign: '4', halted: true }),
    );
    assert.equal(falling.name, '000660', 'the code stands in for an unknown name');
    assert.equal(falling.change, '-2,500');
    assert.equal(falling.rate, '-1.34%');
    assert.equal(falling.direction, 'down');
    assert.equal(falling.limit, true);
    assert.equal(falling.halted, true);
  });

  it('shows placeholders before the first quote, and the code for a blank name', () => {
    const row = rowView('005930', '  ', undefined);
    assert.equal(row.name, '005930');
    assert.deepEqual([row.last, row.change, row.rate, row.volume], [NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE]);
    assert.equal(row.direction, 'flat');
  });

  it('shows the best bid/ask from the book with sizes, else from the quote, else a placeholder', () => {
    assert.deepEqual(bookView('005930', book('005930', 71800, 71900), quote('005930')), {
      bid: '71,800 × 1.2K',
      ask: '71,900 × 3.4K',
    });
    assert.deepEqual(bookView('005930', undefined, quote('005930', { bestBid: 100, bestAsk: 0 })), {
      bid: '100',
      ask: NO_VALUE,
    });
    assert.deepEqual(bookView('005930', book('005930', 0, 0), undefined), { bid: NO_VALUE, ask: NO_VALUE });
    assert.deepEqual(
      bookView(
        '005930',
        book('005930', 50, 60, { bids: [{ price: 50, size: 0 }], asks: [] }),
        quote('005930', { bestAsk: 70 }),
      ),
      {
        bid: '50',
        ask: '70',
      },
    );
  });

  it('flashes by the direction of the last trade, flat for a same-price trade, not at all otherwise', () => {
    const before = quote('005930', { last: 100, trades: 1, volume: 10 });
    assert.equal(tickFlash(undefined, before), undefined);
    assert.equal(tickFlash(before, { ...before, last: 101, trades: 2 }), 'up');
    assert.equal(tickFlash(before, { ...before, last: 99, trades: 2 }), 'down');
    assert.equal(tickFlash(before, { ...before, trades: 2, volume: 11 }), 'flat');
    assert.equal(tickFlash(before, { ...before, bestBid: 1 }), undefined);
  });

  it('adds transparency to the colour formats VS Code themes use', () => {
    assert.equal(withAlpha('#ff0000', 0.5), '#ff000080');
    assert.equal(withAlpha('#F00', 1), '#ff0000ff');
    assert.equal(withAlpha('#f008', 0.5), '#ff000044');
    assert.equal(withAlpha('#11223380', 0.5), '#11223340');
    assert.equal(withAlpha(' rgb(1, 2, 3) ', 0.25), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('rgba(1,2,3,0.5)', 0.5), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('#ff0000', 7), '#ff0000ff', 'alpha is clamped');
    assert.equal(withAlpha('red', 0.5), 'red', 'unknown formats are left opaque');
  });

  it('moves the selection up and down the list, clamped', () => {
    const symbols = ['A00001', 'A00002', 'A00003'];
    assert.equal(neighbourSymbol(symbols, 'A00002', 1), 'A00003');
    assert.equal(neighbourSymbol(symbols, 'A00003', 1), 'A00003');
    assert.equal(neighbourSymbol(symbols, 'A00001', -1), 'A00001');
    assert.equal(neighbourSymbol(symbols, undefined, 1), 'A00001');
    assert.equal(neighbourSymbol(symbols, 'Z99999', -1), 'A00001');
    assert.equal(neighbourSymbol([], 'A00001', 1), undefined);
  });

  it('restores only a well-formed selection from getState', () => {
    assert.deepEqual(parseStoredState({ selected: '005930' }), { selected: '005930' });
    assert.deepEqual(parseStoredState({ selected: 'x' }), {});
    assert.deepEqual(parseStoredState(undefined), {});
    assert.deepEqual(parseStoredState('005930'), {});
  });
});

describe('webview model: mergeBars', () => {
  it('appends newer bars and replaces the current minute as a tail change', () => {
    const bars: Bar[] = [bar('005930', 1)];
    assert.equal(mergeBars(bars, [bar('005930', 1, { close: 7 }), bar('005930', 2)]), 'tail');
    assert.deepEqual(
      bars.map((b) => [b.time / 60, b.close]),
      [
        [1, 7],
        [2, 105],
      ],
    );
    assert.equal(mergeBars(bars, []), 'none');
  });

  it('replaces or inserts an older bar in order, as a rebuild', () => {
    const bars: Bar[] = [bar('005930', 1), bar('005930', 3), bar('005930', 5)];
    assert.equal(mergeBars(bars, [bar('005930', 3, { close: 1 })]), 'rebuild');
    assert.equal(mergeBars(bars, [bar('005930', 4), bar('005930', 6)]), 'rebuild');
    assert.deepEqual(
      bars.map((b) => b.time / 60),
      [1, 3, 4, 5, 6],
    );
    assert.equal(bars[1].close, 1);
    assert.equal(mergeBars(bars, [bar('005930', 0)]), 'rebuild');
    assert.equal(bars[0].time, 0);
  });

  it('keeps at most max bars, dropping the oldest', () => {
    const bars: Bar[] = [bar('005930', 1), bar('005930', 2)];
    assert.equal(mergeBars(bars, [bar('005930', 3)], 2), 'rebuild');
    assert.deepEqual(
      bars.map((b) => b.time / 60),
      [2, 3],
    );
  });
});

function initMessage(overrides: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    surface: 'view',
    symbols: ['005930', '000660'],
    names: { '005930': '삼성전자' },
    quotes: [quote('005930', { last: 100 }), quote('035720')],
    bars: { '005930': toBarColumns([bar('005930', 2), bar('005930', 1)]), '035720': toBarColumns([bar('035720', 1)]) },
    books: [book('005930'), book('035720')],
    selected: undefined,
    colorConvention: 'korean',
    strings: strings(),
    ...overrides,
  };
}

describe('webview model: TickerModel', () => {
  it('ignores everything but init and config before the first init', () => {
    const model = new TickerModel();
    assert.equal(model.initialized, false);
    assert.equal(model.apply({ type: 'snapshot', quotes: [quote('005930')], bars: [], books: [] }).rows.size, 0);
    assert.equal(model.apply({ type: 'watchlist', symbols: ['005930'], names: {} }).structure, false);
    assert.equal(model.apply({ type: 'select', symbol: '005930' }).selection, false);
    assert.equal(model.apply({ type: 'config', colorConvention: 'western' }).theme, true);
    assert.equal(model.convention, 'western');
    assert.equal(model.strings, undefined);
  });

  it('takes the full state from init, keeping only listed symbols, bars sorted', () => {
    const model = new TickerModel();
    const change = model.apply(initMessage({ surface: 'panel' }));
    assert.deepEqual(
      {
        structure: change.structure,
        chart: change.chart,
        book: change.book,
        theme: change.theme,
        selection: change.selection,
      },
      { structure: true, chart: 'reset', book: true, theme: true, selection: true },
    );
    assert.equal(model.initialized, true);
    assert.equal(model.surface, 'panel');
    assert.deepEqual(model.symbols, ['005930', '000660']);
    assert.equal(model.nameOf('005930'), '삼성전자');
    assert.equal(model.nameOf('000660'), '000660');
    assert.equal(model.row('005930').last, '100');
    assert.equal(model.quoteOf('035720'), undefined);
    assert.deepEqual(
      model.barsOf('005930').map((b) => b.time / 60),
      [1, 2],
    );
    assert.deepEqual(model.barsOf('035720'), []);
    assert.equal(model.bookOf('005930').bid, '71,800 × 1.2K');
    assert.equal(model.selected, '005930', 'the first symbol by default');
  });

  it('selects what the extension names, else the restored choice, else the first symbol', () => {
    const named = new TickerModel('000660');
    named.apply(initMessage({ selected: '005930' }));
    assert.equal(named.selected, '005930');
    const restored = new TickerModel('000660');
    const change = restored.apply(initMessage());
    assert.equal(restored.selected, '000660');
    assert.equal(change.selection, false);
    const stale = new TickerModel('035720');
    stale.apply(initMessage());
    assert.equal(stale.selected, '005930');
    const empty = new TickerModel('005930');
    empty.apply(initMessage({ symbols: [] }));
    assert.equal(empty.selected, undefined);
  });

  it('drops duplicate codes from the list', () => {
    const model = new TickerModel();
    model.apply(initMessage({ symbols: ['005930', '005930', '000660'] }));
    assert.deepEqual(model.symbols, ['005930', '000660']);
  });

  it('applies snapshot quotes to listed rows with their flash, and flags the selected book', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    const change = model.apply({
      type: 'snapshot',
      quotes: [quote('005930', { last: 101 }), quote('000660'), quote('035720')],
      bars: [],
      books: [],
    });
    assert.deepEqual(
      [...change.rows],
      [
        ['005930', 'up'],
        ['000660', undefined],
      ],
    );
    assert.equal(change.book, true);
    assert.equal(change.chart, 'none');
    assert.equal(model.row('005930').last, '101');
  });

  it('merges a quote change onto the quote it has; a partial change of a symbol without a quote is ignored', () => {
    const model = new TickerModel();
    model.apply(initMessage({ quotes: [quote('005930', { last: 100, volume: 10 })] }));
    const change = model.apply({
      type: 'snapshot',
      quotes: [
        { symbol: '005930', last: 99 },
        { symbol: '000660', last: 5 },
      ],
      bars: [],
      books: [],
    });
    assert.deepEqual([...change.rows], [['005930', 'down']]);
    assert.equal(model.row('005930').last, '99');
    assert.equal(model.row('005930').volume, '10', 'fields the change does not carry are kept');
    assert.equal(model.quoteOf('000660'), undefined);
    model.apply({ type: 'snapshot', quotes: [quote('000660', { last: 7 })], bars: [], books: [] });
    assert.equal(model.row('000660').last, '7', 'a whole quote is taken as it is');
  });

  it('drops the expected price at the open: the delta clears it (JSON, as a webview message travels) and the row shows the trade', () => {
    const model = new TickerModel();
    const auction = quote('005930', {
      last: 69_500,
      expected: { price: 71_200, change: 1_700, rate: 2.45, sign: '2', volume: 1, time: '085900', exchange: 'unified' },
    });
    model.apply(initMessage({ quotes: [auction] }));
    assert.equal(model.row('005930').last, '≈71,200');
    const { expected: _gone, ...open } = { ...auction, last: 71_300, trades: 1 };
    const delta = quoteDelta(auction, open);
    assert.ok(delta !== undefined);
    model.apply(
      JSON.parse(JSON.stringify({ type: 'snapshot', quotes: [delta], bars: [], books: [] })) as Parameters<
        TickerModel['apply']
      >[0],
    );
    assert.equal(model.row('005930').last, '71,300');
    assert.equal(model.quoteOf('005930')?.expected, undefined);
  });

  it('flags the book for a selected-symbol book update only', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    assert.equal(
      model.apply({ type: 'snapshot', quotes: [], bars: [], books: [book('000660'), book('035720')] }).book,
      false,
    );
    const change = model.apply({ type: 'snapshot', quotes: [], bars: [], books: [book('005930', 1, 2)] });
    assert.equal(change.book, true);
    assert.equal(model.bookOf('005930').bid, '1 × 1.2K');
  });

  it('feeds the chart tail bars of the selected symbol and stores the others quietly', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    const change = model.apply({
      type: 'snapshot',
      quotes: [],
      bars: [bar('005930', 3), bar('005930', 2, { close: 1 }), bar('000660', 1), bar('035720', 9)],
      books: [],
    });
    assert.equal(change.chart, 'tail');
    assert.deepEqual(
      change.tailBars.map((b) => b.time / 60),
      [2, 3],
    );
    assert.deepEqual(
      model.barsOf('005930').map((b) => [b.time / 60, b.close]),
      [
        [1, 105],
        [2, 1],
        [3, 105],
      ],
    );
    assert.equal(model.barsOf('000660').length, 1);
    assert.equal(model.barsOf('035720').length, 0);
    assert.equal(model.apply({ type: 'snapshot', quotes: [], bars: [bar('000660', 2)], books: [] }).chart, 'none');
  });

  it('asks for a chart reset when an older bar of the selected symbol changes', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    const change = model.apply({ type: 'snapshot', quotes: [], bars: [bar('005930', 1, { close: 3 })], books: [] });
    assert.equal(change.chart, 'reset');
    assert.deepEqual(change.tailBars, []);
  });

  it('follows a watchlist change: drops state of removed symbols and reselects', () => {
    const model = new TickerModel();
    model.apply(initMessage({ selected: '005930' }));
    const change = model.apply({ type: 'watchlist', symbols: ['000660', '035720'], names: { '035720': '카카오' } });
    assert.equal(change.structure, true);
    assert.equal(change.selection, true);
    assert.equal(change.chart, 'reset');
    assert.equal(model.selected, '000660');
    assert.equal(model.quoteOf('005930'), undefined);
    assert.deepEqual(model.barsOf('005930'), []);
    assert.equal(model.nameOf('035720'), '카카오');
    const kept = model.apply({ type: 'watchlist', symbols: ['035720', '000660'], names: {} });
    assert.equal(kept.selection, false);
    assert.deepEqual(model.symbols, ['035720', '000660']);
  });

  it('selects listed symbols only, and reports no change for the current one', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    assert.equal(model.apply({ type: 'select', symbol: '035720' }).selection, false);
    assert.equal(model.apply({ type: 'select', symbol: '005930' }).selection, false);
    const change = model.apply({ type: 'select', symbol: '000660' });
    assert.deepEqual([change.selection, change.chart, change.book], [true, 'reset', true]);
    assert.equal(model.selected, '000660');
    assert.equal(model.selectLocal('000660'), false);
    assert.equal(model.selectLocal('005930'), true);
  });

  it('reports a theme change only when the convention really changes', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    assert.equal(model.apply({ type: 'config', colorConvention: 'korean' }).theme, false);
    assert.equal(model.apply({ type: 'config', colorConvention: 'western' }).theme, true);
  });

  it('replaces its state on a second init (replay after the view was hidden)', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    model.apply({ type: 'snapshot', quotes: [quote('000660', { last: 5 })], bars: [bar('000660', 7)], books: [] });
    model.apply(initMessage({ quotes: [], bars: {} }));
    assert.equal(model.quoteOf('000660'), undefined);
    assert.deepEqual(model.barsOf('000660'), []);
    assert.deepEqual(model.barsOf('005930'), []);
  });
});
