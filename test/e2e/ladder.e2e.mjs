// The ladder (호가창) in a real VS Code (code-server + headless Chromium, 1280×800, the sidebar at its default
// width, the built-in simulator in its demo mode): Samsung subscribed and charted, the editor-panel ticker
// draws ten asks over ten bids whose prices bracket the last trade and change within seconds; the sidebar
// ticker draws five over five, of the same book. Screenshots go to .vscode-test/e2e/ladder/; with
// KIS_E2E_PUBLISH=1 a passing run copies them to docs/screenshot-ladder.png and docs/screenshot-ladder-sidebar.png.
// Functions passed to page.evaluate run in the page, hence the browser globals.
/* global document, window */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { e2eDir, manifest, openContainer, pickFromQuickPick, runFromPalette, viewPane } from './workbench.mjs';
import { openTourWorkbench } from './tourViews.mjs';

const OUT = path.join(e2eDir, 'ladder');
const STEP_MS = 60_000;
/** How long the book must take to change: the simulator books every symbol several times a second. */
const CHANGE_WITHIN_MS = 5000;

/**
 * Every ticker webview's ladder, read in the page (webview iframes are same-origin under code-server): per
 * surface (`view`, `panel`), the rows as drawn (side, level, price, size), the caption, the depth and the
 * header's last price.
 */
function readLadders() {
  const found = {};
  const visit = (doc, depth) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null;
      }
      if (!inner) continue;
      const table = inner.querySelector('#ladder');
      if (table) {
        const rows = [...inner.querySelectorAll('#ladder-body tr.ladder-level')].map((tr) => ({
          side: tr.dataset.side,
          level: Number(tr.dataset.level),
          price: Number(tr.dataset.price),
          size: Number(tr.dataset.size),
          last: tr.classList.contains('last'),
        }));
        found[inner.body.dataset.surface] = {
          hidden: inner.querySelector('#ladder-section')?.hidden ?? true,
          caption: inner.querySelector('#ladder-caption')?.textContent ?? '',
          headers: [...table.querySelectorAll('thead th')].map((th) => `${th.getAttribute('scope')}:${th.textContent}`),
          depth: table.dataset.depth,
          crossed: table.dataset.crossed,
          symbol: inner.querySelector('#selected-symbol')?.textContent ?? '',
          last: inner.querySelector('#selected-last')?.textContent ?? '',
          width: Math.round(inner.body.getBoundingClientRect().width),
          rows,
        };
      } else if (depth < 3) visit(inner, depth + 1);
    }
  };
  visit(document, 0);
  return found;
}

/** True when both tickers draw a priced ladder of `symbol` (`want` levels a side in the panel, 5 in the sidebar). */
function laddersDrawn({ symbol, want }) {
  const ladders = window.__kisReadLadders();
  const full = (ladder, n) =>
    ladder !== undefined &&
    !ladder.hidden &&
    ladder.symbol === symbol &&
    ladder.rows.filter((r) => r.side === 'ask' && r.price > 0).length === n &&
    ladder.rows.filter((r) => r.side === 'bid' && r.price > 0).length === n;
  return full(ladders.panel, want) && full(ladders.view, 5);
}

/** The panel's ladder differs from `before` (prices or sizes). */
function panelLadderChanged(before) {
  const now = window.__kisReadLadders().panel;
  return now !== undefined && JSON.stringify(now.rows) !== before;
}

/** Scrolls the sidebar ticker's ladder into view (its page scrolls when the pane is shorter than it). */
function scrollSidebarLadder() {
  const visit = (doc, depth) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null;
      }
      if (!inner) continue;
      if (inner.querySelector('#ladder') && inner.body.dataset.surface === 'view')
        inner.querySelector('#ladder-section')?.scrollIntoView({ block: 'end' });
      else if (depth < 3) visit(inner, depth + 1);
    }
  };
  visit(document, 0);
}

/** The price the header shows, as a number ("72,400 +400 +0.56%" → 72400). */
const headerPrice = (text) => Number((text.split(' ')[0] ?? '').replace(/,/g, ''));

describe('ladder: the order book as a trader reads it (code-server + Chromium, 1280×800)', function () {
  this.timeout(3 * STEP_MS);
  const m = manifest();
  const watchlistName = m.viewName('kisMarket.watchlist');
  const tickerName = m.viewName('kisMarket.ticker');
  let server;
  let browser;
  let page;
  const results = {};

  before(async function () {
    this.timeout(10 * STEP_MS);
    ({ server, browser, page } = await openTourWorkbench(path.join(OUT, 'server'), { stepMs: STEP_MS }));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page
        .screenshot({ path: path.join(OUT, `failure-${this.currentTest.title.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
    }
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    fs.writeFileSync(path.join(OUT, 'ladder-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const passed = this.test.parent.tests.every((t) => t.state === 'passed');
    if (process.env.KIS_E2E_PUBLISH === '1' && passed) {
      for (const name of ['screenshot-ladder.png', 'screenshot-ladder-sidebar.png'])
        fs.copyFileSync(path.join(OUT, name), path.join(projectRoot, 'docs', name));
    }
  });

  it('subscribes Samsung and opens the ticker in the sidebar and in an editor panel', async () => {
    await openContainer(page, m.containerTitle('kisMarket'));
    const pane = await viewPane(page, watchlistName);
    await pane.waitFor();
    results.sidebarWidth = Math.round((await page.locator('.part.sidebar').boundingBox())?.width ?? 0);
    await runFromPalette(page, m.commandTitle('kisMarket.subscribe'));
    await pickFromQuickPick(page, '005930', '삼성전자');
    await pane
      .locator('.monaco-list-row', { hasText: /삼성전자|Samsung/ })
      .first()
      .waitFor();
    // The sidebar ticker: expanded, with the other panes of the container folded so its ladder has room.
    await viewPane(page, tickerName);
    await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
    await page
      .locator('.part.editor .tab', { hasText: /Ticker/ })
      .first()
      .waitFor();
    await pane
      .locator('.monaco-list-row', { hasText: /삼성전자|Samsung/ })
      .first()
      .click();
  });

  it('draws 10 asks over 10 bids in the panel, bracketing the last trade, and 5 + 5 in the sidebar', async () => {
    // A function handed to the page travels alone: the predicates below call the reader through window.
    await page.evaluate(`window.__kisReadLadders = ${readLadders.toString()}`);
    await page.waitForFunction(laddersDrawn, { symbol: '005930', want: 10 });
    const { panel, view } = await page.evaluate(readLadders);
    results.panel = panel;
    results.view = view;
    assert.deepEqual(panel.headers, ['col:Ask size', 'col:Price', 'col:Bid size'], 'a table with column headers');
    assert.match(panel.caption, /^Order book · (KRX\+NXT|KRX|NXT)/, 'the venue is said');
    assert.equal(panel.depth, '10');
    assert.equal(view.depth, '5');
    assert.ok(results.sidebarWidth <= 320, `the sidebar at its default width (${results.sidebarWidth} px)`);

    const asks = panel.rows.filter((r) => r.side === 'ask');
    const bids = panel.rows.filter((r) => r.side === 'bid');
    const prices = [...asks, ...bids].map((r) => r.price);
    for (let i = 1; i < prices.length; i++)
      assert.ok(prices[i] < prices[i - 1], `prices fall down the ladder: ${prices}`);
    const last = headerPrice(panel.last);
    assert.ok(last > 0, `the header shows a price (${panel.last})`);
    // The book and the last trade are one frame's: the last trade sits within the ten levels.
    assert.ok(
      bids.at(-1).price <= last && last <= asks[0].price,
      `${last} within ${bids.at(-1).price}..${asks[0].price}`,
    );
    assert.equal(panel.crossed, 'false');
    assert.ok(
      asks.concat(bids).every((r) => r.size >= 0),
      'sizes as sent',
    );
    // The sidebar draws the same book: its five levels a side are the panel's nearest five.
    const near = (rows, side) => rows.filter((r) => r.side === side && r.level <= 5).map((r) => r.price);
    results.sameBook = JSON.stringify(near(view.rows, 'bid')) === JSON.stringify(near(panel.rows, 'bid'));

    // The sidebar: the other panes folded so the ticker has the height, its ladder scrolled into view.
    const others = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: tickerName });
    while ((await others.count()) > 0) await others.first().locator('.title').first().click();
    await page.evaluate(scrollSidebarLadder);
    await page.waitForFunction(laddersDrawn, { symbol: '005930', want: 10 });
    // The pointer off every row (no tooltip over the panel), then both shots back to back: one book.
    await page.mouse.move(640, 790);
    await page.locator('.part.editor').screenshot({ path: path.join(OUT, 'screenshot-ladder.png') });
    await page.locator('.part.sidebar').screenshot({ path: path.join(OUT, 'screenshot-ladder-sidebar.png') });
  });

  it(`changes the panel's ladder within ${CHANGE_WITHIN_MS / 1000} s`, async () => {
    const before = JSON.stringify((await page.evaluate(readLadders)).panel.rows);
    const started = Date.now();
    await page.waitForFunction(panelLadderChanged, before, { timeout: CHANGE_WITHIN_MS });
    results.changedAfterMs = Date.now() - started;
  });
});
