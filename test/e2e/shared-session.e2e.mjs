// End to end: two browser windows of one code-server on the same workspace are two VS Code
// windows, each with its own extension host. With `kisMarket.shareSimulator` on they share one embedded
// simulator through the hub: the first window leads, the second follows, each with its own watchlist; the
// leader's simulator serves exactly one WebSocket session (its session log, shown in the status hover).
// Closing the leading window hands the session over to the other one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessPaths, installVsix, projectRoot, startCodeServer } from '../../scripts/lib/codeServer.mjs';
import {
  buildVsix,
  e2eDir,
  launchBrowser,
  manifest,
  openContainer,
  pickFromQuickPick,
  runFromPalette,
  shotOfRegion,
  viewPane,
  widenSidebar,
} from './workbench.mjs';

const STEP_MS = 90_000;
const PRICE = /\d{1,3}(,\d{3})+/;

describe('two VS Code windows share one session (code-server + Chromium)', function () {
  this.timeout(3 * STEP_MS);
  const m = manifest();
  const statusId = `${m.extensionId}.kisMarket.status`;
  const outDir = path.join(e2eDir, 'shared');
  let server;
  let browser;
  let hubDir;
  const pages = {};

  /** Opens one more workbench window (a page of the same browser) and waits for its status bar. */
  async function openWindow(name) {
    const page = name === 'A' ? browser.page : await browser.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(server.url);
    await page.locator('.monaco-workbench .part.statusbar').waitFor();
    await openContainer(page, m.containerTitle('kisMarket'));
    await (await viewPane(page, m.viewName('kisMarket.watchlist'))).waitFor();
    await widenSidebar(page, 620);
    pages[name] = page;
    return page;
  }

  /** Subscribes `symbol` in `page` and waits for its row to show a price. */
  /** Subscribes `symbol` (picked by `name`) and waits for its row, which shows `rowName`, to have a price. */
  async function subscribe(page, symbol, name, rowName) {
    await runFromPalette(page, m.commandTitle('kisMarket.subscribe'));
    await pickFromQuickPick(page, symbol, name);
    const pane = await viewPane(page, m.viewName('kisMarket.watchlist'));
    await pane.locator('.monaco-list-row', { hasText: rowName }).filter({ hasText: PRICE }).waitFor();
  }

  /** The status item's hover text (its statistics table). */
  async function hoverText(page) {
    const item = page.locator(`[id="${statusId}"]`);
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Data source' }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    await page.mouse.move(700, 400);
    return text;
  }

  before(async function () {
    this.timeout(10 * STEP_MS);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const vsix = buildVsix();
    const runDir = path.join(outDir, 'server');
    const extensionsDir = path.join(runDir, 'extensions');
    installVsix(vsix, extensionsDir, runDir);
    // Both windows read the user settings: the simulator is shared on opt-in only.
    const settings = JSON.parse(fs.readFileSync(harnessPaths().settings, 'utf8'));
    fs.mkdirSync(path.join(runDir, 'data', 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(runDir, 'data', 'User', 'settings.json'),
      JSON.stringify({ ...settings, 'kisMarket.shareSimulator': true }, null, 2),
    );
    // A hub directory of this run only (0700), so no other code-server of this user meets ours.
    hubDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-e2e-hub-'));
    server = await startCodeServer({
      runDir,
      extensionsDir,
      folder: path.join(projectRoot, 'test-workspace'),
      env: { KIS_MONITOR_HUB_DIR: hubDir },
    });
    browser = await launchBrowser();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, page] of Object.entries(pages)) {
      if (page.isClosed()) continue;
      const file = path.join(outDir, `failure-${name}-${this.currentTest.title.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      console.log(`      screenshot of window ${name}: ${path.relative(projectRoot, file)}`);
    }
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    if (hubDir) fs.rmSync(hubDir, { recursive: true, force: true });
    const passed = this.test.parent.tests.every((test) => test.state === 'passed');
    if (process.env.KIS_E2E_PUBLISH === '1' && passed) {
      fs.copyFileSync(
        path.join(outDir, 'follower-status.png'),
        path.join(projectRoot, 'docs', 'screenshot-shared-session.png'),
      );
      console.log('      [e2e] copied the shared-session screenshot to docs/');
    }
  });

  it('the first window leads: it runs the simulator and streams its watchlist', async () => {
    const a = await openWindow('A');
    await subscribe(a, '005930', '삼성전자', 'Samsung Elec');
  });

  it('the second window follows with its own watchlist; both say so; the simulator serves one session', async () => {
    const b = await openWindow('B');
    await subscribe(b, '000660', 'SK하이닉스', 'SK hynix');
    const itemB = b.locator(`[id="${statusId}"]`);
    await itemB.filter({ hasText: /via window/ }).waitFor();
    const itemA = pages.A.locator(`[id="${statusId}"]`);
    await itemA.filter({ hasText: /shared with 1 window/ }).waitFor();
    const hoverA = await hoverText(pages.A);
    assert.match(hoverA, /Simulator sessions:?\s+1 live, 1 served/);
    const hoverB = await hoverText(b);
    assert.match(hoverB, /Shared session:?\s+via window/);
    assert.doesNotMatch(hoverB, /Simulator sessions/, 'the follower runs no simulator of its own');
    // The follower's own row keeps moving (snapshots through the leader).
    const row = (await viewPane(b, m.viewName('kisMarket.watchlist')))
      .locator('.monaco-list-row', { hasText: 'SK hynix' })
      .first();
    const first = (await row.innerText()).trim();
    await row.filter({ hasNotText: new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
    await itemB.hover();
    const hover = b.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Data source' }).first();
    await hover.waitFor();
    await shotOfRegion(b, path.join(outDir, 'follower-status.png'), [itemB, hover]);
    await b.mouse.move(700, 400);
  });

  it('closing the leading window hands the session over: the other window leads and its rows continue', async () => {
    await pages.A.close();
    const b = pages.B;
    const itemB = b.locator(`[id="${statusId}"]`);
    // code-server ends a closed window's extension host after its reconnection grace time (5 s here).
    await itemB
      .filter({ hasNotText: /via window/ })
      .filter({ hasText: /KIS live/ })
      .waitFor({ timeout: 2 * STEP_MS });
    assert.match(await hoverText(b), /Simulator sessions:?\s+1 live, 1 served/);
    const pane = await viewPane(b, m.viewName('kisMarket.watchlist'));
    await pane.locator('.monaco-list-row', { hasText: 'SK hynix' }).filter({ hasText: PRICE }).waitFor();
  });
});
