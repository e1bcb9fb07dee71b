// The trading day as the screen shows it, in a real VS Code (code-server + headless Chromium, 1280×800, the
// sidebar at its default width) with the built-in simulator in calendar mode (`kisMarket.simulator.clock`
// and `kisMarket.simulator.speed` in the user settings before VS Code starts):
// - the KRX opening auction (Tue 08:55:30 at 4× speed) gives way to the open: during the auction every row
//   shows an expected price marked as expected and none says stale, the ticker never shows a bare 0; the
//   rows' time follows the auction (the last reading before 09:00 says 08:58 or 08:59, not the 08:55 of the
//   REST price they started with); after 09:00 the rows show trade prices;
// - a Saturday (10:00) and a weekday before the open (05:00): the ticker's 1m chart shows the last trading
//   day's minute bars labelled with its date, no bar of the simulated day, times from the simulated clock;
//   KOSPI has minute bars too. On the Saturday every row shows Friday's change against Thursday's close (as
//   KIS's inquire-price does on a weekend), not 0, and the ticker's header the same numbers as the row.
// Not in `npm run test:e2e` (its name is not *.e2e.mjs): it plays minutes of a simulated day, so it runs on its
// own with `npm run test:e2e:calendar`, keeping `npm test` short.
// Screenshots go to .vscode-test/e2e/calendar-day/; with KIS_E2E_PUBLISH=1 a passing suite copies them to
// docs/calendar/.
/* global document */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import { e2eDir, manifest, openContainer, runFromPalette, viewPane } from './workbench.mjs';
import { captureReady, captureViews, openTourWorkbench, parsePrice, tickerHeaderShows } from './tourViews.mjs';

const OUT = path.join(e2eDir, 'calendar-day');
const STEP_MS = 60_000;
/** How many readings of the auction are asserted (one a second of real time, i.e. 4 s simulated). */
const AUCTION_SAMPLES = 5;

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
const HYUNDAI = {
  id: '005380',
  query: '005380',
  pick: '현대차',
  keys: ['005380'],
  names: ['005380', '현대차', 'Hyundai Motor', 'Hyundai'],
};
const KOSPI = {
  id: 'KOSPI',
  query: '0001',
  pick: 'KOSPI',
  keys: ['0001', 'KOSPI'],
  names: ['KOSPI', '코스피', '0001'],
};

const results = {};
function saveResults() {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'calendar-results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** The harness's user settings plus the simulated clock, written before the server starts. */
function withSimulatedClock(clock, speed) {
  return (runDir) => {
    const user = path.join(runDir, 'data', 'User');
    fs.mkdirSync(user, { recursive: true });
    const harness = JSON.parse(
      fs.readFileSync(path.join(projectRoot, 'scripts', 'vscode-harness', 'settings.json'), 'utf8'),
    );
    fs.writeFileSync(
      path.join(user, 'settings.json'),
      JSON.stringify({ ...harness, 'kisMarket.simulator.clock': clock, 'kisMarket.simulator.speed': speed }, null, 2),
    );
  };
}

/** Subscribes `symbol` through the palette and waits for its row to show a price. */
async function subscribe(page, title, watchlistName, symbol) {
  await runFromPalette(page, title);
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').first().fill(symbol.query);
  const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: symbol.pick }).first();
  const ticked = widget
    .locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: symbol.pick })
    .first();
  // The extension rebuilds the items as the typed value settles, which can untick the row between the tick
  // and OK (then the pick stays open): tick and accept again until the pick closes.
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
        break;
    }
    if (attempt >= 6) throw new Error(`the pick for "${symbol.query}" did not accept "${symbol.pick}"`);
  }
  await page.waitForFunction(
    ({ name, names }) => {
      for (const row of document.querySelectorAll('.part.sidebar .pane .monaco-list-row')) {
        const pane = row.closest('.pane');
        if (!(pane?.querySelector('.pane-header')?.textContent ?? '').includes(name)) continue;
        const text = row.textContent ?? '';
        if (names.some((n) => text.includes(n)) && /\d,\d{3}/.test(text)) return true;
      }
      return false;
    },
    { name: watchlistName, names: symbol.names },
  );
}

/** The watchlist row of `symbol`. */
function rowOf(pane, symbol) {
  const names = new RegExp(symbol.names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  return pane.locator('.monaco-list-row', { hasText: names }).first();
}

/** The row of `symbol` in a capture (label + description + aria), or undefined. */
function rowText(capture, symbol) {
  const row =
    capture.rows.find((r) => symbol.names.some((n) => r.label.includes(n))) ??
    capture.rows.find((r) => symbol.names.some((n) => r.text.includes(n)));
  return row ? `${row.label} | ${row.description} | ${row.aria}` : undefined;
}

/**
 * The drawn ticker chart whose header names one of `names`, once it has minute bars and a status line with
 * `label` and its history loaded or given up (else false): its header, status line, pressed view and what the canvas holds (bar count, first and
 * last bar on the KST axis, as the page exposes them). Runs in the browser (used with waitForFunction).
 */
function chartShowing({ names, label }) {
  let found = false;
  const visit = (doc, depth) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null; // a frame of another origin
      }
      if (!inner) continue;
      const chart = inner.querySelector('#chart');
      if (chart) {
        const box = frame.getBoundingClientRect();
        const seen = {
          header:
            `${inner.querySelector('#selected-symbol')?.textContent ?? ''} ${inner.querySelector('#selected-name')?.textContent ?? ''}`.trim(),
          last: inner.querySelector('#selected-last')?.textContent ?? '',
          status: inner.querySelector('#chart-status')?.textContent ?? '',
          history: inner.querySelector('#chart-status')?.dataset.state ?? '',
          minutePressed: inner.querySelector('#view-minute')?.getAttribute('aria-pressed') ?? '',
          bars: Number(chart.dataset.bars ?? '0'),
          first: chart.dataset.first ?? '',
          lastBar: chart.dataset.last ?? '',
        };
        if (
          box.width > 0 &&
          box.height > 0 &&
          names.some((n) => seen.header.includes(n)) &&
          seen.bars > 0 &&
          ['ready', 'unavailable'].includes(seen.history) &&
          seen.status.includes(label)
        )
          found = seen;
      } else if (depth < 3) {
        visit(inner, depth + 1);
      }
    }
  };
  visit(document, 0);
  return found;
}

/** Waits for {@link chartShowing} and returns what it read. */
async function waitForChart(page, names, label) {
  const handle = await page.waitForFunction(chartShowing, { names, label });
  return handle.jsonValue();
}

/** The machine's KST wall clock as HH:MM, to tell a simulated time from the real one. */
function machineKstClock(offsetMinutes = 0) {
  return new Date(Date.now() + (9 * 60 + offsetMinutes) * 60_000).toISOString().slice(11, 16);
}

/** The price of a ticker cell, an expected one (≈71,700) included. */
function shownPrice(text) {
  return parsePrice(String(text ?? '').replace(/≈\s?/g, ''))?.value ?? 0;
}

/** Every `as of HH:MM` a text shows. */
function asOfTimes(text) {
  return [...String(text).matchAll(/as of (\d{2}:\d{2})/g)].map((m) => m[1]);
}

/** Copies a passing suite's screenshots to docs/calendar/ (KIS_E2E_PUBLISH=1). */
function publish(suite, files, tests = suite.tests) {
  const passed = tests.every((test) => test.state === 'passed');
  if (process.env.KIS_E2E_PUBLISH !== '1' || !passed) return;
  const docs = path.join(projectRoot, 'docs', 'calendar');
  fs.mkdirSync(docs, { recursive: true });
  for (const file of files) fs.copyFileSync(path.join(OUT, file), path.join(docs, file));
  console.log(`      [e2e] copied ${files.join(', ')} to docs/calendar/`);
}

/** A workbench at 1280×800 on the simulated clock, with the KIS container open; closed in `after`. */
function calendarWorkbench(name, clock, speed) {
  const state = {};
  before(async function () {
    this.timeout(10 * STEP_MS);
    Object.assign(
      state,
      await openTourWorkbench(path.join(OUT, `${name}-server`), {
        stepMs: STEP_MS,
        beforeStart: withSimulatedClock(clock, speed),
      }),
    );
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && state.page) {
      await state.page
        .screenshot({ path: path.join(OUT, `failure-${name}-${this.currentTest.title.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
    }
    saveResults();
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  return state;
}

describe('calendar day: the opening auction gives way to the open (Tue 08:55:30, 4× speed)', function () {
  this.timeout(5 * STEP_MS);
  const m = manifest();
  const watchlistName = m.viewName('kisMarket.watchlist');
  const SYMBOLS = [SAMSUNG, HYNIX, HYUNDAI];
  const wb = calendarWorkbench('auction', '2026-12-08T08:55:30+09:00', 4);
  after(function () {
    publish(this.test.parent, ['auction-0856.png', 'open-0901.png']);
  });

  it('subscribes three stocks and opens the ticker during the auction', async () => {
    const { page } = wb;
    await openContainer(page, m.containerTitle('kisMarket'));
    const pane = await viewPane(page, watchlistName);
    await pane.waitFor();
    for (const symbol of SYMBOLS) await subscribe(page, m.commandTitle('kisMarket.subscribe'), watchlistName, symbol);
    await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
    await page.waitForFunction(captureReady, { count: SYMBOLS.length });
    await rowOf(pane, SAMSUNG).click();
    await page.waitForFunction(tickerHeaderShows, { names: SAMSUNG.names });
  });

  it('shows every row an expected price marked as expected, never stale, and no 0 in the ticker', async () => {
    const { page } = wb;
    const samples = [];
    for (let i = 0; i < AUCTION_SAMPLES; i++) {
      // One reading a second is the sampling itself (the auction is several readings long), not a wait for an event.
      if (i > 0) await page.waitForTimeout(1000);
      const capture = await page.evaluate(captureViews, watchlistName);
      samples.push(capture);
      if (i === 0) await page.screenshot({ path: path.join(OUT, 'auction-0856.png') });
    }
    results.auction = samples.map((c) => ({
      status: c.status,
      rows: SYMBOLS.map((s) => rowText(c, s)),
      ticker: c.tickers
        .filter((t) => t.drawn)
        .map((t) => ({ header: t.header, rows: t.rows.map((r) => `${r.symbol}: ${r.last} | ${r.text}`) })),
    }));
    saveResults();
    for (const capture of samples) {
      assert.match(capture.status, /auction/i, `the status bar left the auction while sampling it: ${capture.status}`);
      for (const symbol of SYMBOLS) {
        const text = rowText(capture, symbol);
        assert.ok(text, `${symbol.id}: no watchlist row in ${JSON.stringify(capture.rows)}`);
        assert.match(text, /≈\s?\d{1,3}(,\d{3})+/, `${symbol.id}: no expected price (≈) during the auction: ${text}`);
        assert.match(text, /expected/i, `${symbol.id}: the price is not marked as expected: ${text}`);
        assert.doesNotMatch(text, /stale/i, `${symbol.id}: the row says stale during the auction: ${text}`);
      }
      const tickers = capture.tickers.filter((t) => t.drawn);
      assert.ok(tickers.length > 0, 'no ticker webview on screen');
      for (const ticker of tickers) {
        for (const row of ticker.rows) {
          assert.ok(shownPrice(row.last) > 0, `the ticker row ${row.symbol} shows no price above 0: "${row.last}"`);
        }
        if (ticker.header.last.trim() !== '')
          assert.ok(shownPrice(ticker.header.last) > 0, `the ticker header shows "${ticker.header.last}"`);
      }
    }
  });

  it('replaces the expected prices with trade prices after 09:00', async () => {
    const { page } = wb;
    const status = page.locator('[id$="kisMarket.status"]');
    // The simulated clock reaches 09:00 about 80 s (real) after the start at 4× speed. The rows are read once a
    // second until then: the last expected prices are reported next to the open (a diagnostic, not asserted).
    let lastAuction;
    const deadline = Date.now() + 4 * STEP_MS;
    for (;;) {
      const capture = await page.evaluate(captureViews, watchlistName);
      if (!/auction/i.test(capture.status)) break;
      lastAuction = { status: capture.status, rows: SYMBOLS.map((s) => rowText(capture, s)) };
      assert.ok(Date.now() < deadline, `still in the auction after ${(4 * STEP_MS) / 1000} s: ${capture.status}`);
      await page.waitForTimeout(1000);
    }
    results.lastAuctionReading = lastAuction;
    // The rows' time follows the auction's records: a second (4 s simulated) before 09:00 it is 08:58 or 08:59.
    assert.ok(lastAuction, 'no reading of the auction before the open');
    for (const [i, text] of lastAuction.rows.entries()) {
      const times = asOfTimes(text);
      assert.ok(
        times.length > 0 && times.every((t) => t === '08:58' || t === '08:59'),
        `${SYMBOLS[i].id}: the row's time does not follow the auction just before 09:00: ${text}`,
      );
    }
    await status
      .filter({ hasNotText: /auction/i })
      .filter({ hasText: /live/i })
      .waitFor();
    await page.waitForFunction(
      ({ name, count }) => {
        const rows = [...document.querySelectorAll('.part.sidebar .pane')]
          .filter((pane) => (pane.querySelector('.pane-header')?.textContent ?? '').includes(name))
          .flatMap((pane) => [...pane.querySelectorAll('.monaco-list-row')]);
        return (
          rows.length >= count &&
          rows.every((row) => !(row.textContent ?? '').includes('≈') && /\d,\d{3}/.test(row.textContent ?? ''))
        );
      },
      { name: watchlistName, count: SYMBOLS.length },
    );
    // A few seconds of the open (4× speed: about 09:01) so the first trades move the prices.
    await page.waitForTimeout(3000);
    const capture = await page.evaluate(captureViews, watchlistName);
    await page.screenshot({ path: path.join(OUT, 'open-0901.png') });
    results.open = {
      status: capture.status,
      rows: SYMBOLS.map((s) => rowText(capture, s)),
      ticker: capture.tickers
        .filter((t) => t.drawn)
        .map((t) => ({ header: t.header, rows: t.rows.map((r) => `${r.symbol}: ${r.last}`) })),
    };
    saveResults();
    for (const symbol of SYMBOLS) {
      const text = rowText(capture, symbol);
      assert.doesNotMatch(text, /≈|expected/i, `${symbol.id}: still an expected price after the open: ${text}`);
      assert.ok(
        (parsePrice(
          text
            .split('|')[0]
            .split(/\s+/)
            .filter((t) => !symbol.names.includes(t))
            .join(' '),
        )?.value ??
          parsePrice(text.split('|')[1])?.value ??
          0) > 0,
        `${symbol.id}: no trade price after the open: ${text}`,
      );
      assert.doesNotMatch(text, /stale/i, `${symbol.id}: stale right after the open: ${text}`);
    }
    for (const ticker of capture.tickers.filter((t) => t.drawn)) {
      for (const row of ticker.rows)
        assert.ok(
          (parsePrice(row.last)?.value ?? 0) > 0,
          `the ticker row ${row.symbol} shows "${row.last}" after the open`,
        );
    }
  });
});

/** The signed change and the percent a row's label and description show (`71,900  -0.42%` | `-300 · closed`). */
function rowChange(text) {
  const [label, description] = String(text).split(' | ');
  return {
    rate: label.match(/([+-]?\d+\.\d{2})%/)?.[1] ?? '',
    change: description.match(/^([+-]?[\d,]+(?:\.\d{2})?)/)?.[1] ?? '',
  };
}

/** Opens the ticker on Samsung (1m) with KOSPI also listed, and checks the minute chart is `day`'s, labelled `label`. */
function lastTradingDayChart(name, clock, { day, label, shot, simulatedDay, closedDay = false }) {
  describe(`calendar day: ${name} shows ${label}'s minute bars (${clock})`, function () {
    this.timeout(5 * STEP_MS);
    const m = manifest();
    const watchlistName = m.viewName('kisMarket.watchlist');
    const wb = calendarWorkbench(name, clock, 1);
    after(function () {
      // The picture is the first test's (Samsung's chart); it is published when that test passed.
      publish(this.test.parent, [shot], this.test.parent.tests.slice(0, 1));
    });

    it(`shows Samsung's 1m chart as ${label}'s bars labelled with its date, none of ${simulatedDay}, and simulated times`, async () => {
      const { page } = wb;
      await openContainer(page, m.containerTitle('kisMarket'));
      const pane = await viewPane(page, watchlistName);
      await pane.waitFor();
      for (const symbol of [SAMSUNG, KOSPI])
        await subscribe(page, m.commandTitle('kisMarket.subscribe'), watchlistName, symbol);
      await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
      await page.waitForFunction(captureReady, { count: 2 });
      await rowOf(pane, SAMSUNG).click();
      await page.waitForFunction(tickerHeaderShows, { names: SAMSUNG.names });
      const samsung = await waitForChart(page, SAMSUNG.names, `Last trading day: ${label}`);
      // Off the chart, so no crosshair is drawn in the picture.
      await page.mouse.move(200, 250);
      const capture = await page.evaluate(captureViews, watchlistName);
      await page.screenshot({ path: path.join(OUT, shot) });

      const rows = [SAMSUNG, KOSPI].map((s) => rowText(capture, s));
      const machine = [-1, 0, 1].map((offset) => machineKstClock(offset));
      results[name] = { clock, machineKst: machine[1], samsung, rows, status: capture.status };
      saveResults();
      assert.equal(samsung.minutePressed, 'true', 'the chart is not the 1m view');
      assert.ok(
        samsung.first.startsWith(day) && samsung.lastBar.startsWith(day),
        `bars ${samsung.first} … ${samsung.lastBar}, not all of ${day}`,
      );
      for (const text of rows) {
        assert.ok(text, `a watchlist row is missing: ${JSON.stringify(capture.rows)}`);
        for (const time of asOfTimes(text))
          assert.ok(
            !machine.includes(time),
            `a row shows the machine's time ${time} (KST now ${machine[1]}), not the simulated clock's: ${text}`,
          );
      }
      if (closedDay) {
        // A closed day shows the last trading day's change against the day before it, as KIS's inquire-price does.
        for (const text of rows) {
          const { rate, change } = rowChange(text);
          assert.ok(
            rate !== '' && Number(rate) !== 0 && change !== '' && Number(change.replace(/,/g, '')) !== 0,
            `a row shows no change of ${label} on ${simulatedDay}: ${text}`,
          );
        }
        // The ticker's header says the same numbers as Samsung's row: `71,900 -300 -0.42%`.
        const samsungRow = rowChange(rows[0]);
        assert.match(
          samsung.last,
          new RegExp(`${samsungRow.change.replace(/[+]/g, '\\+')}\\s+${samsungRow.rate.replace(/[+]/g, '\\+')}%`),
          `the ticker header "${samsung.last}" disagrees with the row: ${rows[0]}`,
        );
      }
    });

    it(`shows KOSPI's minute bars of ${label}, labelled, none of ${simulatedDay}`, async () => {
      const { page } = wb;
      const pane = await viewPane(page, watchlistName);
      await rowOf(pane, KOSPI).click();
      await page.waitForFunction(tickerHeaderShows, { names: KOSPI.names });
      // Minute bars with the history loaded (the label is asserted below, so a missing one fails with what the chart shows).
      const kospi = await waitForChart(page, KOSPI.names, '');
      // Off the chart, so no crosshair is drawn in the picture.
      await page.mouse.move(200, 250);
      await page.screenshot({ path: path.join(OUT, `${name}-kospi.png`) });
      results[name] = { ...results[name], kospi };
      saveResults();
      assert.equal(kospi.minutePressed, 'true', 'the chart is not the 1m view');
      assert.ok(
        !kospi.lastBar.startsWith(simulatedDay) && !kospi.first.startsWith(simulatedDay),
        `a KOSPI bar dated ${simulatedDay}: ${kospi.first} … ${kospi.lastBar} (${kospi.bars} bars)`,
      );
      assert.ok(
        kospi.first.startsWith(day) && kospi.lastBar.startsWith(day),
        `KOSPI bars ${kospi.first} … ${kospi.lastBar}, not all of ${day}`,
      );
      assert.match(
        kospi.status,
        new RegExp(`Last trading day: ${label}`),
        `KOSPI's chart is not labelled ${label}: "${kospi.status}"`,
      );
    });
  });
}

lastTradingDayChart('saturday', '2026-12-05T10:00:00+09:00', {
  day: '2026-12-04',
  label: 'Fri 12/04',
  shot: 'saturday-1000.png',
  simulatedDay: '2026-12-05',
  closedDay: true,
});
lastTradingDayChart('before-open', '2026-12-08T05:00:00+09:00', {
  day: '2026-12-07',
  label: 'Mon 12/07',
  shot: 'weekday-0500.png',
  simulatedDay: '2026-12-08',
});
