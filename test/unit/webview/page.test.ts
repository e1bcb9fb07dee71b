// The ticker's browser script (src/webview/main.ts with rows.ts, chart.ts and vscodeApi.ts) running on the
// real page markup in a small DOM, talking to the extension side's real TickerChannel: what a user sees
// (rows, prices, the chart's data, the privacy cover) and what their clicks and keys send back.
// The chart stand-in first: src/webview/chart imports 'lightweight-charts'.
import { charts, type FakeChart } from '../support/charts';
import * as assert from 'node:assert/strict';
import {
  FakeBrowser,
  FakeDocument,
  FakeEvent,
  FakeMutationObserver,
  FakeResizeObserver,
  type FakeElement,
} from '../support/dom';
import { renderTickerHtml } from '../../../src/views/ticker/tickerHtml';
import { TickerChannel, type TickerState } from '../../../src/views/ticker/tickerFeed';
import { toBarColumns, type WebviewToExtension } from '../../../src/shared/webviewProtocol';
import { bar, book, ManualClock, quote, strings } from './fixtures';
import { MarketModel } from '../../../src/feed/model/readModel';
import type { OrderBookTop, Snapshot } from '../../../src/shared/snapshot';
import { PriceChart } from '../../../src/webview/chart';
import { withAlpha } from '../../../src/webview/model';
import { formatCrosshair, formatTick, TICK_TIME } from '../../../src/webview/chartTime';
import { buildRow } from '../../../src/views/watchlist/watchlistModel';
import { formatSymbolChange, formatSymbolPrice } from '../../../src/market/formatKind';
import { formatRate } from '../../../src/market/format';

/** Keeps the page script in the program (it is loaded with require, once per test, for a fresh page). */
export type PageScript = typeof import('../../../src/webview/main');
const MAIN = require.resolve('../../../src/webview/main');

describe('webview: the ticker page (small DOM, real channel)', () => {
  let browser: FakeBrowser;
  let channel: TickerChannel;
  /** The feed's read model: what the watchlist reads, and what every post of the channel carries. */
  let model: MarketModel;
  let clock: ManualClock;
  let state: TickerState;
  let requests: Array<Exclude<WebviewToExtension, { type: 'ready' | 'privacyApplied' }>>;
  let stored: unknown;
  let warnings: unknown[][];
  const originalWarn = console.warn;
  /** Messages to the page, delivered by pump() (postMessage is asynchronous in VS Code). */
  let toPage: unknown[];

  function pump(): void {
    for (let message = toPage.shift(); message !== undefined; message = toPage.shift()) {
      browser.window.dispatchEvent(new FakeEvent('message', { data: message }));
    }
  }

  /** Loads the page script afresh (as a webview does on each resolve). */
  function open(getState: unknown = undefined): void {
    const html = renderTickerHtml({
      cspSource: 'https://x',
      scriptUri: 'https://x/webview.js',
      styleUri: 'https://x/ticker.css',
      nonce: 'n0nce',
      lang: 'en',
    });
    browser = new FakeBrowser(new FakeDocument(html));
    stored = getState;
    browser.install({
      acquireVsCodeApi: () => ({
        postMessage: (message: unknown) => channel.receive(message),
        getState: () => stored,
        setState: (value: unknown) => {
          stored = value;
        },
      }),
    });
    delete require.cache[MAIN];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(MAIN);
    pump();
  }

  const $ = (id: string): FakeElement => {
    const element = browser.document.getElementById(id);
    assert.ok(element, `#${id} is on the page`);
    return element;
  };
  const rowsOf = (): FakeElement[] => $('ticker-rows').children;
  const row = (symbol: string): FakeElement => rowsOf().find((r) => r.dataset.symbol === symbol)!;
  const cell = (symbol: string, cls: string): string => row(symbol).querySelectorAll(`.${cls}`)[0]?.textContent ?? '';
  const chart = (): FakeChart => charts.at(-1)!;
  /** What the feed does with a worker snapshot: into the read model first, then to the views. */
  const push = (snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void => {
    model.applySnapshot(snapshot);
    channel.push(snapshot);
  };

  beforeEach(() => {
    charts.length = 0;
    clock = new ManualClock();
    requests = [];
    toPage = [];
    warnings = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    state = {
      symbols: ['005930', '000660'],
      quotes: [quote('005930'), quote('000660', { last: 198000, change: -500, rate: -0.25, sign: '5' })],
      bars: [bar('005930', 1), bar('005930', 2)],
      books: [book('005930')],
      names: { '005930': '삼성전자', '000660': 'SK하이닉스' },
      colorConvention: 'korean',
    };
    model = new MarketModel();
    channel = new TickerChannel({
      surface: 'view',
      market: model,
      post: (message) => (toPage.push(message), true),
      state: () => state,
      strings: strings(),
      onRequest: (request) => requests.push(request),
      onInvalid: (reason) => assert.fail(`the page sent an invalid message: ${reason}`),
      onError: (error) => assert.fail(String(error)),
      clock,
      intervalMs: 100,
    });
    channel.setVisible(true);
  });

  afterEach(() => {
    console.warn = originalWarn;
    channel.dispose();
    browser.uninstall();
  });

  it('says ready, then shows one row per symbol with its name, price and change, and charts the first', () => {
    open();
    assert.equal(channel.isLive, true, 'the page said ready');
    assert.deepEqual(
      rowsOf().map((r) => r.dataset.symbol),
      ['005930', '000660'],
    );
    assert.equal(cell('005930', 'name'), '삼성전자');
    assert.equal(cell('005930', 'last'), '71,900');
    assert.match(cell('000660', 'change'), /500/);
    assert.equal(row('000660').dataset.direction, 'down');
    assert.equal($('empty').hidden, true);
    assert.deepEqual(
      $('ticker-header').children.map((c) => c.textContent),
      ['name', 'last', 'change', 'volume'],
    );
    assert.equal($('open-panel').hidden, false, 'the sidebar view offers the panel');
    // No selection stored or named: the page picks the first row and tells the extension.
    assert.deepEqual(requests, [{ type: 'select', symbol: '005930' }]);
    assert.equal($('selected-symbol').textContent, '005930');
    assert.match($('book-bid').textContent, /71,800/);
    assert.deepEqual(stored, { selected: '005930' });
    assert.equal(chart().of('Candlestick').data.length, 2);
    assert.equal(chart().of('Histogram').data.length, 2);
    assert.equal(chart().initial.localization?.priceFormatter?.(71900), '71,900');
    assert.equal($('chart-empty').hidden, true);
  });

  it('shows a KRX stock, an index and a US stock as the watchlist does (one formatter), row and header alike', () => {
    state = {
      ...state,
      symbols: ['005930', '0001', 'DNASAAPL'],
      quotes: [
        quote('005930', { last: 71100, change: -800, rate: -1.11, sign: '5' }),
        quote('0001', { last: 2662.77, change: 12.77, rate: 0.48, sign: '2' }),
        quote('DNASAAPL', { last: 188.12, change: -1.38, rate: -0.73, sign: '5' }),
      ],
      books: [book('DNASAAPL', 188.1, 188.14)],
      names: { '005930': '삼성전자', '0001': 'KOSPI', DNASAAPL: 'AAPL Apple Inc.' },
    };
    open();
    const shown = (symbol: string): string[] => [cell(symbol, 'last'), cell(symbol, 'change'), cell(symbol, 'rate')];
    assert.deepEqual(shown('005930'), ['71,100', '-800', '-1.11%']);
    assert.deepEqual(shown('0001'), ['2,662.77', '+12.77', '+0.48%']);
    assert.deepEqual(shown('DNASAAPL'), ['$188.12', '-$1.38', '-0.73%']);
    // The watchlist's row of the same quote carries the same texts (its formatter is the ticker's).
    const ctx = {
      now: 0,
      marketOpen: false,
      staleAfterMs: 60_000,
      convention: 'korean' as const,
      language: 'en',
      t: (m: string) => m,
    };
    for (const q of state.quotes) {
      const watchlist = buildRow(q.symbol, q, 0, 1, ctx);
      const text = `${watchlist.label} ${watchlist.description} ${watchlist.tooltip}`;
      for (const piece of shown(q.symbol))
        assert.ok(text.includes(piece), `the watchlist shows ${piece} for ${q.symbol}: ${watchlist.label}`);
      assert.deepEqual(shown(q.symbol), [
        formatSymbolPrice(q.symbol, q.last),
        formatSymbolChange(q.symbol, q.change),
        formatRate(q.rate),
      ]);
    }
    assert.equal($('selected-last').textContent, '71,100 -800 -1.11%', 'the header: the row’s own texts');
    row('0001').dispatchEvent(new FakeEvent('click'));
    assert.equal($('selected-last').textContent, '2,662.77 +12.77 +0.48%');
    assert.equal($('selected-symbol').hidden, true, 'an index’s key (0001) is not shown');
    assert.equal(row('0001').querySelectorAll('.code')[0]?.hidden, true);
    row('DNASAAPL').dispatchEvent(new FakeEvent('click'));
    assert.equal($('selected-last').textContent, '$188.12 -$1.38 -0.73%');
    assert.equal($('selected-name').textContent, 'AAPL Apple Inc.');
    assert.equal(row('DNASAAPL').querySelectorAll('.code')[0]?.hidden, true, 'nor a US key (DNASAAPL)');
    assert.match($('book-bid').textContent, /^\$188\.10 × /);
    assert.equal(
      chart().initial.localization?.priceFormatter?.(188.123),
      '$188.12',
      'the chart axis reads in dollars too',
    );
  });

  it('shows the read model’s quote, not the announcing snapshot’s: a book-only record keeps the REST price in row and header', () => {
    state = { ...state, quotes: [], books: [] };
    const rest = quote('005930', {
      last: 71100,
      change: -800,
      rate: -1.11,
      sign: '5',
      lastUpdateAt: 1_795_000_000_000,
    });
    model.applyRestQuote(rest);
    open();
    // A REST refresh comes as no snapshot: the ticker is told which symbols changed and reads the model.
    channel.push({ quotes: [rest], bars: [], books: [] });
    clock.advance(100);
    pump();
    assert.equal(cell('005930', 'last'), '71,100');
    // The live stream's first record of the day is a book (no trade): its quote has another price in it.
    push({
      quotes: [
        quote('005930', { last: 72700, change: 800, rate: 1.11, sign: '2', trades: 0, bestBid: 71000, bestAsk: 71200 }),
      ],
      bars: [],
      books: [],
    });
    clock.advance(100);
    pump();
    assert.equal(model.quote('005930')?.last, 71100, 'the model keeps the REST price');
    assert.deepEqual(
      [cell('005930', 'last'), cell('005930', 'change'), cell('005930', 'rate')],
      ['71,100', '-800', '-1.11%'],
    );
    assert.equal($('selected-last').textContent, '71,100 -800 -1.11%');
    assert.match($('book-bid').textContent, /71,000/, 'with the live book of that record');
  });

  it('selects by click and by keyboard, unsubscribes by button and Delete, and opens the panel', () => {
    open({ selected: '000660' });
    assert.deepEqual(requests, [{ type: 'select', symbol: '000660' }], 'the stored selection is restored');
    requests.length = 0;
    assert.equal($('chart-empty').hidden, false, 'no bars for this symbol yet');

    row('005930').querySelectorAll('.last')[0]!.dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(requests.at(-1), { type: 'select', symbol: '005930' });
    assert.equal(row('005930').getAttribute('aria-selected'), 'true');
    assert.equal(row('005930').tabIndex, 0);
    assert.equal(row('000660').tabIndex, -1);

    const rows = $('ticker-rows');
    row('005930').focus();
    rows.dispatchEvent(new FakeEvent('keydown', { key: 'ArrowDown' }));
    assert.deepEqual(requests.at(-1), { type: 'select', symbol: '000660' });
    assert.equal(browser.document.activeElement, row('000660'), 'focus follows the selection');
    rows.dispatchEvent(new FakeEvent('keydown', { key: 'ArrowUp' }));
    assert.deepEqual(requests.at(-1), { type: 'select', symbol: '005930' });
    const before = requests.length;
    rows.dispatchEvent(new FakeEvent('keydown', { key: 'ArrowUp' }));
    rows.dispatchEvent(new FakeEvent('keydown', { key: 'x' }));
    rows.dispatchEvent(new FakeEvent('keydown', { key: 'Delete' }));
    row('005930').querySelectorAll('.ticker-row')[0]?.dispatchEvent(new FakeEvent('click'));
    rows.dispatchEvent(new FakeEvent('click'));
    assert.equal(requests.length, before, 'nothing above the first row, other keys, or clicks outside a row');

    row('000660').dispatchEvent(new FakeEvent('keydown', { key: 'Delete' }));
    assert.deepEqual(requests.at(-1), { type: 'unsubscribe', symbol: '000660' });
    row('005930').querySelectorAll('.unsubscribe')[0]!.dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(requests.at(-1), { type: 'unsubscribe', symbol: '005930' });
    $('open-panel').dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(requests.at(-1), { type: 'openPanel' });
    pump();
  });

  it('updates prices in place with a flash, extends the chart, and redraws it when a bar comes out of order', () => {
    open();
    const candles = chart().of('Candlestick');
    push({
      quotes: [quote('005930', { last: 72000, trades: 11 })],
      bars: [bar('005930', 2, { close: 120 }), bar('005930', 3)],
      books: [book('005930', 71900, 72000)],
    });
    clock.advance(100);
    pump();
    assert.equal(cell('005930', 'last'), '72,000');
    assert.match(row('005930').className, /flash-\w+-1/);
    assert.equal(candles.updates.length, 2, 'the current minute and a new one');
    assert.match($('book-ask').textContent, /72,000/);

    push({ quotes: [quote('005930', { last: 72100, trades: 12 })], bars: [], books: [] });
    clock.advance(100);
    pump();
    assert.match(row('005930').className, /flash-\w+-0/, 'the flash class alternates to restart the animation');

    push({ quotes: [], bars: [bar('005930', 1, { close: 99 })], books: [] });
    clock.advance(100);
    pump();
    assert.equal(candles.data.length, 3, 'an older bar redraws the whole series');
  });

  it('labels a past trading day’s minute bars with their date until a newer bar joins; a US chart says it has no minute history', () => {
    open();
    const status = $('chart-status');
    // fixture bars are minutes of 1970-01-01 (time = minute × 60)
    channel.postChart({
      type: 'chartData',
      symbol: '005930',
      view: 'minute',
      state: 'ready',
      bars: toBarColumns([bar('005930', 1), bar('005930', 2)]),
      day: '19700101',
    });
    pump();
    assert.equal(status.textContent, 'historyDay', 'the past day’s label');
    push({ quotes: [], bars: [bar('005930', 1440)], books: [] });
    clock.advance(100);
    pump();
    assert.equal(status.textContent, '', 'a bar of the next day ends it');
    channel.postChart({
      type: 'chartData',
      symbol: '005930',
      view: 'minute',
      state: 'ready',
      bars: toBarColumns([]),
      notice: 'no-us-minutes',
    });
    pump();
    assert.equal(status.textContent, 'historyNoUs');
  });

  it('draws a minute history with its VWAP line, and switches to daily candles (asking for them) on the 1D toggle', () => {
    open();
    const drawn = chart();
    const [candles, line] = [drawn.of('Candlestick'), drawn.of('Line')];
    channel.postChart({ type: 'chartData', symbol: '005930', view: 'minute', state: 'loading' });
    pump();
    const status = $('chart-status');
    assert.equal(status.dataset.state, 'loading');
    assert.equal(status.textContent, 'historyLoading');
    assert.equal($('chart-empty').hidden, true, 'no "no trades" note while loading');

    const history = [bar('005930', 1, { vwap: 101 }), bar('005930', 2, { vwap: 102 }), bar('005930', 3, { vwap: 103 })];
    channel.postChart({
      type: 'chartData',
      symbol: '005930',
      view: 'minute',
      state: 'ready',
      bars: toBarColumns(history),
    });
    pump();
    assert.equal(status.dataset.state, 'ready');
    assert.equal(status.textContent, '');
    assert.equal(candles.data.length, 3, 'the history replaces the two live bars');
    assert.deepEqual(line.data, [
      { time: 60, value: 101 },
      { time: 120, value: 102 },
      { time: 180, value: 103 },
    ]);
    assert.deepEqual(drawn.ranges.at(-1), { from: -0.5, to: 4.5 }, 'every bar in view, two slots right of the latest');
    assert.equal($('chart').dataset.vwapPoints, '3');
    assert.equal($('vwap-legend').hidden, false);

    push({ quotes: [], bars: [bar('005930', 4, { vwap: 104 }), bar('005930', 5)], books: [] });
    clock.advance(100);
    pump();
    assert.deepEqual(
      line.updates,
      [{ time: 240, value: 104 }],
      'a live bar extends the line; one without a VWAP does not',
    );

    requests.length = 0;
    $('view-daily').dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(requests, [{ type: 'chartView', symbol: '005930', view: 'daily' }]);
    assert.equal($('view-daily').getAttribute('aria-pressed'), 'true');
    assert.equal($('view-minute').getAttribute('aria-pressed'), 'false');
    assert.equal($('vwap-legend').hidden, true);
    assert.equal(browser.document.body.dataset.chartView, 'daily');
    $('view-daily').dispatchEvent(new FakeEvent('click'));
    assert.equal(requests.length, 1, 'the view already shown is not asked for again');

    const days = [bar('005930', 1440, { vwap: 100 }), bar('005930', 2880, { close: 95 })];
    channel.postChart({ type: 'chartData', symbol: '005930', view: 'daily', state: 'ready', bars: toBarColumns(days) });
    pump();
    assert.deepEqual(
      candles.data,
      days.map(({ time, open, high, low, close }) => ({ time, open, high, low, close })),
    );
    assert.deepEqual(line.data, [], 'a daily chart has no VWAP');
    assert.deepEqual(drawn.options.at(-1), { timeScale: { timeVisible: false } }, 'days carry no time of day');
    const [updates, resets] = [candles.updates.length, drawn.ranges.length];
    push({ quotes: [], bars: [bar('005930', 6)], books: [] });
    clock.advance(100);
    pump();
    assert.equal(candles.updates.length, updates, 'live minutes do not extend the daily candles');
    assert.equal(drawn.ranges.length, resets, "nor redraw them (which would reset the user's zoom)");

    row('000660').dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(
      requests.slice(1),
      [
        { type: 'select', symbol: '000660' },
        { type: 'chartView', symbol: '000660', view: 'daily' },
      ],
      'a new selection in the daily view asks for its days',
    );
    channel.postChart({ type: 'chartData', symbol: '000660', view: 'daily', state: 'unavailable' });
    pump();
    assert.equal(status.textContent, 'historyUnavailable');
    assert.equal($('chart-empty').hidden, false);

    $('view-minute').dispatchEvent(new FakeEvent('click'));
    assert.deepEqual(requests.at(-1), { type: 'chartView', symbol: '000660', view: 'minute' });
    assert.equal(status.dataset.state, 'none', 'the minute history of this symbol was never asked for');
    assert.equal($('vwap-legend').hidden, false);
  });

  it('rebuilds the rows when the watchlist changes, and says so when it is empty', () => {
    open();
    state = { ...state, symbols: ['000660'] };
    channel.setWatchlist(['000660'], state.names);
    pump();
    assert.deepEqual(
      rowsOf().map((r) => r.dataset.symbol),
      ['000660'],
    );
    channel.setWatchlist([], {});
    pump();
    assert.equal($('empty').hidden, false);
    assert.equal($('empty-title').textContent, 'emptyTitle');
    assert.equal($('ticker-rows').hidden, true);
    assert.equal($('selected-symbol').textContent, '');
    assert.equal($('book-bid').textContent, '');
  });

  it('covers the page in privacy mode and tells the extension it did', () => {
    open();
    channel.setPrivacy(true, 'Hidden for privacy');
    pump();
    const cover = $('privacy-cover');
    assert.equal(cover.hidden, false);
    assert.equal(cover.textContent, 'Hidden for privacy');
    assert.equal(browser.document.body.classList.contains('private'), true);
    assert.equal(channel.privacyShown, true);
    channel.setPrivacy(false, 'Hidden for privacy');
    pump();
    assert.equal(cover.hidden, true);
    assert.equal(browser.document.body.dataset.privacy, 'off');
    assert.equal(channel.privacyShown, false);
  });

  it('refuses a malformed message with a count, recolours the chart on a theme change, resizes and cleans up', () => {
    open();
    browser.window.dispatchEvent(new FakeEvent('message', { data: { type: 'snapshot', quotes: 'nope' } }));
    assert.equal(browser.document.body.dataset.invalidMessages, '1');
    assert.match(String(warnings[0]?.[0]), /refused a message from the extension/);

    const chartNow = chart();
    const applied = chartNow.options.length;
    browser.cssVars.set('--vscode-font-size', '15');
    browser.cssVars.set('--kis-rise', '#00ff00');
    const [observer] = FakeMutationObserver.all;
    assert.equal(observer?.observed, 2, 'the <html> style and the <body> class are watched');
    observer.callback();
    observer.callback();
    assert.equal(browser.frames.length, 1, 'one frame per burst of mutations');
    browser.runFrames();
    assert.equal(chartNow.options.length, applied + 1);
    assert.deepEqual(chartNow.options.at(-1), {
      layout: { textColor: '#888888', fontFamily: 'sans-serif', fontSize: 13 },
      grid: { vertLines: { color: '#80808026' }, horzLines: { color: '#80808026' } },
      rightPriceScale: { borderColor: '#80808059' },
      timeScale: { borderColor: '#80808059' },
    });
    assert.equal((chartNow.of('Candlestick').options.at(-1) as { upColor: string }).upColor, '#00ff00');
    assert.deepEqual(chartNow.of('Line').options.at(-1), { color: '#c586c0' }, 'the VWAP line: its default colour');

    channel.setConfig('western');
    pump();
    assert.equal(browser.document.body.dataset.convention, 'western');

    const [resize] = FakeResizeObserver.all;
    (chartNow.container as FakeElement).clientWidth = 0;
    resize?.callback();
    (chartNow.container as FakeElement).clientWidth = 250.7;
    resize?.callback();
    assert.deepEqual(chartNow.sizes, [[250, 200]], 'a zero size is skipped');

    browser.window.dispatchEvent(new FakeEvent('pagehide'));
    assert.equal(chartNow.removed, true);
    assert.equal(observer.disconnected, true);
    assert.equal(resize?.disconnected, true);
  });

  describe('the ladder', () => {
    /** A ten-level book around 71,900: asks from 72,000 up, bids from 71,900 down, size 10 × level. */
    const deep = (overrides: Partial<OrderBookTop> = {}): OrderBookTop => ({
      symbol: '005930',
      time: '100000',
      asks: Array.from({ length: 10 }, (_, i) => ({ price: 72000 + 100 * i, size: 10 * (i + 1) })),
      bids: Array.from({ length: 10 }, (_, i) => ({ price: 71900 - 100 * i, size: 10 * (i + 1) })),
      totalAskSize: 550,
      totalBidSize: 1650,
      venue: 'unified',
      ...overrides,
    });
    const ladderRows = (side: string): FakeElement[] =>
      $('ladder-body').children.filter((r) => r.dataset.side === side);

    /** The panel's channel instead of the sidebar's. */
    function asPanel(): void {
      channel.dispose();
      channel = new TickerChannel({
        surface: 'panel',
        market: model,
        post: (message) => (toPage.push(message), true),
        state: () => state,
        strings: strings(),
        onRequest: (request) => requests.push(request),
        onInvalid: (reason) => assert.fail(`the page sent an invalid message: ${reason}`),
        onError: (error) => assert.fail(String(error)),
        clock,
        intervalMs: 100,
      });
      channel.setVisible(true);
    }

    it('draws ten asks over ten bids in the panel, a table with column and row headers, the venue in its caption', () => {
      state = { ...state, books: [deep()] };
      asPanel();
      open();
      assert.equal($('ladder-section').hidden, false);
      assert.equal($('ladder').tagName.toLowerCase(), 'table');
      assert.deepEqual(
        ['ladder-ask-head', 'ladder-price-head', 'ladder-bid-head'].map((id) => [
          $(id).textContent,
          $(id).getAttribute('scope'),
        ]),
        [
          ['askSize', 'col'],
          ['price', 'col'],
          ['bidSize', 'col'],
        ],
      );
      assert.equal($('ladder-caption').textContent, 'orderBook · venueUnified');
      const asks = ladderRows('ask');
      const bids = ladderRows('bid');
      assert.equal(asks.length, 10);
      assert.equal(bids.length, 10);
      assert.equal(asks[0].querySelectorAll('.ladder-price')[0].textContent, '72,900');
      assert.equal(asks[9].querySelectorAll('.ladder-price')[0].getAttribute('scope'), 'row');
      assert.equal(bids[0].dataset.price, '71900');
      assert.ok(bids[0].classList.contains('last'), 'the last trade (71,900) is the best bid’s level');
      assert.match(bids[0].textContent, /lastTrade/);
      assert.equal(bids[9].querySelectorAll('.ladder-bar')[0].style.getPropertyValue('--share'), '1.000');
      assert.match($('ladder-foot').textContent, /^550total.*imbalance1.65K$/s);
      assert.equal($('ladder').dataset.imbalance, '50.0');
    });

    it('draws a last trade inside the spread as its own row between the asks and the bids', () => {
      state = { ...state, books: [deep({ bids: deep().bids.map((l) => ({ ...l, price: l.price - 100 })) })] };
      open();
      const body = $('ladder-body').children;
      const middle = body.findIndex((r) => r.className === 'ladder-last');
      assert.equal(body[middle].dataset.price, '71900');
      assert.equal(body[middle - 1].dataset.side, 'ask');
      assert.equal(body[middle + 1].dataset.side, 'bid');
      assert.match(body[middle].textContent, /^last71,900$/);
    });

    it('draws five a side in the sidebar', () => {
      state = { ...state, books: [deep()] };
      open();
      assert.equal(ladderRows('ask').length, 5);
      assert.equal(ladderRows('bid').length, 5);
      assert.equal(ladderRows('ask')[0].dataset.price, '72400');
      assert.equal($('ladder').dataset.depth, '5');
    });

    it('posts only the level that changed, and that level flashes', () => {
      state = { ...state, books: [deep()] };
      open();
      const next = deep();
      next.bids[1] = { price: 71800, size: 25 };
      push({ quotes: [], bars: [], books: [next] });
      clock.advance(100);
      const posted = toPage.at(-1) as { books: Array<{ bids: unknown[]; asks: unknown[] }> };
      assert.deepEqual(posted.books[0].bids.slice(0, 3), [null, { price: 71800, size: 25 }, null]);
      assert.ok(posted.books[0].asks.every((level) => level === null));
      pump();
      const changed = ladderRows('bid')[1];
      assert.equal(changed.dataset.size, '25');
      assert.ok(changed.classList.contains('flash-more'));
      assert.equal(ladderRows('bid')[0].className.includes('flash'), false);
    });

    it('draws a crossed book with fewer levels as sent, says so in the caption, and counts it', () => {
      state = { ...state, books: [deep()] };
      open();
      const crossed = deep({ asks: [{ price: 71800, size: 5 }], venue: 'KRX' });
      push({ quotes: [], bars: [], books: [crossed] });
      clock.advance(100);
      pump();
      assert.equal($('ladder').dataset.crossed, 'true');
      assert.equal($('ladder').dataset.fewer, 'true');
      assert.equal($('ladder-caption').textContent, 'orderBook · KRX — crossedBook — fewerLevels');
      assert.equal(ladderRows('ask').filter((r) => r.classList.contains('empty')).length, 4);
      assert.equal(browser.document.body.dataset.crossedBooks, '1');
      assert.equal(browser.document.body.dataset.shortBooks, '1');
    });

    it('hides the ladder of a symbol without a book', () => {
      state = { ...state, books: [] };
      open();
      assert.equal($('ladder-section').hidden, true);
      assert.equal($('ladder-body').children.length, 0);
    });
  });
});

describe('webview: PriceChart on its own', () => {
  let browser: FakeBrowser;
  const theme = {
    text: '#fff',
    grid: '#111',
    border: '#222',
    rise: '#ff0000',
    fall: '#0000ff',
    fontFamily: 'x',
    fontSize: 11,
    vwap: '#00ffff',
  };

  beforeEach(() => {
    charts.length = 0;
    browser = new FakeBrowser(new FakeDocument('<body><div id="chart"></div></body>'));
    browser.install();
  });

  afterEach(() => {
    browser.uninstall();
  });

  it('draws candles and coloured volume, appends in-order bars and redraws all on an older one', () => {
    const chart = new PriceChart(browser.document.getElementById('chart') as unknown as HTMLElement, theme);
    const drawn = charts[0]!;
    assert.deepEqual(drawn.of('Line').options, [{ color: '#00ffff' }], 'the VWAP line takes the theme colour');
    chart.setBars([bar('005930', 2, { open: 100, close: 90 })]);
    assert.equal(drawn.scrolled, 1, 'a single bar: scrolled to the latest rather than a span');
    assert.deepEqual(drawn.ranges, []);
    assert.deepEqual(
      drawn.of('Histogram').data,
      [{ time: 120, value: 1000, color: withAlpha('#0000ff', 0.45) }],
      'a falling bar: the fall colour',
    );
    chart.updateBars([bar('005930', 3)], [bar('005930', 2), bar('005930', 3)]);
    assert.deepEqual(drawn.of('Candlestick').updates, [{ time: 180, open: 100, high: 110, low: 90, close: 105 }]);
    chart.updateBars([bar('005930', 1)], [bar('005930', 1), bar('005930', 2), bar('005930', 3)]);
    assert.equal(drawn.of('Candlestick').updates.length, 1, 'an older bar is not appended');
    assert.equal(drawn.of('Candlestick').data.length, 3, 'the series is redrawn whole instead');
    const later = [bar('005930', 4, { vwap: 104 }), bar('005930', 5, { vwap: 0 })];
    chart.updateBars(later, [bar('005930', 1), bar('005930', 2), bar('005930', 3), ...later]);
    assert.deepEqual(
      drawn.of('Line').updates,
      [{ time: 240, value: 104 }],
      'an in-order bar with a VWAP extends the line; a zero VWAP (no trades yet) does not',
    );
    chart.dispose();
    assert.equal(drawn.removed, true);
  });

  it('labels the time axis and the crosshair in KST through chartTime, by the view shown', () => {
    const chart = new PriceChart(browser.document.getElementById('chart') as unknown as HTMLElement, theme);
    const { localization, timeScale } = charts[0]!.initial;
    const at = 1_795_000_000;
    assert.equal(localization?.timeFormatter?.(at), formatCrosshair(at, 'minute'));
    assert.equal(timeScale?.tickMarkFormatter?.(at, TICK_TIME), formatTick(at, TICK_TIME));
    assert.equal(
      localization?.timeFormatter?.('2026-11-25'),
      formatCrosshair(0, 'minute'),
      'a business-day string (never sent) reads as 0',
    );
    chart.setBars([bar('005930', 1440)], 'daily');
    assert.equal(localization?.timeFormatter?.(at), formatCrosshair(at, 'daily'));
    assert.notEqual(formatCrosshair(at, 'daily'), formatCrosshair(at, 'minute'), 'the two views read differently');
    chart.dispose();
  });
});
