// The screen tour: what a new user sees in a real VS Code (code-server + headless Chromium) at 1280×800
// with the sidebar at its default width and the built-in simulator in its demo mode (no simulated clock).
// Four symbols (two stocks, the KOSPI index, a US stock), a holding, the ticker and an alert; then for a
// minute, once a second, the price each view shows for each symbol is read in one instant and compared
// (the agreement at the instant is asserted; a sample that disagrees is also re-read for up to SETTLE_MS
// and that count recorded, to tell a render lag from two sources). The sidebar ticker and the editor-panel
// ticker chart one symbol: the bid and ask under their charts (price × size) must be the same too.
// Also: an alert set just above the price fires at most once, a live row's tooltip stays open, no row is
// labelled with a raw key. Screenshots (English and Korean UI) go to .vscode-test/e2e/screen-tour/; with
// KIS_E2E_PUBLISH=1 a passing run copies them to docs/tour/. The measurements go to tour-results.json there.
/* global document, window, requestAnimationFrame, performance, MutationObserver */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { e2eDir, manifest, openContainer, runFromPalette, shotOfRegion, viewPane } from './workbench.mjs';
import {
  agree,
  booksAgree,
  booksOf,
  captureReady,
  captureViews,
  chartCloses,
  chartClosesAgree,
  extensionLogLines,
  isRawKey,
  koreanUi,
  krxTick,
  labelName,
  openTourWorkbench,
  pricesOf,
  tickerHeaderShows,
} from './tourViews.mjs';

const OUT = path.join(e2eDir, 'screen-tour');
const STEP_MS = 60_000;
/** The tour's subject: one sample a second for a minute. */
const SAMPLES = 60;
const SAMPLE_EVERY_MS = 1000;
/** How long a disagreeing sample is re-read for the diagnostic count (not asserted). */
const SETTLE_MS = 250;
/** A sample is an instant with no view changing for this long (the views get one frame by separate messages). */
const QUIET_MS = 150;
/** How long a row's tooltip must stay open while the row streams. */
const TOOLTIP_HOLD_MS = 3000;
/**
 * How many times the tour moves away from a row and back before it calls the tooltip missing. A first hover on
 * a row redrawn every second opens about half the time (VS Code drops a pending hover when its row is redrawn
 * in the 500 ms delay): six tries make a false alarm a 1-in-64 event per row, where three tries failed a loaded
 * run; a row that never shows one (the bug this guards against) still fails all six.
 */
const HOVER_TRIES = 6;

/** The symbols of the tour: how to pick each, and every code or name a row may show for it. */
const SAMSUNG = {
  id: '005930',
  query: '005930',
  pick: '삼성전자',
  keys: ['005930'],
  names: ['005930', '삼성전자', 'Samsung Elec', 'Samsung Electronics', 'Samsung'],
};
const HYNIX = {
  id: '000660',
  query: '000660',
  pick: 'SK하이닉스',
  keys: ['000660'],
  names: ['000660', 'SK하이닉스', 'SK hynix'],
};
const KOSPI = {
  id: 'KOSPI',
  query: '0001',
  pick: 'KOSPI',
  keys: ['0001', 'KOSPI'],
  names: ['KOSPI', '코스피', '0001'],
};
const APPLE = {
  id: 'AAPL',
  query: 'AAPL',
  pick: 'Apple',
  keys: ['DNASAAPL', 'AAPL'],
  names: ['AAPL', 'DNASAAPL', 'Apple', '애플'],
};
const SYMBOLS = [SAMSUNG, HYNIX, KOSPI, APPLE];
const HOLDING = { quantity: 10, averageCost: 70000 };

/** Everything measured, written to tour-results.json (the issue note quotes it). */
const results = { startedAt: new Date().toISOString() };
function saveResults() {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'tour-results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** Subscribes `symbol` through the palette and waits for its row to show a price. */
async function subscribe(page, title, watchlistName, symbol) {
  await runFromPalette(page, title);
  await tickAndAccept(page, symbol.query, symbol.pick);
  await page.waitForFunction(
    ({ name, symbol: s }) => {
      for (const row of document.querySelectorAll('.part.sidebar .pane .monaco-list-row')) {
        const pane = row.closest('.pane');
        if (!(pane?.querySelector('.pane-header')?.textContent ?? '').includes(name)) continue;
        const text = row.textContent ?? '';
        if (s.names.some((n) => text.includes(n)) && /\d,\d{3}|\$\d/.test(text)) return true;
      }
      return false;
    },
    { name: watchlistName, symbol: { names: symbol.names } },
  );
}

/**
 * Ticks the row `rowText` of the open multi-select pick for `query` and accepts it. The extension rebuilds
 * the items as the typed value settles, which can untick the row between the tick and OK (then the pick
 * stays open): tick and accept again until the pick closes.
 */
async function tickAndAccept(page, query, rowText) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').first().fill(query);
  const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  const ticked = widget
    .locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: rowText })
    .first();
  for (let attempt = 1; ; attempt++) {
    await row.waitFor();
    if (!(await ticked.isVisible())) await row.locator('.monaco-checkbox, .monaco-custom-toggle').first().click();
    if (
      await ticked.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    ) {
      await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();
      if (
        await widget.waitFor({ state: 'hidden', timeout: 5000 }).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    if (attempt >= 6) throw new Error(`the pick for "${query}" did not accept "${rowText}"`);
  }
}

/** The watchlist row of `symbol` (by any name a row may show for it; group rows name no symbol). */
function rowOf(pane, symbol) {
  const names = new RegExp(symbol.names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  return pane.locator('.monaco-list-row', { hasText: names }).first();
}

/**
 * Hovers `target` and watches, every animation frame for `holdMs` from the moment the mouse came to rest,
 * whether a hover widget is shown and whether the row's text changed (a live row). Runs in the page.
 */
async function watchTooltip(page, target, holdMs) {
  // As a person does: onto the label, a few small moves, then rest.
  const box = await target.boundingBox();
  const x = box.x + Math.min(30, box.width / 3);
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y, { steps: 5 });
  for (const dx of [3, 6, 8]) await page.mouse.move(x + dx, y + (dx % 2), { steps: 2 });
  return page.evaluate(
    async ({ holdMs: hold, label }) => {
      const shownHover = () =>
        [...document.querySelectorAll('.workbench-hover, .monaco-hover')].find((h) => {
          const box = h.getBoundingClientRect();
          return (
            box.width > 0 && box.height > 0 && !h.classList.contains('hidden') && (h.textContent ?? '').trim() !== ''
          );
        });
      const rowText = () =>
        [...document.querySelectorAll('.part.sidebar .monaco-list-row')].find((r) =>
          (r.textContent ?? '').includes(label),
        )?.textContent ?? '';
      const start = performance.now();
      let firstShownMs;
      let vanished = 0;
      let wasShown = false;
      let changes = 0;
      let last = rowText();
      await new Promise((resolve) => {
        const tick = () => {
          const shown = Boolean(shownHover());
          if (shown && firstShownMs === undefined) firstShownMs = Math.round(performance.now() - start);
          if (wasShown && !shown) vanished++;
          wasShown = shown;
          const now = rowText();
          if (now !== last) changes++;
          last = now;
          if (performance.now() - start >= hold) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const hover = shownHover();
      return {
        visibleAfterHold: Boolean(hover),
        firstShownMs,
        vanished,
        rowChanges: changes,
        hoverText: hover?.textContent?.trim().slice(0, 300) ?? '',
      };
    },
    { holdMs, label: await target.innerText() },
  );
}

describe('screen tour: one price per instant at the default width (code-server + Chromium, 1280×800)', function () {
  this.timeout(3 * STEP_MS);
  const m = manifest();
  const watchlistName = m.viewName('kisMarket.watchlist');
  let server;
  let browser;
  let page;
  let runDir;
  let samples = [];
  let alertThreshold;

  async function shot(name, locators, margin) {
    const file = path.join(OUT, `en-${name}.png`);
    if (locators) await shotOfRegion(page, file, locators, margin);
    else await page.screenshot({ path: file });
  }

  before(async function () {
    this.timeout(10 * STEP_MS);
    ({ server, browser, page, runDir } = await openTourWorkbench(path.join(OUT, 'en-server'), { stepMs: STEP_MS }));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page
        .screenshot({ path: path.join(OUT, `failure-en-${this.currentTest.title.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      await page.keyboard.press('Escape');
    }
    saveResults();
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    publish(this.test.parent, 'en');
  });

  it('subscribes two stocks, the KOSPI index and a US stock at the default sidebar width', async () => {
    await openContainer(page, m.containerTitle('kisMarket'));
    const pane = await viewPane(page, watchlistName);
    await pane.waitFor();
    results.sidebarWidth = Math.round((await page.locator('.part.sidebar').boundingBox())?.width ?? 0);
    for (const symbol of SYMBOLS) await subscribe(page, m.commandTitle('kisMarket.subscribe'), watchlistName, symbol);
    await shot('watchlist', [pane.locator('.pane-header'), ...(await pane.locator('.monaco-list-row').all())]);
  });

  it('sets a holding and opens the ticker', async () => {
    await runFromPalette(page, m.commandTitle('kisMarket.setHolding'));
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').first().fill(SAMSUNG.query);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: SAMSUNG.query }).first().click();
    for (const [title, value] of [
      [/quantity/i, HOLDING.quantity],
      [/average cost/i, HOLDING.averageCost],
    ]) {
      await widget.locator('.quick-input-title', { hasText: title }).waitFor();
      await widget.locator('input').first().fill(String(value));
      await page.keyboard.press('Enter');
    }
    await page.locator('[id$="kisMarket.portfolio"]').filter({ hasText: /KRW/ }).waitFor();

    const editorsBefore = await page.locator('.part.editor .tabs-container .tab').count();
    await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
    // A ticker opens or is revealed: its webview holds a row for each symbol.
    await page.waitForFunction(captureReady, { watchlistName, count: SYMBOLS.length });
    results.showTickerOpenedPanel = (await page.locator('.part.editor .tabs-container .tab').count()) > editorsBefore;
    // The header shows the selected symbol: select Samsung by its watchlist row (the row's click opens it in the ticker).
    const pane = await viewPane(page, watchlistName);
    await rowOf(pane, SAMSUNG).click();
    // Both tickers (the sidebar's and the panel Show Ticker opened) painted with Samsung charted.
    await page.waitForFunction(tickerHeaderShows, {
      names: SAMSUNG.names,
      count: results.showTickerOpenedPanel ? 2 : 1,
      painted: true,
    });
    // The chart's minute history arrives between two frames, just after a ticker charts a symbol: read the
    // charts then, each reading held still for QUIET_MS (a frame lands between), and hold each minute chart's
    // last close to its header.
    const opening = [];
    for (let i = 0; i < 12; i++) {
      const reading = await page.evaluate(captureViews, watchlistName);
      await page.waitForTimeout(QUIET_MS);
      const again = await page.evaluate(captureViews, watchlistName);
      if (JSON.stringify(chartCloses(reading)) === JSON.stringify(chartCloses(again))) opening.push(chartCloses(again));
    }
    results.chartCloseAtOpen = {
      quietReadings: opening.length,
      agreed: opening.filter((closes) => closes.length > 0 && closes.every((c) => c.header === c.lastClose)).length,
      examples: opening.filter((closes) => closes.some((c) => c.header !== c.lastClose)).slice(0, 3),
    };
    await shot('window');
    await shot('sidebar', [page.locator('.part.sidebar')], 0);
    assert.ok(results.chartCloseAtOpen.quietReadings > 0, 'the charts never held still just after opening');
    assert.equal(
      results.chartCloseAtOpen.agreed,
      results.chartCloseAtOpen.quietReadings,
      `just after the ticker opened, a minute chart's last close was not its header's price: ${JSON.stringify(results.chartCloseAtOpen.examples)}`,
    );
  });

  it('sets an alert just above the price of SK hynix', async () => {
    const capture = await page.evaluate(captureViews, watchlistName);
    const price = Number(pricesOf(capture, HYNIX).views.watchlist.replace(/,/g, ''));
    assert.ok(Number.isFinite(price) && price > 0, `no price for ${HYNIX.id} in ${JSON.stringify(capture.rows)}`);
    alertThreshold = price + krxTick(price);
    results.alert = { symbol: HYNIX.id, priceWhenSet: price, threshold: alertThreshold };
    // Every notification toast added from now on, kept (with its text) even after it closes.
    await page.evaluate(() => {
      window.__tourToasts = [];
      // A toast's text is drawn after its container is added, and cleared when it closes: keep the first text seen.
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          for (const node of mutation.addedNodes) {
            if (node.nodeType !== 1) continue;
            const toasts = node.matches('.notification-toast-container')
              ? [node]
              : [...node.querySelectorAll('.notification-toast-container')];
            // VS Code may move a toast's container in the DOM (re-added, same node): one toast, counted once.
            for (const toast of toasts)
              if (!window.__tourToasts.some((t) => t.node === toast))
                window.__tourToasts.push({ at: Date.now(), node: toast, text: '' });
          }
        }
        for (const toast of window.__tourToasts)
          if (toast.text === '') toast.text = (toast.node.textContent ?? '').trim().slice(0, 200);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.mouse.click(900, 400);
    await runFromPalette(page, m.commandTitle('kisMarket.addAlert'));
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').first().fill(HYNIX.query);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: HYNIX.query }).first().click();
    // The kind of rule ("Price rises to or above…"), then its threshold in an input box.
    await widget
      .locator('.quick-input-list .monaco-list-row', { hasText: /price rises|rises to or above/i })
      .first()
      .click();
    await widget.locator('.quick-input-title', { hasText: /rises|above|≥/i }).waitFor();
    await widget.locator('input').first().fill(String(alertThreshold));
    await page.keyboard.press('Enter');
    // Every crossing (the re-arm band and the cooldown keep it quiet), not "Once only": the harder case.
    await widget
      .locator('.quick-input-list .monaco-list-row', { hasText: /every crossing/i })
      .first()
      .click();
    await widget.waitFor({ state: 'hidden' });
    results.alert.setAt = Date.now();
  });

  it(`shows the same price for each symbol in every view, once a second for ${SAMPLES} s`, async () => {
    samples = [];
    const holdingOf = (symbol) => (symbol === SAMSUNG ? HOLDING : undefined);
    const disagreeing = (capture) =>
      SYMBOLS.filter((symbol) => !agree(pricesOf(capture, symbol, holdingOf(symbol)).views));
    let next = Date.now();
    for (let i = 0; i < SAMPLES; i++) {
      // The cadence is the test's subject (one reading a second), not a wait for something to happen.
      await page.waitForTimeout(Math.max(0, next - Date.now()));
      next += SAMPLE_EVERY_MS;
      const capture = await page.evaluate(captureViews, watchlistName);
      // Every view draws the same frame, but the tree and each webview get it by their own message, a few
      // ms apart: the asserted sample is one instant of the screen with no view changing, i.e. read again
      // QUIET_MS later and the same (within the second); the first reading is reported as agreedAtInstant.
      let quiet = capture;
      for (let tries = 0; tries < 5; tries++) {
        await page.waitForTimeout(QUIET_MS);
        const again = await page.evaluate(captureViews, watchlistName);
        const same =
          SYMBOLS.every(
            (symbol) =>
              JSON.stringify(pricesOf(again, symbol, holdingOf(symbol)).views) ===
              JSON.stringify(pricesOf(quiet, symbol, holdingOf(symbol)).views),
          ) &&
          JSON.stringify(booksOf(again)) === JSON.stringify(booksOf(quiet)) &&
          JSON.stringify(chartCloses(again)) === JSON.stringify(chartCloses(quiet));
        quiet = again;
        if (same) break;
      }
      // The tree and the webviews are drawn by separate messages, the tree one round trip to the extension
      // host later. A sample that disagrees is read again until the views agree or SETTLE_MS have passed: the
      // count is reported next to the asserted one, so a failure says whether the views lag or differ.
      let pending = disagreeing(capture);
      const settled = new Set();
      const deadline = Date.now() + SETTLE_MS;
      while (pending.length > 0 && Date.now() < deadline) {
        const again = await page.evaluate(captureViews, watchlistName);
        const still = disagreeing(again);
        for (const symbol of pending) if (!still.includes(symbol)) settled.add(symbol.id);
        pending = pending.filter((symbol) => still.includes(symbol));
      }
      samples.push({ capture, settled, quiet });
    }
    const bySymbol = {};
    const disagreements = [];
    for (const symbol of SYMBOLS) {
      const counts = { atInstant: 0, withinSettle: 0, whenQuiet: 0, distinctPrices: new Set() };
      for (const { capture, settled, quiet } of samples) {
        if (agree(pricesOf(quiet, symbol, holdingOf(symbol)).views)) counts.whenQuiet++;
        const { views } = pricesOf(capture, symbol, holdingOf(symbol));
        counts.distinctPrices.add(views.watchlist);
        if (agree(views)) counts.atInstant++;
        else if (disagreements.filter((d) => d.symbol === symbol.id).length < 4)
          disagreements.push({
            symbol: symbol.id,
            at: new Date(capture.at).toISOString(),
            views,
            agreedWithinSettle: settled.has(symbol.id),
          });
        if (agree(views) || settled.has(symbol.id)) counts.withinSettle++;
      }
      bySymbol[symbol.id] = {
        samples: samples.length,
        agreedWhenQuiet: counts.whenQuiet,
        agreedAtInstant: counts.atInstant,
        [`agreedWithin${SETTLE_MS}ms`]: counts.withinSettle,
        distinctWatchlistPrices: counts.distinctPrices.size,
      };
    }
    // The book under each ticker's chart (bid and ask, price × size) of the symbol both chart: one frame, one book.
    const bookSamples = samples.map(({ capture, quiet }) => ({
      atInstant: booksAgree(capture),
      whenQuiet: booksAgree(quiet),
      books: booksOf(quiet),
    }));
    const tickersCharting = (books) => Math.max(0, ...Object.values(books).map((texts) => Object.keys(texts).length));
    results.bookAgreement = {
      samples: bookSamples.length,
      withTwoTickers: bookSamples.filter((b) => tickersCharting(b.books) >= 2).length,
      agreedWhenQuiet: bookSamples.filter((b) => b.whenQuiet).length,
      agreedAtInstant: bookSamples.filter((b) => b.atInstant).length,
      distinctBooks: new Set(bookSamples.map((b) => JSON.stringify(b.books))).size,
      examples: bookSamples
        .filter((b) => !b.whenQuiet)
        .slice(0, 3)
        .map((b) => b.books),
      last: bookSamples.at(-1)?.books,
    };
    // The last candle of each minute chart against its header: one price per instant on the chart too.
    const closeSamples = samples.map(({ capture, quiet }) => ({
      atInstant: chartClosesAgree(capture),
      whenQuiet: chartClosesAgree(quiet),
      closes: chartCloses(quiet),
    }));
    results.chartCloseAgreement = {
      samples: closeSamples.length,
      agreedWhenQuiet: closeSamples.filter((c) => c.whenQuiet).length,
      agreedAtInstant: closeSamples.filter((c) => c.atInstant).length,
      examples: closeSamples
        .filter((c) => !c.whenQuiet)
        .slice(0, 3)
        .map((c) => c.closes),
      last: closeSamples.at(-1)?.closes,
    };
    const last = samples.at(-1).capture;
    results.agreement = bySymbol;
    results.disagreementExamples = disagreements;
    results.lastSample = {
      rows: last.rows.map((r) => `${r.label} | ${r.description}`),
      tickers: last.tickers.map((t) => ({
        surface: t.surface,
        drawn: t.drawn,
        frameHeight: Math.round(t.frameHeight),
        rowsOnScreen: t.rowsOnScreen,
        header: t.header,
        rows: t.rows.map((r) => ({ symbol: r.symbol, last: r.last, height: Math.round(r.height) })),
      })),
      portfolio: last.portfolio,
      status: last.status,
      blockedFrames: last.blocked,
    };
    saveResults();
    assert.ok(
      last.tickers.some((t) => t.drawn),
      `no ticker webview on screen could be read (frames not reachable: ${last.blocked.join(', ')})`,
    );
    // The symbols stream: a minute of demo trading moves every price at least once.
    for (const symbol of SYMBOLS)
      assert.ok(bySymbol[symbol.id].distinctWatchlistPrices > 1, `${symbol.id} never moved in ${SAMPLES} s`);
    const books = results.bookAgreement;
    assert.equal(
      books.withTwoTickers,
      SAMPLES,
      `both tickers (sidebar and panel) chart one symbol at every sample: ${JSON.stringify(books.last)}`,
    );
    assert.ok(books.distinctBooks > 1, `the book never changed in ${SAMPLES} s: ${JSON.stringify(books.last)}`);
    assert.equal(
      books.agreedWhenQuiet,
      SAMPLES,
      `the two tickers showed the same bid and ask at ${books.agreedWhenQuiet} of ${SAMPLES} quiet samples (${books.agreedAtInstant} at any instant); e.g. ${JSON.stringify(books.examples)}`,
    );
    const closes = results.chartCloseAgreement;
    assert.equal(
      closes.agreedWhenQuiet,
      SAMPLES,
      `the minute chart's last close was the header's price at ${closes.agreedWhenQuiet} of ${SAMPLES} quiet samples (${closes.agreedAtInstant} at any instant); e.g. ${JSON.stringify(closes.examples)}`,
    );
    for (const symbol of SYMBOLS) {
      assert.equal(
        bySymbol[symbol.id].agreedWhenQuiet,
        SAMPLES,
        `${symbol.id}: the views agreed at ${bySymbol[symbol.id].agreedWhenQuiet} of ${SAMPLES} quiet samples (${bySymbol[symbol.id].agreedAtInstant} at any instant) (${bySymbol[symbol.id][`agreedWithin${SETTLE_MS}ms`]} within ${SETTLE_MS} ms); e.g. ${JSON.stringify(disagreements.filter((d) => d.symbol === symbol.id).slice(0, 3))}`,
      );
    }
  });

  it('fires the alert set just above the price at most once in that minute', async () => {
    const toasts = await page.evaluate(() => window.__tourToasts.map((t) => ({ at: t.at, text: t.text })));
    const alertToasts = toasts.filter((t) => /Alert:|알림:/.test(t.text));
    const logged = extensionLogLines(runDir, /Alert fired:/);
    const alerts = await viewPane(page, m.viewName('kisMarket.alerts'));
    const alertRows = (await alerts.locator('.monaco-list-row').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
    await page.screenshot({ path: path.join(OUT, 'en-alerts.png') });
    Object.assign(results.alert, {
      toasts: alertToasts.length,
      toastTimes: alertToasts.map((t) => new Date(t.at).toISOString()),
      toastTexts: alertToasts.slice(0, 3).map((t) => t.text),
      logLines: logged.length,
      alertsView: alertRows,
    });
    saveResults();
    assert.ok(alertToasts.length <= 1, `the alert showed ${alertToasts.length} toasts in ${SAMPLES} s`);
    assert.ok(logged.length <= 1, `the alert fired ${logged.length} times in ${SAMPLES} s (log)`);
  });

  it(`shows a live row's tooltip within ${TOOLTIP_HOLD_MS / 1000} s of resting on it, for a KRX stock, an index and a US stock`, async () => {
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    await page.keyboard.press('Escape');
    const pane = await viewPane(page, watchlistName);
    results.tooltips = {};
    for (const [kind, symbol] of [
      ['KRX', SAMSUNG],
      ['index', KOSPI],
      ['US', APPLE],
    ]) {
      const row = rowOf(pane, symbol);
      // VS Code drops a row's pending hover when the row is redrawn in the 500 ms before it opens, and does not
      // try again while the pointer rests (measured: about half of first hovers on a row redrawn every second).
      // A person whose tooltip does not come moves away and back; once one opens, the views hold their redraws
      // (views/quoteFrame.ts) and it must stay open the whole hold while the row is live.
      let watched;
      let attempts = 0;
      while (attempts < HOVER_TRIES) {
        attempts++;
        await page.mouse.move(900, 300, { steps: 3 });
        watched = await watchTooltip(page, row.locator('.label-name').first(), TOOLTIP_HOLD_MS);
        if (watched.visibleAfterHold) break;
      }
      results.tooltips[kind] = { symbol: symbol.id, attempts, ...watched };
      if (kind === 'KRX') {
        const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /\S/ }).first();
        const visible = await hover.isVisible();
        await shotOfRegion(page, path.join(OUT, 'en-tooltip.png'), [row, ...(visible ? [hover] : [])], 24);
      }
    }
    saveResults();
    await page.mouse.move(900, 300);
    for (const [kind, watched] of Object.entries(results.tooltips)) {
      assert.ok(
        watched.visibleAfterHold,
        `${kind}: no tooltip ${TOOLTIP_HOLD_MS} ms after resting on a live row (${JSON.stringify(watched)})`,
      );
    }
  });

  it('labels no row with a raw key and shows the status bar in words', async () => {
    const capture = await page.evaluate(captureViews, watchlistName);
    const labels = capture.rows.map((r) => r.label);
    results.rowLabels = labels.map((label) => ({ label, name: labelName(label), rawKey: isRawKey(label) }));
    const status = page.locator('[id$="kisMarket.status"]');
    await status.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /\S/ }).first();
    const hovered = await hover.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    await shotOfRegion(page, path.join(OUT, 'en-statusbar.png'), [
      status,
      page.locator('[id$="kisMarket.portfolio"]'),
      ...(hovered ? [hover] : []),
    ]);
    results.statusBar = {
      text: capture.status,
      portfolio: capture.portfolio,
      tooltipLines: hovered ? (await hover.innerText()).split('\n').filter((l) => l.trim() !== '').length : undefined,
    };
    saveResults();
    await page.mouse.move(900, 300);
    const raw = results.rowLabels.filter((r) => r.rawKey);
    assert.deepEqual(raw, [], `rows labelled with a raw key: ${JSON.stringify(raw)}`);
  });
});

/** Copies a passing run's screenshots of `language` to docs/tour/ (KIS_E2E_PUBLISH=1). */
function publish(suite, language) {
  const passed = suite.tests.every((test) => test.state === 'passed');
  if (process.env.KIS_E2E_PUBLISH !== '1' || !passed) return;
  const docs = path.join(projectRoot, 'docs', 'tour');
  fs.mkdirSync(docs, { recursive: true });
  for (const file of fs.readdirSync(OUT).filter((f) => f.startsWith(`${language}-`) && f.endsWith('.png')))
    fs.copyFileSync(path.join(OUT, file), path.join(docs, file));
  console.log(`      [e2e] copied the ${language} tour screenshots to docs/tour/`);
}

describe('screen tour in the Korean UI', function () {
  this.timeout(3 * STEP_MS);
  const ko = koreanUi(OUT);
  let server;
  let browser;
  let page;

  before(async function () {
    this.timeout(10 * STEP_MS);
    ({ server, browser, page } = await openTourWorkbench(path.join(OUT, 'ko-server'), {
      stepMs: STEP_MS,
      ...ko.workbench,
    }));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page
        .screenshot({ path: path.join(OUT, `failure-ko-${this.currentTest.title.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      await page.keyboard.press('Escape');
    }
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    publish(this.test.parent, 'ko');
  });

  it('shows the extension in Korean with Hangul names, the ticker and a row tooltip', async () => {
    const m = ko.manifest;
    await openContainer(page, m.containerTitle('kisMarket'));
    const watchlistName = m.viewName('kisMarket.watchlist');
    const pane = await viewPane(page, watchlistName);
    for (const symbol of SYMBOLS) await subscribe(page, m.commandTitle('kisMarket.subscribe'), watchlistName, symbol);
    await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
    await page.waitForFunction(captureReady, { count: SYMBOLS.length });
    await page.locator('.part.sidebar').filter({ hasText: watchlistName }).waitFor();
    await page.screenshot({ path: path.join(OUT, 'ko-window.png') });
    await shotOfRegion(page, path.join(OUT, 'ko-sidebar.png'), [page.locator('.part.sidebar')], 0);
    const row = rowOf(pane, SAMSUNG);
    // As in the English pass: a first hover on a busy row may not come (VS Code drops it when the row is
    // redrawn before it opens); a person moves away and back.
    let watched;
    let attempts = 0;
    while (attempts < HOVER_TRIES) {
      attempts++;
      await page.mouse.move(900, 300, { steps: 3 });
      watched = await watchTooltip(page, row.locator('.label-name').first(), TOOLTIP_HOLD_MS);
      if (watched.visibleAfterHold) break;
    }
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /\S/ }).first();
    await shotOfRegion(
      page,
      path.join(OUT, 'ko-tooltip.png'),
      [row, ...((await hover.isVisible()) ? [hover] : [])],
      24,
    );
    results.korean = {
      how: ko.how,
      tooltip: { attempts, ...watched },
      rows: (await page.evaluate(captureViews, watchlistName)).rows.map((r) => `${r.label} | ${r.description}`),
    };
    saveResults();
    // The view's Korean name is the manifest's (package.nls.ko.json): the extension runs in Korean, and the
    // watchlist names Samsung in Hangul (its row or description).
    const sidebar = await page.locator('.part.sidebar').innerText();
    assert.match(sidebar, new RegExp(watchlistName));
    assert.match(sidebar, /삼성전자/);
  });
});
