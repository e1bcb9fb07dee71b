// The ticker page's layout rules in media/ticker.css, read as the stylesheet VS Code loads: the small DOM
// has no layout engine, so these hold the rules that keep three rows and the chart visible at the
// sidebar's default height (the real VS Code check is the screenshot in the report and the screen tour).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CssRule {
  /** The `@media` condition the rule sits in, '' at the top level. */
  media: string;
  selectors: string[];
  declarations: Map<string, string>;
}

/** A small reader of our own stylesheet: comments out, rules at the top level and one `@media` deep. */
function parseCss(text: string): CssRule[] {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: CssRule[] = [];
  const read = (body: string, media: string): void => {
    let at = 0;
    while (at < body.length) {
      const open = body.indexOf('{', at);
      if (open < 0) return;
      const prelude = body.slice(at, open).trim();
      if (prelude.startsWith('@')) {
        // A block at-rule: find its matching brace.
        let depth = 1;
        let close = open + 1;
        for (; close < body.length && depth > 0; close++) {
          if (body[close] === '{') depth++;
          else if (body[close] === '}') depth--;
        }
        const inner = body.slice(open + 1, close - 1);
        if (prelude.startsWith('@media')) read(inner, prelude.slice('@media'.length).trim());
        at = close;
        continue;
      }
      const close = body.indexOf('}', open);
      const declarations = new Map<string, string>();
      for (const part of body.slice(open + 1, close).split(';')) {
        const colon = part.indexOf(':');
        if (colon > 0) declarations.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
      }
      rules.push({ media, selectors: prelude.split(',').map((s) => s.trim()), declarations });
      at = close + 1;
    }
  };
  read(source, '');
  return rules;
}

const stylesheet = parseCss(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'media', 'ticker.css'), 'utf8'),
);

/** The last value of `property` for `selector` in `media` ('' = top level), as the cascade would take it. */
function declared(selector: string, property: string, media = ''): string | undefined {
  let value: string | undefined;
  for (const rule of stylesheet) {
    if (rule.media === media && rule.selectors.includes(selector) && rule.declarations.has(property))
      value = rule.declarations.get(property);
  }
  return value;
}

describe('webview: the ticker layout at the sidebar default height (media/ticker.css)', () => {
  it('keeps at least three rows: the rows container never shrinks below three row heights, and scrolls', () => {
    assert.equal(declared('.ticker-rows', 'min-height'), 'calc(3 * var(--kis-row-height))');
    assert.equal(declared('.ticker-rows', 'overflow-y'), 'auto');
    assert.equal(declared('.ticker-row', 'min-height'), 'var(--kis-row-height)');
    assert.equal(declared('body', '--kis-row-height'), '32px');
  });

  it('keeps the chart drawn at a least height, and the section holding it never cuts its book', () => {
    assert.equal(declared('.chart', 'min-height'), 'var(--kis-chart-min)');
    assert.equal(declared('body', '--kis-chart-min'), '120px');
    assert.equal(declared('.chart-section', 'min-height'), 'min-content');
    for (const fixed of ['.toolbar', '.chart-bar', '.book', '.attribution'])
      assert.equal(declared(fixed, 'flex'), 'none', `${fixed} does not shrink`);
  });

  it('lets the history note wrap instead of cutting it, and scrolls the page rather than cutting a part', () => {
    assert.equal(declared('.chart-status', 'white-space'), 'normal');
    assert.equal(declared('.chart-status', 'text-overflow'), undefined);
    assert.equal(declared('.chart-bar', 'flex-wrap'), 'wrap');
    assert.equal(declared('.app', 'overflow-y'), 'auto');
  });

  it('goes compact up to 360 px high: one-line rows of 22 px, a 56 px chart, no column titles or volume', () => {
    const compact = '(max-height: 360px)';
    assert.equal(declared('body', '--kis-row-height', compact), '22px');
    assert.equal(declared('body', '--kis-chart-min', compact), '56px');
    assert.equal(declared('.ticker-header', 'display', compact), 'none');
    assert.equal(declared('.ticker-row > .volume', 'display', compact), 'none');
    assert.equal(declared('.ticker-row .code', 'display', compact), 'none');
    assert.equal(declared('.change-cell', 'flex-direction', compact), 'row', 'change and rate on the row’s one line');
    assert.equal(
      declared('.chart-status', 'position', compact),
      'absolute',
      'the history note lies over the chart, taking no line',
    );
    // What the compact page needs at least, in px: three rows and the chart's least height, plus what the
    // toolbar (~22), chart bar (~20), book (~19) and credit (~16) take at VS Code's 13 px font. The ticker's
    // body at 1280×800 with the three views of the container is about 210 px high.
    const rows = 3 * parseFloat(declared('body', '--kis-row-height', compact) ?? 'NaN');
    const chartMin = parseFloat(declared('body', '--kis-chart-min', compact) ?? 'NaN');
    assert.ok(rows + chartMin + 22 + 20 + 19 + 16 <= 210, `compact minimum ${rows + chartMin + 77} px fits 210 px`);
  });
});
