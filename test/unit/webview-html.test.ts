import * as assert from 'node:assert/strict';
import { buildTickerCsp, createNonce, escapeHtml, renderTickerHtml, type TickerHtmlOptions } from '../../src/views/tickerHtml';

const OPTIONS: TickerHtmlOptions = {
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/ticker.css',
  nonce: 'q7Zb2f0hG4Yx1c9Wm3Kp5A==',
  lang: 'ko',
};

/** The CSP of the page as a directive → sources map. */
function csp(html: string): Map<string, string[]> {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'a CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of match[1].split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    directives.set(name, sources);
  }
  return directives;
}

describe('webview HTML builder', () => {
  it('sets the strict CSP: nothing by default, own resources, scripts by nonce only', () => {
    const directives = csp(renderTickerHtml(OPTIONS));
    assert.deepEqual([...directives.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
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
    for (const id of ['ticker-rows', 'chart', 'selected-symbol', 'empty', 'book-bid', 'book-ask', 'open-panel', 'chart-empty']) {
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
      "default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc; script-src 'nonce-N'; font-src vscode-webview://abc",
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
