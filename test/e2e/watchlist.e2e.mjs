// End to end: the packaged .vsix installed into a real VS Code (code-server 4.139.1 = VS Code 1.139.1),
// driven through its UI by headless Chromium. The data source is the embedded simulator (the default).
// Screenshots go to .vscode-test/e2e/; with KIS_E2E_PUBLISH=1 the final ones are copied to docs/ for the README.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import {
  e2eDir,
  exactly,
  manifest,
  openContainer,
  openWorkbench,
  pickFromQuickPick,
  runFromPalette,
  shotOfRegion,
  viewPane,
  webviewFrame,
  widenSidebar,
} from './workbench.mjs';

const SYMBOL = '005930';
const NAME = '삼성전자';
/** What its watchlist row starts with in the English UI (the short name: src/views/watchlist/rowLabel.ts). */
const ROW_LABEL = 'Samsung Elec';
/** A second symbol, which must keep streaming when the first is unsubscribed. */
const OTHER = '000660';
const OTHER_NAME = 'SK하이닉스';
const OTHER_ROW_LABEL = 'SK hynix';
const STEP_MS = 60_000;

describe('KIS Market Monitor in VS Code (code-server + Chromium)', function () {
  this.timeout(3 * STEP_MS);
  const m = manifest();
  const statusId = `${m.extensionId}.kisMarket.status`;
  let server;
  let browser;
  let page;

  /** Saves a screenshot under .vscode-test/e2e/ (optionally of one element) and returns its path. */
  async function shot(name, locator) {
    const file = path.join(e2eDir, `${name}.png`);
    await (locator ?? page).screenshot({ path: file });
    return file;
  }

  before(async function () {
    this.timeout(10 * STEP_MS);
    // The server in a folder of its own: the other suites' pictures under e2eDir stay.
    ({ server, browser, page } = await openWorkbench(path.join(e2eDir, 'watchlist-server'), { stepMs: STEP_MS }));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = await shot(`failure-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
      if (file) console.log(`      screenshot of the failure: ${path.relative(projectRoot, file)}`);
      await page.keyboard.press('Escape'); // a quick pick left open would block the next test
    }
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    // KIS_E2E_PUBLISH=1 refreshes the README's screenshots in docs/ from a run where every test passed.
    const passed = this.test.parent.tests.every((test) => test.state === 'passed');
    if (process.env.KIS_E2E_PUBLISH === '1' && passed) {
      for (const [from, to] of [
        ['watchlist', 'screenshot-watchlist'],
        ['ticker', 'screenshot-ticker'],
        ['statusbar', 'screenshot-statusbar'],
      ]) {
        fs.copyFileSync(path.join(e2eDir, `${from}.png`), path.join(projectRoot, 'docs', `${to}.png`));
      }
      console.log('      [e2e] copied the screenshots to docs/');
    }
  });

  it('shows the KIS Market container with the watchlist view', async () => {
    await openContainer(page, m.containerTitle('kisMarket'));
    const pane = await viewPane(page, m.viewName('kisMarket.watchlist'));
    await pane.waitFor();
    await widenSidebar(page, 620);
  });

  it('subscribes to a symbol from the command palette and streams its price into the watchlist', async () => {
    await runFromPalette(page, m.commandTitle('kisMarket.subscribe'));
    await pickFromQuickPick(page, SYMBOL, NAME);

    const pane = await viewPane(page, m.viewName('kisMarket.watchlist'));
    const row = pane.locator('.monaco-list-row', { hasText: ROW_LABEL }).first();
    // Wait for the first price (the row says "waiting for data" until then), then for it to change.
    await row.filter({ hasText: /\d{1,3}(,\d{3})+/ }).waitFor();
    const first = (await row.innerText()).trim();
    assert.match(first, new RegExp(`^${ROW_LABEL}`));
    await row.filter({ hasNotText: exactly(first) }).waitFor();
    const second = (await row.innerText()).trim();
    assert.notEqual(second, first);

    await runFromPalette(page, m.commandTitle('kisMarket.subscribe'));
    await pickFromQuickPick(page, OTHER, OTHER_NAME);
    await pane
      .locator('.monaco-list-row', { hasText: OTHER_ROW_LABEL })
      .filter({ hasText: /\d{1,3}(,\d{3})+/ })
      .waitFor();
    await shot('watchlist-window');
    await shotOfRegion(page, path.join(e2eDir, 'watchlist.png'), [
      pane.locator('.pane-header'),
      ...(await pane.locator('.monaco-list-row').all()),
    ]);
  });

  it('shows the symbol in the ticker webview with a changing price and a drawn chart', async () => {
    await runFromPalette(page, m.commandTitle('kisMarket.showTicker'));
    const frame = await webviewFrame(page, '#ticker-rows');
    const last = frame.locator(`.ticker-row[data-symbol="${SYMBOL}"] .last`);
    await last.filter({ hasText: /\d/ }).waitFor();
    const first = (await last.innerText()).trim();
    await last.filter({ hasNotText: exactly(first) }).waitFor();
    // The chart draws into a canvas with a real size.
    const canvas = frame.locator('#chart canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 50 && box.height > 50, `chart canvas size ${JSON.stringify(box)}`);
    await shot('ticker-window');
    // The README's picture: the sidebar with both views (webviews are overlaid on the workbench, so this
    // is a region of the page rather than an element screenshot of the iframe's DOM parent).
    await shotOfRegion(page, path.join(e2eDir, 'ticker.png'), [page.locator('.part.sidebar')], 0);
  });

  it('shows the live state and subscription count in the status bar', async () => {
    const item = page.locator(`[id="${statusId}"]`);
    await item.waitFor();
    // Live: "KIS live <used>/<limit>" registrations (the message rate is in the tooltip).
    await item.filter({ hasText: /KIS live\s+\d+\/\d+/ }).waitFor();
    const text = (await item.innerText()).trim();
    assert.match(text, /\d+\/\d+/);
    // Its hover lists the statistics.
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Data source' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /Simulator/);
    await shotOfRegion(page, path.join(e2eDir, 'statusbar.png'), [item, hover]);
    await page.mouse.move(700, 400);
  });

  it('unsubscribes from the command palette and the row goes', async () => {
    await runFromPalette(page, m.commandTitle('kisMarket.unsubscribe'));
    await pickFromQuickPick(page, SYMBOL, NAME);
    const pane = await viewPane(page, m.viewName('kisMarket.watchlist'));
    await pane.locator('.monaco-list-row', { hasText: ROW_LABEL }).waitFor({ state: 'detached' });
    const frame = await webviewFrame(page, '#ticker-rows');
    await frame.locator(`.ticker-row[data-symbol="${SYMBOL}"]`).waitFor({ state: 'detached' });
    // The other symbol stays and keeps streaming.
    const other = frame.locator(`.ticker-row[data-symbol="${OTHER}"] .last`);
    const before = (await other.innerText()).trim();
    await other.filter({ hasNotText: exactly(before) }).waitFor();
    assert.equal(await pane.locator('.monaco-list-row', { hasText: OTHER_ROW_LABEL }).count(), 1);
    await shot('after-unsubscribe');
  });
});
