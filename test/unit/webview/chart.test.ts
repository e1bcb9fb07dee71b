// The ticker chart's REST history between the extension and the webview: the new messages' validation, the
// webview model's chart state (history, daily view, extra columns), and the extension's ChartLoader.
import * as assert from 'node:assert/strict';
import type { ChartOutcome } from '../../../src/feed';
import {
  toBarColumns,
  fromBarColumns,
  type ChartDataMessage,
  type InitMessage,
} from '../../../src/shared/webviewProtocol';
import { checkExtensionMessage, checkWebviewMessage } from '../../../src/shared/webviewValidation';
import { ChartLoader, type ChartTarget } from '../../../src/views/ticker/chartLoader';
import { TickerModel, rowView, vwapPoints } from '../../../src/webview/model';
import { bar, book, quote, strings } from './fixtures';

const WATCHLIST: ReadonlySet<string> = new Set(['005930', '000660']);

describe('webview protocol: chart messages', () => {
  it('accepts a chartView request for a listed symbol and refuses anything else, strictly', () => {
    assert.deepEqual(checkWebviewMessage({ type: 'chartView', symbol: '005930', view: 'daily' }, WATCHLIST), {
      ok: true,
      message: { type: 'chartView', symbol: '005930', view: 'daily' },
    });
    const refusals: [unknown, RegExp][] = [
      [{ type: 'chartView', symbol: '005930', view: 'weekly' }, /view is not/],
      [{ type: 'chartView', symbol: '035720', view: 'daily' }, /not on the watchlist/],
      [{ type: 'chartView', symbol: '59', view: 'daily' }, /6-character/],
      [{ type: 'chartView', symbol: '005930', view: 'daily', extra: 1 }, /unexpected field "extra"/],
      [
        JSON.parse('{"type":"chartView","symbol":"005930","view":"minute","__proto__":{}}'),
        /unexpected field "__proto__"/,
      ],
    ];
    for (const [raw, reason] of refusals) {
      const checked = checkWebviewMessage(raw, WATCHLIST);
      assert.equal(checked.ok, false, JSON.stringify(raw));
      assert.match(checked.ok ? '' : checked.reason, reason);
    }
  });

  it('accepts chartData in each state and refuses bars that do not line up', () => {
    const columns = toBarColumns([bar('005930', 1, { vwap: 101 }), bar('005930', 2)]);
    assert.deepEqual(columns.vwap, [101, 0], 'the VWAP column, 0 where unknown');
    assert.equal(toBarColumns([bar('005930', 1)]).vwap, undefined, 'no column when no bar has one');
    assert.deepEqual(
      fromBarColumns('005930', columns).map((b) => b.vwap),
      [101, undefined],
    );
    const ready = { type: 'chartData', symbol: '005930', view: 'minute', state: 'ready', bars: columns };
    assert.deepEqual(checkExtensionMessage(ready), { ok: true, message: ready });
    assert.equal(
      checkExtensionMessage({ type: 'chartData', symbol: '005930', view: 'daily', state: 'loading' }).ok,
      true,
    );
    const pastDay = { ...ready, day: '20261204', notice: 'no-us-minutes' };
    assert.deepEqual(checkExtensionMessage(pastDay), { ok: true, message: pastDay }, 'a past day and a notice pass');
    assert.deepEqual(checkExtensionMessage({ ...ready, day: '2026-12-04' }), {
      ok: false,
      reason: 'chartData: bad day',
    });
    assert.deepEqual(checkExtensionMessage({ ...ready, notice: 'later' }), {
      ok: false,
      reason: 'chartData: bad notice',
    });
    assert.equal(
      checkExtensionMessage({ type: 'chartData', symbol: '005930', view: 'daily', state: 'unavailable' }).ok,
      true,
    );
    const bad: unknown[] = [
      { ...ready, bars: { ...columns, vwap: [1] } },
      { ...ready, bars: undefined },
      { ...ready, state: 'loading' },
      { ...ready, state: 'done', bars: undefined },
      { ...ready, view: 'hourly' },
      { ...ready, symbol: 5930 },
    ];
    for (const raw of bad) assert.equal(checkExtensionMessage(raw).ok, false, JSON.stringify(raw));
  });

  it('checks the extra-columns switch of init and config', () => {
    assert.deepEqual(checkExtensionMessage({ type: 'config', colorConvention: 'korean', extraColumns: true }), {
      ok: true,
      message: { type: 'config', colorConvention: 'korean', extraColumns: true },
    });
    assert.equal(checkExtensionMessage({ type: 'config', colorConvention: 'korean', extraColumns: 'yes' }).ok, false);
    assert.equal(checkExtensionMessage({ ...initMessage(), extraColumns: 1 }).ok, false);
    const checked = checkExtensionMessage({ ...initMessage(), extraColumns: true });
    assert.equal(checked.ok && checked.message.type === 'init' && checked.message.extraColumns, true);
  });
});

function initMessage(overrides: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    surface: 'view',
    symbols: ['005930', '000660'],
    names: { '005930': '삼성전자' },
    quotes: [quote('005930')],
    bars: { '005930': toBarColumns([bar('005930', 600)]) },
    books: [book('005930')],
    selected: '005930',
    colorConvention: 'korean',
    strings: strings(),
    ...overrides,
  };
}

function chartData(
  symbol: string,
  view: 'minute' | 'daily',
  state: ChartDataMessage['state'],
  minutes: number[] = [],
): ChartDataMessage {
  return state === 'ready'
    ? { type: 'chartData', symbol, view, state, bars: toBarColumns(minutes.map((m) => bar(symbol, m))) }
    : { type: 'chartData', symbol, view, state };
}

describe('webview model: chart history and the daily view', () => {
  it('replaces the charted symbol’s bars with the merged history and resets the chart', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    const loading = model.apply(chartData('005930', 'minute', 'loading'));
    assert.equal(loading.chartStatus, true);
    assert.equal(loading.chart, 'none');
    assert.equal(model.chart.stateOf('005930'), 'loading');
    const ready = model.apply(chartData('005930', 'minute', 'ready', [540, 541, 542, 600]));
    assert.equal(ready.chart, 'reset');
    assert.deepEqual(
      model.barsOf('005930').map((b) => b.time / 60),
      [540, 541, 542, 600],
    );
    // A live bar after the history goes on as a tail.
    const live = model.apply({ type: 'snapshot', quotes: [], bars: [bar('005930', 601)], books: [] });
    assert.equal(live.chart, 'tail');
    assert.equal(model.barsOf('005930').length, 5);
  });

  it('stores another symbol’s history without touching the chart, and ignores an unlisted one', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    const other = model.apply(chartData('000660', 'minute', 'ready', [540]));
    assert.equal(other.chart, 'none');
    assert.equal(other.chartStatus, undefined);
    assert.equal(model.barsOf('000660').length, 1);
    assert.equal(model.apply(chartData('035720', 'minute', 'ready', [540])).chartStatus, undefined);
    assert.equal(model.chart.stateOf('035720'), undefined);
    assert.equal(
      new TickerModel().apply(chartData('005930', 'minute', 'ready', [540])).chartStatus,
      undefined,
      'nothing before init',
    );
  });

  it('shows daily candles in the daily view, keeps live bars off it, and says when history is unavailable', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    assert.equal(model.chart.setView('daily'), true);
    assert.equal(model.chart.setView('daily'), false);
    assert.equal(model.apply(chartData('005930', 'daily', 'ready', [0, 1440])).chart, 'reset');
    assert.deepEqual(
      model.chartBars('005930').map((b) => b.time / 60),
      [0, 1440],
    );
    assert.equal(
      model.apply(chartData('005930', 'minute', 'ready', [540])).chart,
      'none',
      'minute history while daily: stored, not drawn',
    );
    assert.equal(model.apply(chartData('005930', 'daily', 'unavailable')).chartStatus, true);
    assert.equal(model.chart.stateOf('005930'), 'unavailable');
    assert.equal(model.chart.stateOf('005930', 'minute'), 'ready');
    model.chart.setView('minute');
    assert.deepEqual(
      model.chartBars('005930').map((b) => b.time / 60),
      [540],
    );
  });

  it('forgets the chart states of removed symbols and of a replayed init, but keeps the view', () => {
    const model = new TickerModel();
    model.apply(initMessage());
    model.apply(chartData('000660', 'daily', 'ready', [0]));
    model.apply({ type: 'watchlist', symbols: ['005930'], names: {} });
    assert.equal(model.chart.stateOf('000660', 'daily'), undefined);
    assert.equal(model.chart.dailyOf('000660').length, 0);
    model.chart.setView('daily');
    model.apply(chartData('005930', 'daily', 'ready', [0]));
    model.apply(initMessage());
    assert.equal(model.chart.view, 'daily');
    assert.equal(model.chart.stateOf('005930'), undefined);
  });

  it('turns the rows’ optional line on and off with init and config', () => {
    const model = new TickerModel();
    model.apply(initMessage({ extraColumns: true }));
    assert.equal(model.extraColumns, true);
    assert.equal(model.apply({ type: 'config', colorConvention: 'korean', extraColumns: false }).structure, true);
    assert.equal(model.extraColumns, false);
    assert.equal(model.apply({ type: 'config', colorConvention: 'korean' }).structure, false, 'no switch: unchanged');
    const row = rowView('005930', undefined, quote('005930', { strength: 112.345, volumeRatio: 85, vwap: 71650.4 }));
    assert.deepEqual([row.strength, row.volumeRatio, row.vwap], ['112.3%', '85.0%', '71,650']);
    const none = rowView('005930', undefined, quote('005930', { vwap: 0 }));
    assert.deepEqual([none.strength, none.volumeRatio, none.vwap], ['–', '–', '–']);
  });
});

describe('VWAP points', () => {
  it('draws only the bars that carry a VWAP', () => {
    assert.deepEqual(
      vwapPoints([
        bar('005930', 1, { vwap: 100 }),
        bar('005930', 2),
        bar('005930', 3, { vwap: 0 }),
        bar('005930', 4, { vwap: 101 }),
      ]),
      [
        { time: 60, value: 100 },
        { time: 240, value: 101 },
      ],
    );
  });
});

class RecordingTarget implements ChartTarget {
  readonly posted: ChartDataMessage[] = [];
  constructor(readonly selected?: string) {}
  postChart(message: ChartDataMessage): void {
    this.posted.push(message);
  }
}

describe('ChartLoader', () => {
  it('posts loading, then the bars, to the targets that exist when the answer comes', async () => {
    let answer: (outcome: ChartOutcome) => void = () => {};
    const loader = new ChartLoader(
      () => new Promise((resolve) => (answer = resolve)),
      () => assert.fail('no failure'),
    );
    const view = new RecordingTarget('005930');
    const panel = new RecordingTarget();
    let targets: ChartTarget[] = [view];
    const shown = loader.show('005930', 'minute', () => targets);
    targets = [view, panel];
    answer({ state: 'ready', bars: [bar('005930', 540)] });
    await shown;
    assert.deepEqual(
      view.posted.map((m) => m.state),
      ['loading', 'ready'],
    );
    assert.deepEqual(
      panel.posted.map((m) => m.state),
      ['ready'],
    );
    assert.deepEqual(view.posted[1].bars, toBarColumns([bar('005930', 540)]));
  });

  it('reports and counts "unavailable" (a rejection too), and sends daily only to the asking webview', async () => {
    const problems: string[] = [];
    let outcome: Promise<ChartOutcome> = Promise.resolve({ state: 'unavailable', code: 'REST_DOWN' });
    const loader = new ChartLoader(
      () => outcome,
      (symbol, view, code) => problems.push(`${symbol} ${view} ${code}`),
    );
    const view = new RecordingTarget('005930');
    const panel = new RecordingTarget('000660');
    const of = (kind: 'view' | 'panel'): ChartTarget => (kind === 'view' ? view : panel);
    loader.showIn('panel', '005930', 'daily', of);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(
      panel.posted.map((m) => [m.view, m.state]),
      [
        ['daily', 'loading'],
        ['daily', 'unavailable'],
      ],
    );
    assert.equal(view.posted.length, 0, 'daily goes only to the webview that asked');
    outcome = Promise.reject(new Error('defect'));
    loader.refresh(of);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(problems, ['005930 daily REST_DOWN', '005930 minute BAD_RESPONSE', '000660 minute BAD_RESPONSE']);
    assert.equal(loader.unavailable, 3);
    assert.deepEqual(
      view.posted.map((m) => m.symbol),
      ['005930', '000660', '005930', '000660'],
      'minute history goes to every webview',
    );
  });
});
