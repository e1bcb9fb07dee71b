// What the screen tour reads off the screen, and how it reads it. The tour compares the price a person
// sees in each view, so everything here works on the drawn text, never on the extension's state: a row is
// found by the symbol's code or a name a person knows (the row label changes format as the views improve),
// and a price is the first unsigned number-like token of a text (72,300, $188.12, 2,662.77).
/* global document */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { harnessPaths, installVsix, projectRoot, startCodeServer } from '../../scripts/lib/codeServer.mjs';
import { buildVsix, launchBrowser, manifest } from './workbench.mjs';

/** A price as the views print it: thousands with commas, optional decimals, an optional currency sign. */
const PRICE_TOKEN = /^[$₩]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$/;

/**
 * The first unsigned price token of `text` ({ text, value }), or undefined. Signed tokens (+400, -$1.14)
 * are changes, and a bare code (005930, 0001) has no thousands comma, so neither is taken for a price.
 */
export function parsePrice(text) {
  for (const raw of String(text ?? '').split(/\s+/)) {
    const token = raw.replace(/^[([]+|[)\],;:·]+$/g, '');
    if (PRICE_TOKEN.test(token)) return { text: token, value: Number(token.replace(/[$₩,]/g, '')) };
  }
  return undefined;
}

/** The first signed KRW amount of the portfolio item's text (`+15,000 KRW (+2.14 %)`), as a number. */
export function parseKrwAmount(text) {
  const match = /([+\-−]?)\s*₩?([\d,]+)\s*(?:KRW|원)/.exec(String(text ?? ''));
  if (!match) return undefined;
  const value = Number(match[2].replace(/,/g, ''));
  return match[1] === '-' || match[1] === '−' ? -value : value;
}

/** A price (72,300), a change (+400, -$1.14) or a rate (0.56%, (+2.14): the numbers of a label. A bare code is none of them. */
const NUMBER_TOKENS = [/^[$₩]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?$/, /^\(?[+\-−▲▼][$₩]?[\d,.]+%?\)?$/, /^\(?[\d.]+%\)?$/];

/**
 * What is left of a row label once the prices, changes and rates are taken out: the words that name the
 * symbol. A raw key is a TR key (DNASAAPL), an index code (0001) or a bare KRX code (005930) standing alone.
 */
export function labelName(label) {
  return String(label ?? '')
    .split(/\s+/)
    .filter((token) => token !== '' && !/^[()%]+$/.test(token) && !NUMBER_TOKENS.some((pattern) => pattern.test(token)))
    .join(' ');
}

/** True when a row label's name part is a key no person reads as a name. */
export function isRawKey(label) {
  const name = labelName(label);
  return (
    /^\d{6}$/.test(name) ||
    /^\d{4}$/.test(name) ||
    /^D(NAS|NYS|AMS)[A-Z.]+$/.test(name) ||
    /^[A-Z]\d{6}$/.test(name) ||
    name === ''
  );
}

/** A KRX price's tick (the exchange's tick table: 1 below 2,000 up to 1,000 from 500,000). */
export function krxTick(price) {
  if (price < 2000) return 1;
  if (price < 5000) return 5;
  if (price < 20000) return 10;
  if (price < 50000) return 50;
  if (price < 200000) return 100;
  if (price < 500000) return 500;
  return 1000;
}

/** True when `text` names the symbol: one of its codes or names as a whole word. */
export function names(symbol, text) {
  const value = String(text ?? '');
  return symbol.names.some((name) =>
    new RegExp(`(?<![\\w,.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w,])`, 'i').test(value),
  );
}

/**
 * Everything the tour compares, read in ONE call in the page so it is one instant: the watchlist rows
 * (label, description, aria-label), every ticker webview (its rows and header, reached through the
 * webview iframes, which code-server serves from the workbench's origin), the status bar items and the
 * notification toasts. Runs in the browser: it must not use anything from this module.
 */
export function captureViews(watchlistName) {
  const rows = [];
  for (const pane of document.querySelectorAll('.part.sidebar .pane, .part.panel .pane, .part.auxiliarybar .pane')) {
    const header = pane.querySelector('.pane-header');
    if (!header || !(header.textContent ?? '').includes(watchlistName)) continue;
    for (const row of pane.querySelectorAll('.monaco-list-row')) {
      rows.push({
        aria: row.getAttribute('aria-label') ?? '',
        label: row.querySelector('.label-name')?.textContent ?? '',
        description: row.querySelector('.label-description')?.textContent ?? '',
        text: row.textContent ?? '',
      });
    }
  }
  const tickers = [];
  const blocked = [];
  // A ticker a person can see: every iframe on the way to it is drawn (a hidden view's webview may be
  // kept alive without updates, which is not a disagreement anyone sees).
  const drawn = (frame) => {
    const box = frame.getBoundingClientRect();
    return (
      box.width > 0 && box.height > 0 && frame.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    );
  };
  // Rows actually on screen: the point at a row's middle belongs to the row (a 0 px or clipped list has none).
  const onScreen = (doc, row) => {
    const box = row.getBoundingClientRect();
    if (box.height <= 0 || box.width <= 0) return false;
    const y = box.top + box.height / 2;
    const x = box.left + Math.min(box.width / 2, 20);
    if (y < 0 || y > doc.defaultView.innerHeight) return false;
    const hit = doc.elementFromPoint(x, y);
    return hit !== null && row.contains(hit);
  };
  const visit = (doc, depth, parentDrawn) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      const frameDrawn = parentDrawn && drawn(frame);
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null; // a frame of another origin
      }
      if (!inner) {
        blocked.push(frame.className || frame.id || frame.src.slice(0, 60));
        continue;
      }
      if (inner.querySelector('#ticker-rows')) {
        const box = frame.getBoundingClientRect();
        tickers.push({
          surface: inner.body?.dataset?.surface ?? '',
          drawn: frameDrawn,
          frameHeight: box.height,
          rowsOnScreen: [...inner.querySelectorAll('.ticker-row')].filter((r) => onScreen(inner, r)).length,
          rows: [...inner.querySelectorAll('.ticker-row')].map((r) => ({
            symbol: r.dataset.symbol ?? '',
            name: r.querySelector('.name, .symbol')?.textContent ?? '',
            text: r.textContent ?? '',
            last: r.querySelector('.last')?.textContent ?? '',
            height: r.getBoundingClientRect().height,
          })),
          header: {
            symbol: inner.querySelector('#selected-symbol')?.textContent ?? '',
            name: inner.querySelector('#selected-name')?.textContent ?? '',
            last: inner.querySelector('#selected-last')?.textContent ?? '',
          },
          // What the chart draws (main.ts sets it when the chart draws): its view and its last candle's close.
          chart: {
            view: inner.querySelector('#chart')?.dataset?.view ?? '',
            lastClose: inner.querySelector('#chart')?.dataset?.lastClose ?? '',
          },
          // The best bid and ask under the chart (price × size) of the charted symbol.
          book: {
            bid: inner.querySelector('#book-bid')?.textContent ?? '',
            ask: inner.querySelector('#book-ask')?.textContent ?? '',
          },
        });
      } else if (depth < 3) {
        visit(inner, depth + 1, frameDrawn);
      }
    }
  };
  visit(document, 0, true);
  const statusItem = (suffix) => document.querySelector(`[id$="${suffix}"]`)?.textContent?.trim() ?? '';
  return {
    at: Date.now(),
    rows,
    tickers,
    blocked,
    portfolio: statusItem('kisMarket.portfolio'),
    status: statusItem('kisMarket.status'),
  };
}

/** True once a ticker webview has a row for each watched symbol (used with waitForFunction). */
export function captureReady({ count }) {
  const visit = (doc, depth) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null; // a frame of another origin
      }
      if (!inner) continue;
      if (inner.querySelectorAll('.ticker-row').length >= count) return true;
      if (depth < 3 && visit(inner, depth + 1)) return true;
    }
    return false;
  };
  return visit(document, 0);
}

/**
 * True once `count` ticker webviews (default one) show one of `names` in their header; with `painted`, also
 * their price and chart (a canvas with a size), so that a screenshot taken then shows each ticker drawn, not
 * a panel still loading. Used with waitForFunction.
 */
export function tickerHeaderShows({ names: wanted, count = 1, painted = false }) {
  let showing = 0;
  const visit = (doc, depth) => {
    for (const frame of doc.querySelectorAll('iframe')) {
      let inner;
      try {
        inner = frame.contentDocument;
      } catch {
        inner = null; // a frame of another origin
      }
      if (!inner) continue;
      const header = `${inner.querySelector('#selected-symbol')?.textContent ?? ''} ${inner.querySelector('#selected-name')?.textContent ?? ''}`;
      const drawn = () =>
        [...inner.querySelectorAll('canvas')].some((c) => c.width > 0 && c.height > 0) &&
        (inner.querySelector('#selected-last')?.textContent ?? '').trim() !== '';
      if (wanted.some((name) => header.includes(name)) && (!painted || drawn())) showing++;
      else if (depth < 3) visit(inner, depth + 1);
    }
  };
  visit(document, 0);
  return showing >= count;
}

/**
 * The prices of `symbol` in one capture: the watchlist row, each ticker's row, the ticker header when it
 * shows this symbol, and (for a holding) the price the portfolio item's P&L implies.
 */
export function pricesOf(capture, symbol, holding) {
  const byLabel = capture.rows.filter((r) => names(symbol, r.label));
  const candidates =
    byLabel.length > 0 ? byLabel : capture.rows.filter((r) => names(symbol, `${r.description} ${r.aria}`));
  const row = candidates[0];
  const views = {};
  if (row) {
    const exclude = (token) => symbol.names.includes(token);
    const price = [row.label, row.description]
      .map((text) =>
        parsePrice(
          text
            .split(/\s+/)
            .filter((t) => !exclude(t))
            .join(' '),
        ),
      )
      .find(Boolean);
    views.watchlist = price?.text ?? '(no price)';
  } else {
    views.watchlist = '(no row)';
  }
  capture.tickers.forEach((ticker, i) => {
    if (!ticker.drawn) return;
    const tickerRow =
      ticker.rows.find((r) => symbol.keys.includes(r.symbol)) ??
      ticker.rows.find((r) => names(symbol, r.name || r.text));
    views[`ticker${i}:${ticker.surface}`] = tickerRow ? (parsePrice(tickerRow.last)?.text ?? '(no price)') : '(no row)';
    if (names(symbol, `${ticker.header.symbol} ${ticker.header.name}`))
      views[`header${i}:${ticker.surface}`] = parsePrice(ticker.header.last)?.text ?? '(no price)';
  });
  if (holding) {
    const amount = parseKrwAmount(capture.portfolio);
    views.portfolio = amount === undefined ? '(no P&L)' : String(holding.averageCost + amount / holding.quantity);
  }
  return { views, rowCount: candidates.length };
}

/**
 * The best bid and ask each drawn ticker shows for the symbol it charts, grouped by that symbol:
 * `{ '005930': { 'ticker0:view': '71,800 × 1.2K | 71,900 × 3.4K', ... } }`. Two tickers charting one symbol
 * draw one frame, so their texts must be the same.
 */
export function booksOf(capture) {
  const bySymbol = {};
  capture.tickers.forEach((ticker, i) => {
    if (!ticker.drawn || ticker.header.symbol.trim() === '') return;
    (bySymbol[ticker.header.symbol.trim()] ??= {})[`ticker${i}:${ticker.surface}`] =
      `${ticker.book.bid.trim()} | ${ticker.book.ask.trim()}`;
  });
  return bySymbol;
}

/**
 * Each drawn ticker's header price next to its minute chart's last close, as numbers:
 * `[{ ticker: 'ticker0:view', header: 72500, lastClose: 72500 }]` (a daily chart or an empty header is left out).
 */
export function chartCloses(capture) {
  const out = [];
  capture.tickers.forEach((ticker, i) => {
    if (!ticker.drawn || ticker.header.symbol.trim() === '' || ticker.chart.view !== 'minute') return;
    out.push({
      ticker: `ticker${i}:${ticker.surface}`,
      header: parsePrice(ticker.header.last)?.value ?? Number.NaN,
      lastClose: ticker.chart.lastClose === '' ? Number.NaN : Number(ticker.chart.lastClose),
    });
  });
  return out;
}

/** True when at least one minute chart is drawn and each closes at the price its header shows. */
export function chartClosesAgree(capture) {
  const closes = chartCloses(capture);
  return closes.length > 0 && closes.every((c) => c.header === c.lastClose);
}

/** True when the tickers charting one symbol show the same bid and ask (price and size). */
export function booksAgree(capture) {
  return Object.values(booksOf(capture)).every((texts) => new Set(Object.values(texts)).size <= 1);
}

/** True when every view shows the same price (the portfolio's implied price compared by value). */
export function agree(views) {
  const texts = Object.entries(views);
  if (texts.some(([, text]) => text.startsWith('('))) return false;
  const value = (text) => Number(String(text).replace(/[$₩,]/g, ''));
  const shown = texts.filter(([view]) => view !== 'portfolio').map(([, text]) => text);
  if (new Set(shown).size > 1) return false;
  return texts.every(([, text]) => value(text) === value(shown[0]));
}

/** The .vsix, built once for the tour's workbenches. */
let vsix;

/**
 * A fresh code-server under `dir` with the .vsix installed and `test-workspace/` open, and a headless
 * Chromium at `viewport` on it (set before the workbench loads, so the sidebar gets its default width for
 * that window). `extraArgs` go to code-server (e.g. `--locale ko`); `beforeStart(runDir, extensionsDir)`
 * runs after the .vsix is installed and before the server starts.
 */
export async function openTourWorkbench(
  dir,
  { viewport = { width: 1280, height: 800 }, extraArgs = [], beforeStart, stepMs = 60_000 } = {},
) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  vsix ??= buildVsix();
  const runDir = path.join(dir, 'server');
  const extensionsDir = path.join(runDir, 'extensions');
  installVsix(vsix, extensionsDir, runDir);
  beforeStart?.(runDir, extensionsDir);
  const server = await startCodeServer({
    runDir,
    extensionsDir,
    folder: path.join(projectRoot, 'test-workspace'),
    extraArgs,
  });
  const browser = await launchBrowser();
  const page = browser.page;
  page.setDefaultTimeout(stepMs);
  await page.setViewportSize(viewport);
  await page.goto(server.url);
  await page.locator('.monaco-workbench .part.statusbar').waitFor();
  return { server, browser, page, runDir };
}

/** Lines of the extension's own log (its output channel, as code-server writes it under the user-data dir). */
export function extensionLogLines(runDir, pattern) {
  const found = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.log') && entry.name.includes('KIS Market Monitor')) {
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (pattern.test(line)) found.push(line);
      }
    }
  };
  const logs = path.join(runDir, 'data', 'logs');
  if (fs.existsSync(logs)) walk(logs);
  return found;
}

/**
 * How the tour shows the Korean UI offline. VS Code displays a language only when a language pack for it
 * is installed; the Korean pack comes from the extension marketplace, which this harness cannot reach. So
 * the tour installs a language pack of its own that declares Korean with NO translations of VS Code
 * itself, registers it where the server looks when it resolves the display language (languagepacks.json in
 * the user-data dir, which VS Code otherwise writes when a pack is installed from the UI) and starts the
 * server with `--locale ko`. VS Code's own menus then stay English, and the extension runs in Korean as it
 * does under the real pack (vscode.env.language is `ko`: its manifest strings come from
 * package.nls.ko.json, its messages from l10n/bundle.l10n.ko.json). `manifest` gives the Korean titles.
 */
export function koreanUi(workDir) {
  const en = manifest();
  const ko = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.nls.ko.json'), 'utf8'));
  const localize = (value) => {
    const match = /^%(.+)%$/.exec(value ?? '');
    if (!match) return value;
    const entry = ko[match[1]];
    return typeof entry === 'string' ? entry : (entry?.message ?? en.localize(value));
  };
  const { pkg } = en;
  const commandTitle = (id) => {
    const command = (pkg.contributes?.commands ?? []).find((c) => c.command === id);
    if (!command) throw new Error(`package.json declares no command ${id}`);
    return command.category ? `${localize(command.category)}: ${localize(command.title)}` : localize(command.title);
  };
  const containerTitle = (id) =>
    localize((pkg.contributes?.viewsContainers?.activitybar ?? []).find((c) => c.id === id)?.title);
  const viewName = (id) =>
    localize(
      Object.values(pkg.contributes?.views ?? {})
        .flat()
        .find((v) => v.id === id)?.name,
    );
  return {
    how: 'code-server --locale ko with a test-made Korean language pack that has no VS Code translations (the marketplace pack is not reachable offline): VS Code menus in English, the extension in Korean',
    workbench: {
      extraArgs: ['--locale', 'ko'],
      beforeStart: (runDir, extensionsDir) => installKoreanDisplayLanguage(workDir, runDir, extensionsDir),
    },
    manifest: { commandTitle, containerTitle, viewName },
  };
}

const KO_PACK = { publisher: 'kis-market-monitor-tests', name: 'ko-display-language', version: '0.0.1' };

/** Packages the translation-less Korean language pack (see koreanUi), installs it and registers it. */
function installKoreanDisplayLanguage(workDir, runDir, extensionsDir) {
  const source = path.join(workDir, 'ko-display-language');
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(path.join(source, 'translations'), { recursive: true });
  fs.writeFileSync(
    path.join(source, 'translations', 'main.i18n.json'),
    JSON.stringify({ version: '1.0.0', contents: {} }),
  );
  fs.writeFileSync(
    path.join(source, 'README.md'),
    'Test-only: lets VS Code resolve the display language ko offline, without translating VS Code.\n',
  );
  fs.writeFileSync(
    path.join(source, 'package.json'),
    JSON.stringify(
      {
        ...KO_PACK,
        displayName: 'Korean display language (tests)',
        description: 'Test-only Korean display language',
        license: 'MIT',
        engines: { vscode: '^1.100.0' },
        categories: ['Language Packs'],
        contributes: {
          localizations: [
            {
              languageId: 'ko',
              languageName: 'Korean',
              localizedLanguageName: '한국어',
              translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
            },
          ],
        },
      },
      null,
      2,
    ),
  );
  const vsixFile = path.join(workDir, 'ko-display-language.vsix');
  const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = spawnSync(
    process.execPath,
    [vsce, 'package', '--allow-missing-repository', '--skip-license', '-o', vsixFile],
    { cwd: source, encoding: 'utf8' },
  );
  if (packaged.status !== 0)
    throw new Error(`packaging the Korean display language failed:\n${packaged.stdout}\n${packaged.stderr}`);
  const harness = harnessPaths();
  const installed = spawnSync(
    harness.codeServer,
    [
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      path.join(runDir, 'data'),
      '--install-extension',
      vsixFile,
      '--force',
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${harness.nodeBinDir}${path.delimiter}${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
        XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
      },
    },
  );
  if (installed.status !== 0)
    throw new Error(`installing the Korean display language failed:\n${installed.stdout}\n${installed.stderr}`);
  const folder = path.join(extensionsDir, `${KO_PACK.publisher}.${KO_PACK.name}-${KO_PACK.version}`);
  const languagePacks = {
    ko: {
      hash: `${KO_PACK.name}-${KO_PACK.version}`,
      label: '한국어',
      extensions: [{ extensionIdentifier: { id: `${KO_PACK.publisher}.${KO_PACK.name}` }, version: KO_PACK.version }],
      translations: { vscode: path.join(folder, 'translations', 'main.i18n.json') },
    },
  };
  fs.writeFileSync(path.join(runDir, 'data', 'languagepacks.json'), JSON.stringify(languagePacks));
}
