// End to end, the whole trading day: the embedded simulator follows a simulated clock (Monday 08:40 KST, the KRX opening
// auction and the NXT pre-market; `kisMarket.simulator.clock` in the user settings before VS Code starts).
// The watchlist row shows the auction's expected price, marked "expected", and the NXT tag of the last
// unified trade; the status bar says the phase. KIS_E2E_PUBLISH=1 copies the picture to
// docs/screenshot-trading-day.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../scripts/lib/codeServer.mjs';
import {
  e2eDir,
  manifest,
  openWorkbench,
  openContainer,
  pickFromQuickPick,
  runFromPalette,
  shotOfRegion,
  viewPane,
  widenSidebar,
} from './workbench.mjs';

const SYMBOL = '005930';
const NAME = '삼성전자';
/** What its watchlist row starts with in the English UI (the short name: src/views/watchlist/rowLabel.ts). */
const ROW_LABEL = 'Samsung Elec';
const STEP_MS = 60_000;

describe('the trading day in VS Code (simulated 08:40)', function () {
  this.timeout(3 * STEP_MS);
  const m = manifest();
  const statusId = `${m.extensionId}.kisMarket.status`;
  const dir = path.join(e2eDir, 'trading-day');
  let server;
  let browser;
  let page;

  before(async function () {
    this.timeout(10 * STEP_MS);
    // The harness's user settings plus the simulated clock.
    ({ server, browser, page } = await openWorkbench(dir, {
      stepMs: STEP_MS,
      settings: { 'kisMarket.simulator.clock': '2026-12-07T08:40:00+09:00' },
    }));
  });

  after(async function () {
    const passed = this.test.parent.tests.every((test) => test.state === 'passed');
    if (!passed && page) await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (process.env.KIS_E2E_PUBLISH === '1' && passed) {
      fs.copyFileSync(path.join(dir, 'trading-day.png'), path.join(projectRoot, 'docs', 'screenshot-trading-day.png'));
      console.log('      [e2e] copied the trading-day screenshot to docs/');
    }
  });

  it('shows the expected price and the exchange on the row, and the phase in the status bar', async () => {
    await openContainer(page, m.containerTitle('kisMarket'));
    const pane = await viewPane(page, m.viewName('kisMarket.watchlist'));
    await pane.waitFor();
    await widenSidebar(page, 620);
    await runFromPalette(page, m.commandTitle('kisMarket.subscribe'));
    await pickFromQuickPick(page, SYMBOL, NAME);
    const row = pane.locator('.monaco-list-row', { hasText: ROW_LABEL }).first();
    await row.filter({ hasText: /≈\d{1,3}(,\d{3})+.*expected/ }).waitFor();
    await row.filter({ hasText: /\bNXT\b/ }).waitFor();
    const item = page.locator(`[id="${statusId}"]`);
    await item.filter({ hasText: 'KRX opening auction' }).waitFor();
    assert.match((await row.innerText()).trim(), /expected/);
    await shotOfRegion(page, path.join(dir, 'trading-day.png'), [pane.locator('.pane-header'), row]);
  });
});
