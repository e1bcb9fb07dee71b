// The pieces the UI tests drive VS Code with: packaging the .vsix, a headless Chromium, the manifest's
// user-facing titles, and small Playwright helpers for the workbench (palette, quick pick, views, webviews).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { installVsix, projectRoot, startCodeServer } from '../../scripts/lib/codeServer.mjs';

/** Where the UI tests write (screenshots, server run dir, the .vsix). */
export const e2eDir = path.join(projectRoot, '.vscode-test', 'e2e');
export const vsixPath = path.join(projectRoot, '.vscode-test', 'kis-market-monitor.vsix');

/** Runs a build step, failing with its output when it fails. */
function run(label, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${label} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  console.log(`      [e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The production bundle, packaged as the .vsix users install. */
export function buildVsix() {
  run('node esbuild.js --production', process.execPath, ['esbuild.js', '--production']);
  fs.mkdirSync(path.dirname(vsixPath), { recursive: true });
  const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  run('vsce package', process.execPath, [
    vsce,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--skip-license',
    '-o',
    vsixPath,
  ]);
  return vsixPath;
}

/** The .vsix of this test run: built by the first suite that needs it, installed by every one. */
let builtVsix;

/**
 * A fresh code-server under `dir` (emptied first) with the .vsix installed and `test-workspace/` open, and a
 * headless Chromium on it, ready once the status bar is drawn. `settings` are added to the harness's user
 * settings (e.g. a simulated clock). Close `browser` and `server` in the suite's `after`.
 */
export async function openWorkbench(dir, { settings, stepMs } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  builtVsix ??= buildVsix();
  const runDir = path.join(dir, 'server');
  const extensionsDir = path.join(runDir, 'extensions');
  installVsix(builtVsix, extensionsDir, runDir);
  if (settings) {
    const user = path.join(runDir, 'data', 'User');
    fs.mkdirSync(user, { recursive: true });
    const harness = JSON.parse(
      fs.readFileSync(path.join(projectRoot, 'scripts', 'vscode-harness', 'settings.json'), 'utf8'),
    );
    fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify({ ...harness, ...settings }, null, 2));
  }
  const server = await startCodeServer({ runDir, extensionsDir, folder: path.join(projectRoot, 'test-workspace') });
  const browser = await launchBrowser();
  const page = browser.page;
  if (stepMs) page.setDefaultTimeout(stepMs);
  await page.goto(server.url);
  await page.locator('.monaco-workbench .part.statusbar').waitFor();
  return { server, browser, page };
}

/** package.json plus a resolver for its `%key%` strings (package.nls.json, the English UI). */
export function manifest() {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const nlsFile = path.join(projectRoot, 'package.nls.json');
  const nls = fs.existsSync(nlsFile) ? JSON.parse(fs.readFileSync(nlsFile, 'utf8')) : {};
  const localize = (value) => {
    const match = /^%(.+)%$/.exec(value ?? '');
    if (!match) return value;
    const entry = nls[match[1]];
    return typeof entry === 'string' ? entry : (entry?.message ?? value);
  };
  /** "Category: Title" as the command palette shows it. */
  const commandTitle = (id) => {
    const command = (pkg.contributes?.commands ?? []).find((c) => c.command === id);
    if (!command) throw new Error(`package.json declares no command ${id}`);
    const title = localize(command.title);
    return command.category ? `${localize(command.category)}: ${title}` : title;
  };
  const containerTitle = (id) => {
    const container = (pkg.contributes?.viewsContainers?.activitybar ?? []).find((c) => c.id === id);
    if (!container) throw new Error(`package.json declares no activity-bar container ${id}`);
    return localize(container.title);
  };
  const viewName = (id) => {
    for (const views of Object.values(pkg.contributes?.views ?? {})) {
      const view = views.find((v) => v.id === id);
      if (view) return localize(view.name);
    }
    throw new Error(`package.json declares no view ${id}`);
  };
  return { pkg, localize, commandTitle, containerTitle, viewName, extensionId: `${pkg.publisher}.${pkg.name}` };
}

/** A headless Chromium that can reach only the local server. Close it with `close()`. */
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // Offline: the workbench also asks the extension gallery; only 127.0.0.1 may be reached.
  await context.route(
    (url) => url.protocol.startsWith('http') && !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** A RegExp matching exactly `text` (for "wait until the text is something else"). */
export function exactly(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Runs a command from the palette by its visible title ("KIS: Subscribe…"). */
export async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Answers an open QuickPick: types `query`, waits for a row matching `rowText` and accepts it. In a
 * multi-select pick (rows are checkboxes) the row is ticked, then OK is clicked: Enter would land on the
 * focused checkbox and untick it again.
 */
export async function pickFromQuickPick(page, query, rowText) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await input.waitFor();
  await input.fill(query);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const row = rows.filter({ hasText: rowText }).first();
  await row.waitFor();
  if ((await row.getAttribute('role')) !== 'checkbox') {
    await row.click();
    await widget.waitFor({ state: 'hidden' });
    return;
  }
  // The extension rebuilds the items as the typed value changes and when its listings finish loading (an
  // extension-host round trip each), which can untick a row ticked in between, even after the tick showed;
  // tick again until the tick holds, and again if OK found nothing ticked and the pick stayed open.
  const ticked = widget
    .locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: rowText })
    .first();
  for (let round = 1; ; round++) {
    for (let attempt = 1; !(await ticked.isVisible()); attempt++) {
      await row.locator('.monaco-checkbox, .monaco-custom-toggle').first().click();
      const held = await ticked.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (!held && attempt >= 5) throw new Error(`could not tick "${rowText}" in the quick pick`);
    }
    await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();
    const closed = await widget.waitFor({ state: 'hidden', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (closed) return;
    if (round >= 3) throw new Error(`the quick pick stayed open after ticking "${rowText}" and OK, ${round} times`);
  }
}

/**
 * Picks a row of an open QuickPick that another prompt follows in the same widget (pickFromQuickPick waits
 * for the widget to close, which it then does not).
 */
export async function pickThen(page, query, rowText) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').first().fill(query);
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().click();
}

/** Opens an activity-bar container by its title. */
export async function openContainer(page, title) {
  const item = page
    .locator(`.activitybar .action-item [aria-label="${title}"], .activitybar .action-item [aria-label^="${title} ("]`)
    .first();
  await item.click();
}

/** Drags the sidebar's edge so it is `width` px wide (room for the watchlist's prices and the chart). */
export async function widenSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Screenshot of the region covering all `locators` (plus a margin), e.g. a status item with its hover. */
export async function shotOfRegion(page, file, locators, margin = 8) {
  const boxes = [];
  for (const locator of locators) {
    const box = await locator.boundingBox();
    if (box) boxes.push(box);
  }
  if (boxes.length === 0) throw new Error('nothing to screenshot');
  const viewport = page.viewportSize();
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  await page.screenshot({ path: file, clip: { x: left, y: top, width: right - left, height: bottom - top } });
}

/** The sidebar pane of a view (expanded), by its name. */
export async function viewPane(page, name) {
  const pane = page
    .locator('.part.sidebar .pane, .part.panel .pane, .part.auxiliarybar .pane')
    .filter({ has: page.locator('.pane-header', { hasText: name }) })
    .first();
  const header = pane.locator('.pane-header');
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/**
 * The frame (two iframes deep inside a webview) holding `selector`, polled until it appears.
 * Webview frames are created lazily and have no stable names, so the search goes through every frame.
 */
export async function webviewFrame(page, selector, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame has ${selector} after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}
