import * as assert from 'node:assert/strict';
import {
  buildTickerCsp,
  createNonce,
  escapeHtml,
  renderTickerHtml,
  type TickerHtmlOptions,
} from '../../../src/views/ticker/tickerHtml';

const OPTIONS: TickerHtmlOptions = {
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/ticker.css',
  nonce: 'q7Zb2f0hG4Yx1c9Wm3Kp5A==',
  lang: 'ko',
};

/**
 * The CSP of the page as a directive → sources map, parsed as a browser does: one meta tag, directive
 * names case-insensitive, and a repeated directive is an error here (a browser silently ignores the second
 * one, so a policy that repeats itself does not say what it seems to).
 */
function csp(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\b[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const match = /content="([^"]*)"/.exec(metas[0][0]);
  assert.ok(match, 'the CSP meta tag has content');
  const content = match[1].replace(/&#39;/g, "'");
  const directives = new Map<string, string[]>();
  for (const part of content.split(';')) {
    if (part.trim() === '') continue;
    const [name, ...sources] = part.trim().split(/\s+/);
    const key = name.toLowerCase();
    assert.ok(!directives.has(key), `directive ${key} appears once`);
    directives.set(key, sources);
  }
  return directives;
}

describe('webview HTML builder', () => {
  it('sets the strict CSP: nothing by default, own resources, scripts by nonce only', () => {
    const directives = csp(renderTickerHtml(OPTIONS));
    assert.deepEqual([...directives.keys()].sort(), [
      'base-uri',
      'default-src',
      'font-src',
      'form-action',
      'img-src',
      'script-src',
      'style-src',
    ]);
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('form-action'), ["'none'"]);
    assert.deepEqual(directives.get('img-src'), [OPTIONS.cspSource, 'data:']);
    assert.deepEqual(directives.get('style-src'), [OPTIONS.cspSource]);
    assert.deepEqual(directives.get('font-src'), [OPTIONS.cspSource]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${OPTIONS.nonce}'`]);
  });

  it('never allows inline code, eval or wildcard sources', () => {
    const html = renderTickerHtml(OPTIONS);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe/);
    for (const sources of csp(html).values()) {
      assert.ok(!sources.includes('*') && !sources.includes('https:') && !sources.includes('http:'), sources.join(' '));
    }
  });

  it("lets scripts run only by this render's nonce (or from the webview origin), never inline, eval'd or remote", () => {
    // Whatever the inputs look like, script-src holds the nonce and at most the webview's own origin.
    for (const cspSource of [OPTIONS.cspSource, 'vscode-webview://4f2a']) {
      const directives = csp(renderTickerHtml({ ...OPTIONS, cspSource }));
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src') ?? [];
      assert.ok(scriptSrc.includes(`'nonce-${OPTIONS.nonce}'`), scriptSrc.join(' '));
      for (const source of scriptSrc) {
        assert.ok(source === `'nonce-${OPTIONS.nonce}'` || source === cspSource, `unexpected script source ${source}`);
        assert.doesNotMatch(source, /^'unsafe-|^'strict-dynamic'$|^(?:https?|data|blob|filesystem|ws|wss):$|^\*$/);
      }
    }
  });

  it('puts the same nonce on every <script> as in the CSP, and has no inline handler or javascript: URL', () => {
    const html = renderTickerHtml(OPTIONS);
    const nonceSource = (csp(html).get('script-src') ?? []).find((source) => source.startsWith("'nonce-"));
    assert.equal(nonceSource, `'nonce-${OPTIONS.nonce}'`);
    const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)];
    assert.ok(scripts.length > 0);
    for (const [, attributes] of scripts) {
      assert.equal(/\snonce="([^"]*)"/.exec(attributes)?.[1], OPTIONS.nonce, attributes);
    }
    // Attributes named on* anywhere in a tag, whatever the quoting or spacing.
    assert.doesNotMatch(html, /<[a-z][^>]*[\s"'/]on[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /javascript:/i);
    assert.doesNotMatch(html, /<(?:iframe|object|embed|base|form)\b/i);
  });

  it('loads exactly one script, from the bundle, with the nonce, and no inline script or style', () => {
    const html = renderTickerHtml(OPTIONS);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${OPTIONS.nonce.replace(/[+/=]/g, '\\$&')}"`));
    assert.match(scripts[0][1], new RegExp(`src="${OPTIONS.scriptUri.replace(/[.+]/g, '\\$&')}"`));
    assert.equal(scripts[0][2].trim(), '', 'no inline code');
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${OPTIONS.styleUri.replace(/[.+]/g, '\\$&')}">`));
  });

  it('contains no http(s) URL other than the webview resource origin', () => {
    const html = renderTickerHtml(OPTIONS);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>;]+/g)].map((m) => m[0]);
    assert.ok(urls.length > 0);
    for (const url of urls) {
      assert.ok(url === OPTIONS.cspSource || url === OPTIONS.scriptUri || url === OPTIONS.styleUri, url);
    }
  });

  it('has the stable ids the script and the e2e test use', () => {
    const html = renderTickerHtml(OPTIONS);
    for (const id of [
      'ticker-rows',
      'chart',
      'selected-symbol',
      'empty',
      'book-bid',
      'book-ask',
      'open-panel',
      'chart-empty',
    ]) {
      assert.match(html, new RegExp(`id="${id}"`), id);
    }
  });

  it('uses the UI language, and falls back to en for anything that is not a language tag', () => {
    assert.match(renderTickerHtml(OPTIONS), /<html lang="ko">/);
    assert.match(renderTickerHtml({ ...OPTIONS, lang: 'zh-TW' }), /<html lang="zh-TW">/);
    assert.match(renderTickerHtml({ ...OPTIONS, lang: '"><script>' }), /<html lang="en">/);
  });

  it('escapes every value it interpolates', () => {
    const html = renderTickerHtml({ ...OPTIONS, scriptUri: 'x"><script>alert(1)</script>', nonce: 'a"b' });
    assert.equal([...html.matchAll(/<script\b/g)].length, 1);
    assert.match(html, /nonce="a&#34;b"/);
    assert.equal(escapeHtml(`<a href='x'>&"`), "&#60;a href='x'&#62;&#38;&#34;");
  });

  it('builds the CSP from its two inputs only', () => {
    assert.equal(
      buildTickerCsp('vscode-webview://abc', 'N'),
      "default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc; script-src 'nonce-N'; font-src vscode-webview://abc; base-uri 'none'; form-action 'none'",
    );
  });
});

describe('webview nonce', () => {
  it('is 128 random bits in base64, fresh on every call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const nonce = createNonce();
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
      seen.add(nonce);
    }
    assert.equal(seen.size, 100);
  });
});
