// The ticker webview page in headless Chromium, outside VS Code: the real HTML (renderTickerHtml, with its
// strict CSP), the real script and stylesheet, a stub `acquireVsCodeApi`, and messages posted the way the
// extension posts them. Covers what the unit tests cannot: the DOM, the chart, clicks, keys and the CSP.
// Self-contained: the script and the HTML builder are bundled here with esbuild, so no build step is needed.
// Functions passed to page.evaluate run in the page, hence the browser globals.
/* global window, document, getComputedStyle */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';

/** Where the history screenshot goes; KIS_E2E_PUBLISH=1 also copies it to docs/screenshot-ticker-history.png. */
const SHOT_DIR = path.join(projectRoot, '.vscode-test', 'e2e', 'ticker-webview');

const STRINGS = {
  emptyTitle: 'No symbols on the watchlist.',
  emptyHint: 'Subscribe to a symbol with KIS: Subscribe…',
  unsubscribe: 'Unsubscribe',
  openPanel: 'Open Ticker in Editor',
  name: 'Name',
  last: 'Last',
  change: 'Change',
  volume: 'Volume',
  bid: 'Bid',
  ask: 'Ask',
  halted: 'Halted',
  noBars: 'No trades yet for this symbol.',
  attribution: 'Charts by TradingView Lightweight Charts™',
  viewMinute: '1m',
  viewDaily: '1D',
  historyLoading: 'Loading today’s history…',
  historyUnavailable: 'History unavailable: showing live bars only.',
  historyDay: 'Last trading day: {0}',
  weekdays: 'Sun Mon Tue Wed Thu Fri Sat',
  historyNoUs: 'No minute history for US stocks: showing live bars only.',
  vwap: 'VWAP',
  strength: 'Strength',
  volumeRatio: 'Vol vs yday',
  orderBook: 'Order book',
  askSize: 'Ask size',
  price: 'Price',
  bidSize: 'Bid size',
  total: 'Total',
  imbalance: 'Imbalance {0}',
  expected: 'Expected',
  crossedBook: 'Crossed book: bid at or above ask, drawn as sent',
  fewerLevels: 'Fewer levels than usual, drawn as sent',
  lastTrade: 'last trade',
  venueUnified: 'KRX+NXT',
};
/** A dark theme's variables, set on <html> as VS Code does. */
const THEME = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-kisMarket-up': '#ff5c5c',
  '--vscode-kisMarket-down': '#5c9dff',
  '--vscode-kisMarket-westernUp': '#3fb950',
  '--vscode-kisMarket-westernDown': '#f85149',
  '--vscode-panel-border': '#80808059',
  '--vscode-font-family': 'sans-serif',
  '--vscode-font-size': '13px',
};

function quote(symbol, last, overrides = {}) {
  const change = last - 71000;
  return {
    symbol,
    last,
    change,
    rate: Number(((change / 71000) * 100).toFixed(2)),
    sign: change > 0 ? '2' : change < 0 ? '5' : '3',
    volume: 3052507,
    value: 1,
    open: 71000,
    high: last,
    low: last,
    vwap: last,
    bestBid: last - 100,
    bestAsk: last,
    lastTickTime: '093015',
    businessDate: '20261125',
    lastUpdateAt: 1,
    halted: false,
    trades: 1,
    ...overrides,
  };
}

/**
 * Today's history as the extension sends it: `count` one-minute bars from 09:00 (KST wall clock as UTC),
 * a seeded walk, each with the VWAP at its close.
 */
function historyColumns(count, date = Date.UTC(2026, 10, 25)) {
  const columns = { time: [], open: [], high: [], low: [], close: [], volume: [], vwap: [] };
  let price = 71000;
  let value = 0;
  let shares = 0;
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < count; i++) {
    const open = price;
    price = Math.max(60000, open + Math.round((next() - 0.48) * 6) * 100);
    const volume = 2000 + Math.round(next() * 8000);
    value += ((open + price) / 2) * volume;
    shares += volume;
    columns.time.push(date / 1000 + 9 * 3600 + i * 60);
    columns.open.push(open);
    columns.high.push(Math.max(open, price) + 100);
    columns.low.push(Math.min(open, price) - 100);
    columns.close.push(price);
    columns.volume.push(volume);
    columns.vwap.push(Math.round(value / shares));
  }
  return columns;
}

/** `count` one-minute bars from 09:00 (KST wall clock as UTC), as columns. */
function barColumns(count) {
  const t0 = Date.UTC(2026, 10, 25, 9, 0) / 1000;
  const time = Array.from({ length: count }, (_, i) => t0 + i * 60);
  return {
    time,
    open: time.map(() => 71000),
    high: time.map(() => 71500),
    low: time.map(() => 70500),
    close: time.map((_, i) => 71000 + (i % 5) * 100),
    volume: time.map(() => 1000),
  };
}

function init(overrides = {}) {
  return {
    type: 'init',
    surface: 'view',
    symbols: ['005930', '000660', '035720'],
    names: { '005930': '삼성전자', '000660': 'SK하이닉스' },
    quotes: [quote('005930', 71900), quote('000660', 70000)],
    bars: { '005930': barColumns(30) },
    books: [],
    selected: undefined,
    colorConvention: 'korean',
    strings: STRINGS,
    ...overrides,
  };
}

describe('ticker webview page (Chromium, outside VS Code)', function () {
  this.timeout(60_000);
  let server;
  let origin;
  let browser;
  let page;
  let tmp;

  before(async function () {
    this.timeout(120_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-ticker-webview-'));
    const script = (
      await esbuild.build({
        entryPoints: [path.join(projectRoot, 'src/webview/main.ts')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      })
    ).outputFiles[0].text;
    const htmlModule = path.join(tmp, 'tickerHtml.mjs');
    await esbuild.build({
      entryPoints: [path.join(projectRoot, 'src/views/ticker/tickerHtml.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: htmlModule,
      logLevel: 'silent',
    });
    const { renderTickerHtml, createNonce } = await import(pathToFileURL(htmlModule).href);
    const css = fs.readFileSync(path.join(projectRoot, 'media/ticker.css'), 'utf8');
    server = http.createServer((req, res) => {
      if (req.url === '/') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          renderTickerHtml({
            cspSource: origin,
            scriptUri: `${origin}/dist/webview.js`,
            styleUri: `${origin}/media/ticker.css`,
            nonce: createNonce(),
            lang: 'ko',
          }),
        );
      } else if (req.url === '/dist/webview.js') {
        res.setHeader('content-type', 'text/javascript');
        res.end(script);
      } else if (req.url === '/media/ticker.css') {
        res.setHeader('content-type', 'text/css');
        res.end(css);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the page with a stub VS Code API (optionally with a saved state) and waits for `ready`. */
  async function open(savedState, pageOptions = {}) {
    page = await browser.newPage({ viewport: { width: 380, height: 700 }, ...pageOptions });
    page.setDefaultTimeout(20_000);
    await page.addInitScript(
      ({ theme, saved }) => {
        window.__posted = [];
        window.__violations = [];
        let state = saved;
        let acquired = 0;
        window.acquireVsCodeApi = () => {
          if (++acquired > 1) throw new Error('acquireVsCodeApi called twice');
          return {
            postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
            getState: () => state,
            setState: (s) => {
              state = s;
              window.__state = s;
            },
          };
        };
        document.addEventListener('securitypolicyviolation', (e) =>
          window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
        document.addEventListener('DOMContentLoaded', () => {
          for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value);
          document.body.classList.add('vscode-dark');
        });
      },
      { theme: THEME, saved: savedState },
    );
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  }

  afterEach(async () => {
    if (page) {
      const violations = await page.evaluate(() => window.__violations).catch(() => []);
      await page.close();
      page = undefined;
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
    }
  });

  const post = (message) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const posted = () => page.evaluate(() => window.__posted);
  const row = (symbol) => page.locator(`.ticker-row[data-symbol="${symbol}"]`);

  it('asks for its state with ready, then shows a row per symbol in watchlist order', async () => {
    await open();
    assert.deepEqual(await posted(), [{ type: 'ready' }]);
    assert.equal(await page.locator('#empty').isHidden(), true, 'no empty state before init');
    await post(init());
    await page.locator('.ticker-row').nth(2).waitFor();
    assert.deepEqual(await page.locator('.ticker-row').evaluateAll((rows) => rows.map((r) => r.dataset.symbol)), [
      '005930',
      '000660',
      '035720',
    ]);
    assert.equal(await row('005930').locator('.name').innerText(), '삼성전자');
    assert.equal(await row('005930').locator('.last').innerText(), '71,900');
    assert.equal(await row('005930').locator('.change').innerText(), '+900');
    assert.equal(await row('005930').locator('.volume').innerText(), '3.05M');
    assert.equal(await row('035720').locator('.last').innerText(), '–', 'placeholder before the first quote');
    assert.equal(await row('035720').locator('.code').isHidden(), true, 'an unnamed symbol shows its code once');
    assert.equal(await row('005930').getAttribute('data-direction'), 'up');
    assert.equal(await row('000660').getAttribute('data-direction'), 'down');
  });

  it('charts the first symbol with a sized canvas, shows its book and tells the extension what it charts', async () => {
    await open();
    await post(
      init({
        books: [
          {
            symbol: '005930',
            time: '093015',
            bids: [{ price: 71800, size: 1200 }],
            asks: [{ price: 71900, size: 3400 }],
            totalAskSize: 1,
            totalBidSize: 1,
          },
        ],
      }),
    );
    await page.locator('#selected-symbol', { hasText: '005930' }).waitFor();
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'select'));
    assert.deepEqual(
      (await posted()).filter((m) => m.type === 'select'),
      [{ type: 'select', symbol: '005930' }],
    );
    const canvas = page.locator('#chart canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, JSON.stringify(box));
    assert.equal(await page.locator('#chart-empty').isHidden(), true);
    assert.equal(await page.locator('#book-bid').innerText(), '71,800 × 1.2K');
    assert.equal(await page.locator('#book-ask').innerText(), '71,900 × 3.4K');
    assert.equal(await row('005930').getAttribute('aria-selected'), 'true');
  });

  it('says so over the chart when the selected symbol has no bar yet', async () => {
    await open();
    await post(init({ selected: '000660' }));
    await page.locator('#chart-empty', { hasText: STRINGS.noBars }).waitFor();
    assert.equal(await page.locator('#selected-symbol').innerText(), '000660');
    assert.deepEqual(
      (await posted()).filter((m) => m.type === 'select'),
      [],
      'the extension chose; nothing to report',
    );
  });

  it('updates a row in place and flashes it by the direction of the tick', async () => {
    await open();
    await post(init());
    await row('005930').waitFor();
    const element = await row('005930').elementHandle();
    await post({ type: 'snapshot', quotes: [quote('005930', 72000, { trades: 2 })], bars: [], books: [] });
    await row('005930').locator('.last', { hasText: '72,000' }).waitFor();
    assert.match(await row('005930').getAttribute('class'), /\bflash-up-[01]\b/);
    await post({ type: 'snapshot', quotes: [quote('005930', 71500, { trades: 3 })], bars: [], books: [] });
    await row('005930').locator('.last', { hasText: '71,500' }).waitFor();
    const classes = await row('005930').getAttribute('class');
    assert.match(classes, /\bflash-down-[01]\b/);
    assert.doesNotMatch(classes, /flash-up/);
    assert.equal(await element.evaluate((el) => el.isConnected), true, 'the same element, not a rebuilt row');
  });

  it('selects a row on click, keeps the choice with setState and tells the extension', async () => {
    await open();
    await post(init({ selected: '005930' }));
    await row('000660').click();
    await page.locator('#selected-symbol', { hasText: '000660' }).waitFor();
    assert.deepEqual(
      (await posted()).filter((m) => m.type === 'select'),
      [{ type: 'select', symbol: '000660' }],
    );
    assert.deepEqual(await page.evaluate(() => window.__state), { selected: '000660' });
    assert.equal(await row('000660').getAttribute('aria-selected'), 'true');
    assert.equal(await row('005930').getAttribute('aria-selected'), 'false');
  });

  it('moves the selection with the arrow keys', async () => {
    await open();
    await post(init({ selected: '005930' }));
    await row('005930').focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('#selected-symbol', { hasText: '000660' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.locator('#selected-symbol', { hasText: '035720' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.locator('#selected-symbol', { hasText: '000660' }).waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.dataset.symbol),
      '000660',
      'focus follows the selection',
    );
  });

  it('asks to unsubscribe from the row button without selecting the row', async () => {
    await open();
    await post(init({ selected: '005930' }));
    await row('000660').hover();
    await row('000660').locator('.unsubscribe').click();
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'unsubscribe'));
    assert.deepEqual(
      (await posted()).filter((m) => m.type === 'unsubscribe' || m.type === 'select'),
      [{ type: 'unsubscribe', symbol: '000660' }],
    );
    assert.equal(await row('000660').locator('.unsubscribe').getAttribute('aria-label'), 'Unsubscribe 000660');
  });

  it('asks for the editor panel from the view, and hides that button in the panel', async () => {
    await open();
    await post(init());
    await page.locator('#open-panel').click();
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'openPanel'));
    await post(init({ surface: 'panel' }));
    await page.locator('#open-panel').waitFor({ state: 'hidden' });
  });

  it('refuses a malformed message, counts it and keeps working', async () => {
    await open();
    await post(init());
    await row('005930').waitFor();
    await post({ type: 'snapshot', quotes: [{ symbol: '005930', last: 'a lot' }], bars: [], books: [] });
    await post({ type: 'select', symbol: '<img src=x>' });
    await page.waitForFunction(() => document.body.dataset.invalidMessages === '2');
    await post({ type: 'snapshot', quotes: [quote('005930', 73000, { trades: 2 })], bars: [], books: [] });
    await row('005930').locator('.last', { hasText: '73,000' }).waitFor();
    assert.equal(await page.locator('img').count(), 0);
  });

  it('ignores a snapshot that arrives before init', async () => {
    await open();
    await post({ type: 'snapshot', quotes: [quote('005930', 72000)], bars: [], books: [] });
    await post(init());
    await row('005930').locator('.last', { hasText: '71,900' }).waitFor();
  });

  it('colours by convention: Korean rising red, western rising green', async () => {
    await open();
    await post(init());
    const colour = () =>
      row('005930')
        .locator('.last')
        .evaluate((el) => getComputedStyle(el).color);
    await row('005930').waitFor();
    assert.equal(await colour(), 'rgb(255, 92, 92)');
    await post({ type: 'config', colorConvention: 'western' });
    await page.waitForFunction(() => document.body.dataset.convention === 'western');
    assert.equal(await colour(), 'rgb(63, 185, 80)');
    assert.equal(
      await row('000660')
        .locator('.last')
        .evaluate((el) => getComputedStyle(el).color),
      'rgb(248, 81, 73)',
    );
  });

  it('follows the watchlist: rows go, the selection moves, and an empty list shows how to subscribe', async () => {
    await open();
    await post(init({ selected: '005930' }));
    await row('005930').waitFor();
    await post({ type: 'watchlist', symbols: ['000660'], names: { '000660': 'SK하이닉스' } });
    await row('005930').waitFor({ state: 'detached' });
    await page.locator('#selected-symbol', { hasText: '000660' }).waitFor();
    await post({ type: 'watchlist', symbols: [], names: {} });
    await page.locator('#empty').waitFor();
    assert.match(await page.locator('#empty').innerText(), /Subscribe to a symbol with KIS: Subscribe…/);
    assert.equal(await page.locator('#chart-section').isHidden(), true);
    assert.equal(await page.locator('.ticker-row').count(), 0);
  });

  it('restores the selection saved with setState when the extension names none', async () => {
    await open({ selected: '000660' });
    await post(init());
    await page.locator('#selected-symbol', { hasText: '000660' }).waitFor();
  });

  it('applies a second init as a full replacement (the replay after the view was hidden)', async () => {
    await open();
    await post(init());
    await row('035720').waitFor();
    await post(init({ symbols: ['035720'], quotes: [quote('035720', 50000)], bars: {} }));
    await row('005930').waitFor({ state: 'detached' });
    await row('035720').locator('.last', { hasText: '50,000' }).waitFor();
    assert.equal(await page.locator('.ticker-row').count(), 1);
  });

  it('charts today’s history since the open, then live bars, with the VWAP line on a KST axis in New York (screenshot)', async () => {
    // The browser in another zone: the axis still reads KST (bars are KST wall clock as UTC).
    await open(undefined, { timezoneId: 'America/New_York', viewport: { width: 300, height: 640 } });
    const history = historyColumns(138);
    const close = history.close.at(-1);
    const vwap = history.vwap.at(-1);
    await post(
      init({
        selected: '005930',
        bars: {},
        extraColumns: true,
        quotes: [
          quote('005930', close + 100, { strength: 112.4, volumeRatio: 87.5, vwap }),
          quote('000660', 70000, { strength: 96.1, volumeRatio: 64.2 }),
        ],
      }),
    );
    await post({ type: 'chartData', symbol: '005930', view: 'minute', state: 'loading' });
    await page.locator('#chart-status', { hasText: STRINGS.historyLoading }).waitFor();
    assert.equal(await page.locator('#chart-empty').isHidden(), true, 'no "no trades" note while loading');
    // Opened at 11:17: every minute since 09:00 (138 bars).
    await post({ type: 'chartData', symbol: '005930', view: 'minute', state: 'ready', bars: history });
    await page.waitForFunction(() => document.getElementById('chart').dataset.bars === '138');
    const chart = page.locator('#chart');
    assert.equal(await chart.getAttribute('data-first'), '2026-11-25 09:00 KST');
    assert.equal(await chart.getAttribute('data-last'), '2026-11-25 11:17 KST');
    assert.equal(await chart.getAttribute('data-vwap-points'), '138');
    assert.equal(await page.locator('#chart-status').innerText(), '');
    // The live bar of the next minute continues the same chart.
    const t = Date.UTC(2026, 10, 25, 11, 18) / 1000;
    await post({
      type: 'snapshot',
      quotes: [],
      bars: [
        {
          symbol: '005930',
          time: t,
          open: close,
          high: close + 100,
          low: close,
          close: close + 100,
          volume: 900,
          vwap: history.vwap.at(-1),
        },
      ],
      books: [],
    });
    await page.waitForFunction(() => document.getElementById('chart').dataset.bars === '139');
    assert.equal(await chart.getAttribute('data-last'), '2026-11-25 11:18 KST');
    // The rows' optional line at a 300 px sidebar: the numbers are whole, nothing overflows.
    const extra = row('005930').locator('.extra-line');
    assert.equal(await extra.isVisible(), true);
    const cells = await extra
      .locator('.extra')
      .evaluateAll((spans) => spans.map((el) => `${el.dataset.label} ${el.textContent}`));
    assert.deepEqual(cells, ['Strength 112.4%', 'Vol vs yday 87.5%', `VWAP ${vwap.toLocaleString('en-US')}`]);
    assert.equal(
      await row('005930').evaluate((el) => el.scrollWidth <= el.clientWidth),
      true,
      'the row fits its width',
    );
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    const file = path.join(SHOT_DIR, 'ticker-history.png');
    await page.screenshot({ path: file });
    if (process.env.KIS_E2E_PUBLISH === '1') {
      fs.copyFileSync(file, path.join(projectRoot, 'docs', 'screenshot-ticker-history.png'));
      console.log('      [e2e] copied the ticker history screenshot to docs/');
    }
  });

  it('says when history is unavailable and keeps the live bars; the daily toggle asks for and shows daily candles', async () => {
    await open();
    await post(init({ selected: '005930' }));
    await page.waitForFunction(() => document.getElementById('chart').dataset.bars === '30');
    await post({ type: 'chartData', symbol: '005930', view: 'minute', state: 'unavailable' });
    await page.locator('#chart-status', { hasText: STRINGS.historyUnavailable }).waitFor();
    assert.equal(await page.locator('#chart').getAttribute('data-bars'), '30', 'the live chart goes on');
    assert.equal(await row('005930').locator('.extra-line').isHidden(), true, 'the optional line is off by default');
    await page.locator('#view-daily').click();
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'chartView'));
    assert.deepEqual(
      (await posted()).filter((m) => m.type === 'chartView'),
      [{ type: 'chartView', symbol: '005930', view: 'daily' }],
    );
    assert.equal(await page.locator('#view-daily').getAttribute('aria-pressed'), 'true');
    const days = { time: [], open: [], high: [], low: [], close: [], volume: [] };
    for (let i = 0; i < 5; i++) {
      days.time.push(Date.UTC(2026, 10, 17 + i + (i >= 4 ? 2 : 0)) / 1000);
      for (const key of ['open', 'high', 'low', 'close']) days[key].push(71000 + i * 100);
      days.volume.push(1_000_000);
    }
    await post({ type: 'chartData', symbol: '005930', view: 'daily', state: 'ready', bars: days });
    await page.waitForFunction(() => document.getElementById('chart').dataset.bars === '5');
    assert.equal(await page.locator('#chart').getAttribute('data-first'), '2026-11-17');
    assert.equal(
      await page.locator('#chart').getAttribute('data-vwap-points'),
      '0',
      'no intraday VWAP on daily candles',
    );
    // A live tick does not touch the daily candles; switching back shows the minutes again.
    await post({
      type: 'snapshot',
      quotes: [],
      bars: [
        { symbol: '005930', time: Date.UTC(2026, 10, 25, 9, 30) / 1000, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      ],
      books: [],
    });
    await page.locator('#view-minute').click();
    await page.waitForFunction(() => document.getElementById('chart').dataset.bars === '31');
    await post({ type: 'config', colorConvention: 'korean', extraColumns: true });
    await row('005930').locator('.extra-line').waitFor();
  });
});
