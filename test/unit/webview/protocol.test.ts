import * as assert from 'node:assert/strict';
import {
  applyBookDelta,
  bookDelta,
  fromBarColumns,
  toBarColumns,
  type InitMessage,
} from '../../../src/shared/webviewProtocol';
import type { OrderBookTop } from '../../../src/shared/snapshot';
import {
  checkExtensionMessage,
  isBookDelta,
  isOrderBookTop,
  checkWebviewMessage,
  isSymbol,
  parseExtensionMessage,
  parseWebviewMessage,
} from '../../../src/shared/webviewValidation';
import { bar, book, quote, strings } from './fixtures';

const WATCHLIST: ReadonlySet<string> = new Set(['005930', '000660']);

describe('webview protocol: messages from the webview', () => {
  it('accepts every well-formed request', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }, WATCHLIST), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openPanel' }, WATCHLIST), { type: 'openPanel' });
    assert.deepEqual(parseWebviewMessage({ type: 'select', symbol: '005930' }, WATCHLIST), {
      type: 'select',
      symbol: '005930',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'unsubscribe', symbol: '000660' }, WATCHLIST), {
      type: 'unsubscribe',
      symbol: '000660',
    });
  });

  it('returns a fresh object, not the one it was given', () => {
    const raw = { type: 'select', symbol: '005930' };
    const parsed = parseWebviewMessage(raw, WATCHLIST);
    assert.notEqual(parsed, raw);
  });

  it('checks only the format of a symbol when no watchlist is given', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'select', symbol: '035720' }), { type: 'select', symbol: '035720' });
    assert.equal(parseWebviewMessage({ type: 'select', symbol: '35720' }), undefined);
  });

  const defects: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ready'],
    ['a number', 7],
    ['an array', [{ type: 'ready' }]],
    [
      'an object with a prototype other than Object',
      Object.assign(Object.create({ inherited: true }) as object, { type: 'ready' }),
    ],
    ['a Date', new Date()],
    ['no type', {}],
    ['a non-string type', { type: 1 }],
    ['an unknown type', { type: 'init' }],
    ['a type with different case', { type: 'Ready' }],
    ['ready with an extra field', { type: 'ready', now: 1 }],
    ['openPanel with an extra field', { type: 'openPanel', symbol: '005930' }],
    ['select without a symbol', { type: 'select' }],
    ['select with a numeric symbol', { type: 'select', symbol: 5930 }],
    ['select with a 5-character symbol', { type: 'select', symbol: '05930' }],
    ['select with a 7-character symbol', { type: 'select', symbol: '0059300' }],
    ['select with lower-case letters', { type: 'select', symbol: '00593a' }],
    ['select with whitespace', { type: 'select', symbol: ' 005930' }],
    ['select with a symbol off the watchlist', { type: 'select', symbol: '035720' }],
    ['select with an extra field', { type: 'select', symbol: '005930', force: true }],
    ['unsubscribe off the watchlist', { type: 'unsubscribe', symbol: '035720' }],
    ['unsubscribe with a script in the symbol', { type: 'unsubscribe', symbol: '<img>' }],
    ['unsubscribe with an extra field', { type: 'unsubscribe', symbol: '005930', all: true }],
    // What a compromised webview could send (JSON.parse makes "__proto__" an own key, as structured clone does).
    ['ready with a __proto__ key', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')],
    [
      'select with a constructor.prototype key',
      JSON.parse('{"type":"select","symbol":"005930","constructor":{"prototype":{"polluted":true}}}'),
    ],
    [
      'unsubscribe with a prototype key',
      JSON.parse('{"type":"unsubscribe","symbol":"005930","prototype":{"polluted":true}}'),
    ],
    ['openPanel with a __proto__ key', JSON.parse('{"type":"openPanel","__proto__":null}')],
    ['a type that is an array', { type: ['ready'] }],
    ['a boxed string symbol', { type: 'select', symbol: Object('005930') as unknown }],
    ['a symbol with a NUL', { type: 'select', symbol: '005930\u0000' }],
    ['a symbol with a caret (the wire separator)', { type: 'unsubscribe', symbol: '0059^0' }],
    ['a symbol with a pipe', { type: 'unsubscribe', symbol: '0059|0' }],
    ['a symbol with a quote', { type: 'unsubscribe', symbol: '0059"0' }],
    ['a symbol in full-width digits', { type: 'select', symbol: '００５９３０' }],
    ['an oversized symbol', { type: 'select', symbol: '0'.repeat(1_000_000) }],
    ['an oversized extra field', { type: 'ready', pad: 'x'.repeat(1_000_000) }],
  ];
  for (const [name, raw] of defects) {
    it(`refuses ${name}, with a reason`, () => {
      const checked = checkWebviewMessage(raw, WATCHLIST);
      assert.equal(checked.ok, false);
      assert.ok(!checked.ok && checked.reason.length > 0);
      assert.equal(parseWebviewMessage(raw, WATCHLIST), undefined);
    });
  }

  it('does not echo a long unknown type back in full', () => {
    const checked = checkWebviewMessage({ type: 'x'.repeat(10_000) }, WATCHLIST);
    assert.ok(!checked.ok && checked.reason.length < 64);
  });

  it('quotes hostile text in a reason short and on one line, so it cannot flood or forge log lines', () => {
    const forged = `a\n[agent] open → stopped: forged\r\u2028${'x'.repeat(100_000)}`;
    for (const raw of [
      { type: forged },
      { type: 'ready', [forged]: 1 },
      { type: 'select', symbol: '005930', [forged]: 1 },
    ]) {
      const checked = checkWebviewMessage(raw, WATCHLIST);
      assert.ok(!checked.ok);
      assert.ok(checked.reason.length < 120, `${checked.reason.length} characters`);
      assert.doesNotMatch(checked.reason, /[\n\r\u2028\u2029]/);
      assert.match(checked.reason, /a\\u000a\[agent\]/);
    }
  });

  it('leaves Object.prototype untouched after refusing prototype-pollution keys', () => {
    for (const text of [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"select","symbol":"005930","constructor":{"prototype":{"polluted":true}}}',
    ]) {
      assert.equal(checkWebviewMessage(JSON.parse(text), WATCHLIST).ok, false);
    }
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('webview protocol: bar columns', () => {
  it('round-trips bars through columns, in order', () => {
    const bars = [bar('005930', 1, { close: 7 }), bar('005930', 2, { volume: 9 })];
    assert.deepEqual(toBarColumns(bars), {
      time: [60, 120],
      open: [100, 100],
      high: [110, 110],
      low: [90, 90],
      close: [7, 105],
      volume: [1000, 9],
    });
    assert.deepEqual(fromBarColumns('005930', toBarColumns(bars)), bars);
    assert.deepEqual(fromBarColumns('005930', toBarColumns([])), []);
  });
});

describe('webview protocol: isSymbol', () => {
  it('accepts six digits or capital letters and nothing else', () => {
    assert.equal(isSymbol('005930'), true);
    assert.equal(isSymbol('0126Z0'), true);
    assert.equal(isSymbol('0126z0'), false);
    assert.equal(isSymbol(''), false);
    assert.equal(isSymbol(null), false);
    assert.equal(isSymbol('005930\n'), false);
  });
});

function init(overrides: Partial<Record<keyof InitMessage, unknown>> = {}): Record<string, unknown> {
  return {
    type: 'init',
    surface: 'view',
    symbols: ['005930', '000660'],
    names: { '005930': '삼성전자' },
    quotes: [quote('005930')],
    bars: { '005930': toBarColumns([bar('005930', 1), bar('005930', 2)]) },
    books: [book('005930')],
    selected: '005930',
    colorConvention: 'korean',
    strings: strings(),
    ...overrides,
  };
}

describe('webview protocol: messages from the extension', () => {
  it('accepts a full init, a snapshot, a watchlist, a select and a config', () => {
    assert.equal(parseExtensionMessage(init())?.type, 'init');
    assert.equal(parseExtensionMessage(init({ selected: undefined }))?.type, 'init');
    assert.equal(parseExtensionMessage(init({ surface: 'panel', colorConvention: 'western' }))?.type, 'init');
    assert.deepEqual(
      parseExtensionMessage({
        type: 'snapshot',
        quotes: [quote('005930')],
        bars: [bar('005930', 3)],
        books: [book('000660')],
      }),
      {
        type: 'snapshot',
        quotes: [quote('005930')],
        bars: [bar('005930', 3)],
        books: [book('000660')],
      },
    );
    assert.deepEqual(parseExtensionMessage({ type: 'watchlist', symbols: [], names: {} }), {
      type: 'watchlist',
      symbols: [],
      names: {},
    });
    assert.deepEqual(parseExtensionMessage({ type: 'select', symbol: '000660' }), { type: 'select', symbol: '000660' });
    assert.deepEqual(parseExtensionMessage({ type: 'config', colorConvention: 'western' }), {
      type: 'config',
      colorConvention: 'western',
    });
  });

  it('takes quote changes: a symbol and only the fields that changed', () => {
    const message = parseExtensionMessage({
      type: 'snapshot',
      quotes: [{ symbol: '005930', last: 72000, sign: '2', halted: false, lastTickTime: '093001' }],
      bars: [],
      books: [],
    });
    assert.deepEqual(message?.type === 'snapshot' ? message.quotes : undefined, [
      { symbol: '005930', last: 72000, sign: '2', halted: false, lastTickTime: '093001' },
    ]);
  });

  it('tolerates extra fields in quotes (the shared types may grow optional fields)', () => {
    const grown = { ...quote('005930'), marketCap: 1 };
    assert.equal(parseExtensionMessage({ type: 'snapshot', quotes: [grown], bars: [], books: [] })?.type, 'snapshot');
  });

  const defects: [string, unknown][] = [
    ['null', null],
    ['an array', []],
    ['an unknown type', { type: 'ready' }],
    ['init with a bad surface', init({ surface: 'sidebar' })],
    ['init without symbols', init({ symbols: undefined })],
    ['init with a malformed symbol', init({ symbols: ['593'] })],
    ['init with names keyed by a bad code', init({ names: { '593': 'x' } })],
    ['init with a non-string name', init({ names: { '005930': 1 } })],
    ['init with a quote missing a field', init({ quotes: [{ ...quote('005930'), vwap: undefined }] })],
    ['init with a NaN price', init({ quotes: [quote('005930', { last: Number.NaN })] })],
    ['init with an infinite volume', init({ quotes: [quote('005930', { volume: Number.POSITIVE_INFINITY })] })],
    ['init with a price as a string', init({ quotes: [{ ...quote('005930'), last: '71900' }] })],
    ['init with a bad sign code', init({ quotes: [{ ...quote('005930'), sign: '0' }] })],
    ['init with halted as a string', init({ quotes: [{ ...quote('005930'), halted: 'N' }] })],
    ['init with bars not in an object', init({ bars: [bar('005930', 1)] })],
    ['init with bars as objects instead of columns', init({ bars: { '005930': [bar('005930', 1)] } })],
    ['init with bars under a malformed code', init({ bars: { '593': toBarColumns([bar('005930', 1)]) } })],
    [
      'init with a missing volume column',
      init({ bars: { '005930': { ...toBarColumns([bar('005930', 1)]), volume: undefined } } }),
    ],
    [
      'init with columns of different lengths',
      init({ bars: { '005930': { ...toBarColumns([bar('005930', 1)]), close: [1, 2] } } }),
    ],
    [
      'init with a NaN in a column',
      init({ bars: { '005930': { ...toBarColumns([bar('005930', 1)]), high: [Number.NaN] } } }),
    ],
    [
      'init with a string in a column',
      init({ bars: { '005930': { ...toBarColumns([bar('005930', 1)]), time: ['60'] } } }),
    ],
    ['init with a book level without size', init({ books: [book('005930', 1, 2, { bids: [{ price: 1 }] as never })] })],
    ['init with book sides that are not arrays', init({ books: [{ ...book('005930'), asks: {} }] })],
    ['init with a malformed selected symbol', init({ selected: 'samsung' })],
    ['init with an unknown colour convention', init({ colorConvention: 'chinese' })],
    ['init without strings', init({ strings: undefined })],
    ['init with a missing string', init({ strings: { ...strings(), noBars: undefined } })],
    ['a snapshot without bars', { type: 'snapshot', quotes: [], books: [] }],
    ['a snapshot with a bad quote', { type: 'snapshot', quotes: [{ symbol: '005930' }], bars: [], books: [] }],
    [
      'a snapshot with a quote change of the wrong type',
      { type: 'snapshot', quotes: [{ symbol: '005930', last: '71900' }], bars: [], books: [] },
    ],
    [
      'a snapshot with a bad sign in a quote change',
      { type: 'snapshot', quotes: [{ symbol: '005930', sign: '9' }], bars: [], books: [] },
    ],
    [
      'a snapshot with a string halted in a quote change',
      { type: 'snapshot', quotes: [{ symbol: '005930', halted: 'Y' }], bars: [], books: [] },
    ],
    [
      'a snapshot with a numeric tick time in a quote change',
      { type: 'snapshot', quotes: [{ symbol: '005930', lastTickTime: 93000 }], bars: [], books: [] },
    ],
    [
      'a snapshot with a quote change under a bad symbol',
      { type: 'snapshot', quotes: [{ symbol: '593', last: 1 }], bars: [], books: [] },
    ],
    [
      'a snapshot with a bad bar',
      { type: 'snapshot', quotes: [], bars: [{ ...bar('005930', 1), time: '09:00' }], books: [] },
    ],
    ['a snapshot with a bad book', { type: 'snapshot', quotes: [], bars: [], books: [{ symbol: '005930' }] }],
    ['a watchlist with a bad symbol', { type: 'watchlist', symbols: ['x'], names: {} }],
    ['a watchlist without names', { type: 'watchlist', symbols: [] }],
    ['a select with a bad symbol', { type: 'select', symbol: 5930 }],
    ['a config with a bad convention', { type: 'config', colorConvention: 1 }],
  ];
  for (const [name, raw] of defects) {
    it(`refuses ${name}`, () => {
      const checked = checkExtensionMessage(raw);
      assert.equal(checked.ok, false);
      assert.ok(!checked.ok && checked.reason.length > 0);
      assert.equal(parseExtensionMessage(raw), undefined);
    });
  }
});

describe('webview protocol: privacy mode', () => {
  it('checks the privacy message both ways', () => {
    assert.deepEqual(checkExtensionMessage({ type: 'privacy', on: true, text: 'hidden' }), {
      ok: true,
      message: { type: 'privacy', on: true, text: 'hidden' },
    });
    assert.equal(checkExtensionMessage({ type: 'privacy', on: 1, text: 'x' }).ok, false);
    assert.equal(checkExtensionMessage({ type: 'privacy', on: true, text: 'x'.repeat(501) }).ok, false);
    assert.deepEqual(checkWebviewMessage({ type: 'privacyApplied', on: false }), {
      ok: true,
      message: { type: 'privacyApplied', on: false },
    });
    assert.equal(checkWebviewMessage({ type: 'privacyApplied' }).ok, false);
  });
});

describe('webview protocol: book deltas (only the levels that changed travel)', () => {
  const full = (): OrderBookTop => ({
    symbol: '005930',
    time: '100000',
    asks: [
      { price: 73100, size: 10 },
      { price: 73200, size: 20 },
    ],
    bids: [
      { price: 73000, size: 30 },
      { price: 72900, size: 40 },
    ],
    totalAskSize: 30,
    totalBidSize: 70,
    venue: 'KRX',
  });

  it('sends a whole book when the webview has none, and nothing when no level, total or venue changed', () => {
    assert.deepEqual(bookDelta(undefined, full()), full());
    assert.equal(bookDelta(full(), { ...full(), time: '100001' }), undefined);
  });

  it('sends the changed levels and null elsewhere, and the webview rebuilds the same book from it', () => {
    const next = full();
    next.bids[1] = { price: 72900, size: 45 };
    next.totalBidSize = 75;
    const delta = bookDelta(full(), next);
    assert.deepEqual(delta?.asks, [null, null]);
    assert.deepEqual(delta?.bids, [null, { price: 72900, size: 45 }]);
    assert.ok(delta);
    assert.deepEqual(applyBookDelta(full(), delta), next);
    assert.equal(checkExtensionMessage({ type: 'snapshot', quotes: [], bars: [], books: [delta] }).ok, true);
  });

  it('follows a side that grows or shrinks, and a venue that changes', () => {
    const shorter = { ...full(), asks: [{ price: 73100, size: 10 }], venue: 'NXT' as const };
    const delta = bookDelta(full(), shorter);
    assert.deepEqual(delta?.asks, [null]);
    assert.equal(delta?.venue, 'NXT');
    assert.ok(delta);
    assert.deepEqual(applyBookDelta(full(), delta), shorter);
  });

  it('draws a null level it never had as an empty level, never an invented one', () => {
    const book = applyBookDelta(undefined, { ...full(), asks: [null, { price: 73200, size: 20 }] });
    assert.deepEqual(book.asks, [
      { price: 0, size: 0 },
      { price: 73200, size: 20 },
    ]);
  });

  it('refuses a book of more than ten levels a side, an unknown venue, or a bad level', () => {
    const snapshotOf = (books: unknown[]) => ({ type: 'snapshot', quotes: [], bars: [], books });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ price: 73100 + i * 100, size: 1 }));
    assert.equal(checkExtensionMessage(snapshotOf([{ ...full(), asks: eleven }])).ok, false);
    assert.equal(checkExtensionMessage(snapshotOf([{ ...full(), asks: eleven.slice(0, 10) }])).ok, true);
    assert.equal(checkExtensionMessage(snapshotOf([{ ...full(), venue: 'NYSE' }])).ok, false);
    assert.equal(checkExtensionMessage(snapshotOf([{ ...full(), bids: [{ price: '1', size: 1 }] }])).ok, false);
    assert.equal(checkExtensionMessage(snapshotOf([{ ...full(), bids: [undefined] }])).ok, false);
    assert.equal(isOrderBookTop({ ...full(), asks: [null] }), false, 'a null level is a delta’s, not a book’s');
    assert.equal(isBookDelta({ ...full(), asks: [null] }), true);
  });
});
