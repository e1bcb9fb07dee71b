/**
 * The ticker webview's HTML, as a pure function of its inputs (so the CSP can be unit-tested), and the nonce.
 * No `vscode` import: the provider passes `webview.cspSource` and the `asWebviewUri` strings in.
 */
import { randomBytes } from 'node:crypto';

/** Inputs of {@link renderTickerHtml}. */
export interface TickerHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `asWebviewUri(media/ticker.css)` as a string. */
  styleUri: string;
  /** A fresh nonce per render ({@link createNonce}). */
  nonce: string;
  /** BCP 47 language tag of the UI (`vscode.env.language`). */
  lang: string;
}

/** A fresh CSP nonce: 16 random bytes, base64 (128 bits, as CSP recommends). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy: nothing by default; images, styles and fonts only from the extension's own
 * resources (`data:` images too, which the chart does not need but codicon-style icons may); scripts only
 * with this render's nonce. No 'unsafe-inline', no 'unsafe-eval', no remote host.
 * `base-uri` and `form-action` do not fall back to `default-src`, so they are closed explicitly: an
 * injected `<base>` could otherwise re-point relative URLs, and the page has no form to submit.
 */
export function buildTickerCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Escapes text for a double-quoted attribute value or a text node. Single quotes stay as they are, so the
 * CSP keeps its readable `'none'` (every attribute here is double-quoted).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const LANG_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The ticker page. The markup is a static skeleton with stable ids (the e2e test and the script find
 * elements by them); every text comes later with `init`, localized by the extension.
 */
export function renderTickerHtml(options: TickerHtmlOptions): string {
  const lang = LANG_PATTERN.test(options.lang) ? options.lang : 'en';
  const csp = escapeHtml(buildTickerCsp(options.cspSource, options.nonce));
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>KIS Ticker</title>
</head>
<body data-convention="korean" data-surface="view">
<div id="app" class="app">
  <header id="toolbar" class="toolbar">
    <span id="selected-symbol" class="selected-symbol" data-testid="selected-symbol"></span>
    <span id="selected-name" class="selected-name"></span>
    <span id="selected-last" class="selected-last"></span>
    <span class="toolbar-spacer"></span>
    <button id="open-panel" class="icon-button" type="button" hidden><svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M2 3h6v1H3v9h9V8h1v6H2V3zm7-1h5v5h-1V3.7L8.4 8.3l-.7-.7L12.3 3H9V2z"/></svg></button>
  </header>
  <div id="empty" class="empty" data-testid="empty" hidden>
    <p id="empty-title" class="empty-title"></p>
    <p id="empty-hint" class="empty-hint"></p>
  </div>
  <div id="ticker-header" class="ticker-header" aria-hidden="true"></div>
  <div id="ticker-rows" class="ticker-rows" data-testid="ticker-rows" role="listbox" tabindex="-1"></div>
  <section id="chart-section" class="chart-section">
    <div id="chart-bar" class="chart-bar">
      <button id="view-minute" class="chart-view" type="button" data-view="minute" aria-pressed="true" data-testid="view-minute"></button>
      <button id="view-daily" class="chart-view" type="button" data-view="daily" aria-pressed="false" data-testid="view-daily"></button>
      <span id="chart-status" class="chart-status" data-testid="chart-status" role="status"></span>
      <span id="vwap-legend" class="vwap-legend"></span>
    </div>
    <div class="chart-body">
      <div id="chart" class="chart" data-testid="chart"><div id="chart-empty" class="chart-empty" hidden></div></div>
      <section id="ladder-section" class="ladder-section" hidden>
        <table id="ladder" class="ladder" data-testid="ladder">
          <caption id="ladder-caption" class="ladder-caption"></caption>
          <thead><tr><th id="ladder-ask-head" scope="col"></th><th id="ladder-price-head" scope="col"></th><th id="ladder-bid-head" scope="col"></th></tr></thead>
          <tbody id="ladder-body"></tbody>
          <tfoot id="ladder-foot"></tfoot>
        </table>
      </section>
    </div>
    <div id="book" class="book" data-testid="book">
      <span class="book-side bid"><span id="book-bid-label" class="book-label"></span> <span id="book-bid" class="book-value"></span></span>
      <span class="book-side ask"><span id="book-ask-label" class="book-label"></span> <span id="book-ask" class="book-value"></span></span>
    </div>
  </section>
  <footer id="attribution" class="attribution"></footer>
</div>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
