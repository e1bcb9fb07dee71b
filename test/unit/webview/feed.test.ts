import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/shared/snapshot';
import {
  groupBars,
  SnapshotCoalescer,
  systemClock,
  TickerChannel,
  type TickerChannelOptions,
  type TickerState,
} from '../../../src/views/ticker/tickerFeed';
import {
  MAX_BARS_PER_SYMBOL,
  toBarColumns,
  type ExtensionToWebview,
  type InitMessage,
  type SnapshotMessage,
  type WebviewToExtension,
} from '../../../src/shared/webviewProtocol';
import { bar, book, ManualClock, quote, strings } from './fixtures';
import { MarketModel } from '../../../src/feed/model/readModel';

function snap(
  parts: Partial<Pick<Snapshot, 'quotes' | 'bars' | 'books'>>,
): Pick<Snapshot, 'quotes' | 'bars' | 'books'> {
  return { quotes: parts.quotes ?? [], bars: parts.bars ?? [], books: parts.books ?? [] };
}

describe('SnapshotCoalescer', () => {
  it('is empty until something is added, and empty again after a take', () => {
    const coalescer = new SnapshotCoalescer();
    assert.equal(coalescer.empty, true);
    assert.equal(coalescer.take(), undefined);
    coalescer.add(snap({ quotes: [quote('005930')] }));
    assert.equal(coalescer.empty, false);
    assert.ok(coalescer.take());
    assert.equal(coalescer.empty, true);
    assert.equal(coalescer.take(), undefined);
  });

  it('keeps the latest quote and book per symbol', () => {
    const coalescer = new SnapshotCoalescer();
    coalescer.add(
      snap({ quotes: [quote('005930', { last: 1 }), quote('000660', { last: 2 })], books: [book('005930', 10, 11)] }),
    );
    coalescer.add(snap({ quotes: [quote('005930', { last: 3 })], books: [book('005930', 12, 13)] }));
    const message = coalescer.take();
    assert.deepEqual(
      message?.quotes.map((q) => [q.symbol, q.last]),
      [
        ['005930', 3],
        ['000660', 2],
      ],
    );
    assert.deepEqual(
      message?.books.map((b) => b.bids[0].price),
      [12],
    );
  });

  it('keeps the latest version of each (symbol, minute) bar, oldest first per symbol', () => {
    const coalescer = new SnapshotCoalescer();
    coalescer.add(snap({ bars: [bar('005930', 2, { close: 1 }), bar('000660', 2)] }));
    coalescer.add(snap({ bars: [bar('005930', 1), bar('005930', 2, { close: 2 })] }));
    coalescer.add(snap({ bars: [bar('005930', 3)] }));
    const message = coalescer.take();
    assert.deepEqual(
      message?.bars.map((b) => [b.symbol, b.time / 60, b.close]),
      [
        ['005930', 1, 105],
        ['005930', 2, 2],
        ['005930', 3, 105],
        ['000660', 2, 105],
      ],
    );
  });

  it('drops everything on clear', () => {
    const coalescer = new SnapshotCoalescer();
    coalescer.add(snap({ quotes: [quote('005930')], bars: [bar('005930', 1)], books: [book('005930')] }));
    coalescer.clear();
    assert.equal(coalescer.empty, true);
    assert.equal(coalescer.take(), undefined);
  });
});

describe('groupBars', () => {
  it('groups by symbol, sorts by time, drops symbols off the list and keeps the latest max', () => {
    const bars = [bar('005930', 3), bar('005930', 1), bar('035720', 1), bar('000660', 5), bar('005930', 2)];
    assert.deepEqual(groupBars(bars, new Set(['005930', '000660']), 2), {
      '005930': [bar('005930', 2), bar('005930', 3)],
      '000660': [bar('000660', 5)],
    });
  });

  it('caps at MAX_BARS_PER_SYMBOL by default', () => {
    const bars = Array.from({ length: MAX_BARS_PER_SYMBOL + 5 }, (_, i) => bar('005930', i));
    const grouped = groupBars(bars, new Set(['005930']));
    assert.equal(grouped['005930'].length, MAX_BARS_PER_SYMBOL);
    assert.equal(grouped['005930'][0].time, 5 * 60);
  });
});

describe('systemClock', () => {
  it('schedules and cancels real timers', async () => {
    const fired = await new Promise<boolean>((resolve) => {
      const cancelled = systemClock.setTimeout(() => resolve(false), 0);
      systemClock.clearTimeout(cancelled);
      systemClock.setTimeout(() => resolve(true), 0);
    });
    assert.equal(fired, true);
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(before <= now && now <= Date.now(), 'the system clock reads Date.now()');
  });
});

/** A channel wired to recorders: what it posts, what it reports. */
class Harness {
  readonly clock = new ManualClock();
  readonly posts: ExtensionToWebview[] = [];
  readonly requests: WebviewToExtension[] = [];
  readonly invalid: string[] = [];
  readonly errors: unknown[] = [];
  state: TickerState = {
    symbols: ['005930', '000660'],
    quotes: [quote('005930'), quote('035720')],
    bars: [bar('005930', 2), bar('005930', 1), bar('035720', 1)],
    books: [book('000660')],
    names: { '005930': '삼성전자', '000660': 'SK하이닉스' },
    colorConvention: 'korean',
  };
  /** What `post` returns; `throw` makes it throw. */
  postResult: boolean | 'throw' | Promise<boolean> = true;
  readonly channel: TickerChannel;
  /** The feed's read model, as the extension has it: a snapshot is applied to it before the views hear of it. */
  readonly model = new MarketModel();

  constructor(overrides: Partial<TickerChannelOptions> = {}) {
    this.channel = new TickerChannel({
      surface: 'view',
      market: this.model,
      post: (message) => {
        if (this.postResult === 'throw') {
          throw new Error('Webview is disposed');
        }
        this.posts.push(message);
        return this.postResult;
      },
      state: () => this.state,
      strings: strings(),
      onRequest: (request) => this.requests.push(request),
      onInvalid: (reason) => this.invalid.push(reason),
      onError: (error) => this.errors.push(error),
      clock: this.clock,
      intervalMs: 100,
      ...overrides,
    });
  }

  /** What the feed does with a worker snapshot: into the read model first, then to the views. */
  push(snapshot: Pick<Snapshot, 'quotes' | 'bars' | 'books'>): void {
    this.model.applySnapshot(snapshot);
    this.channel.push(snapshot);
  }

  /** Visible and ready: the state every live-feed test starts from. */
  open(): this {
    this.channel.setVisible(true);
    this.channel.receive({ type: 'ready' });
    return this;
  }

  ofType<T extends ExtensionToWebview['type']>(type: T): Extract<ExtensionToWebview, { type: T }>[] {
    return this.posts.filter((m): m is Extract<ExtensionToWebview, { type: T }> => m.type === type);
  }

  get snapshots(): SnapshotMessage[] {
    return this.ofType('snapshot');
  }

  get inits(): InitMessage[] {
    return this.ofType('init');
  }
}

describe('TickerChannel: handshake and visibility', () => {
  let harness: Harness;
  afterEach(() => harness.channel.dispose());

  it('posts nothing until the webview is visible and has said ready', () => {
    harness = new Harness();
    harness.push(snap({ quotes: [quote('005930', { last: 80001 })] }));
    harness.channel.setVisible(true);
    harness.push(snap({ quotes: [quote('005930', { last: 80002 })] }));
    harness.clock.advance(1000);
    assert.deepEqual(harness.posts, []);
    assert.equal(harness.channel.isLive, false);
  });

  it('answers ready with the full state: watchlist order, names, grouped bars, only listed symbols', () => {
    harness = new Harness().open();
    assert.equal(harness.inits.length, 1);
    const init = harness.inits[0];
    assert.equal(init.surface, 'view');
    assert.deepEqual(init.symbols, ['005930', '000660']);
    assert.deepEqual(init.names, harness.state.names);
    assert.deepEqual(
      init.quotes.map((q) => q.symbol),
      ['005930'],
    );
    assert.deepEqual(init.bars, { '005930': toBarColumns([bar('005930', 1), bar('005930', 2)]) });
    assert.deepEqual(
      init.books.map((b) => b.symbol),
      ['000660'],
    );
    assert.equal(init.colorConvention, 'korean');
    assert.deepEqual(init.strings, strings());
    assert.equal(init.selected, undefined);
    assert.equal(harness.channel.isLive, true);
    assert.equal(harness.channel.inits, 1);
  });

  it('waits for visibility when ready arrives first', () => {
    harness = new Harness();
    harness.channel.receive({ type: 'ready' });
    assert.deepEqual(harness.posts, []);
    harness.channel.setVisible(true);
    assert.equal(harness.inits.length, 1);
  });

  it('replay() sends the full state again to a live webview, and nothing to a hidden one', () => {
    harness = new Harness().open();
    harness.push(snap({ quotes: [quote('005930', { last: 1 })] }));
    harness.channel.replay();
    assert.equal(harness.inits.length, 2);
    assert.equal(harness.clock.pending, 0, 'the pending merge is older than the replayed state');
    harness.channel.setVisible(false);
    harness.channel.replay();
    assert.equal(harness.inits.length, 2);
  });

  it('drops snapshots while hidden and replays the current state when shown again', () => {
    harness = new Harness().open();
    harness.push(snap({ quotes: [quote('005930', { last: 1 })] }));
    harness.push(snap({ quotes: [quote('005930', { last: 2 })] }));
    assert.equal(harness.clock.pending, 1, 'a trailing post is scheduled');
    harness.channel.setVisible(false);
    assert.equal(harness.clock.pending, 0, 'hiding cancels it');
    harness.push(snap({ quotes: [quote('005930', { last: 3 })] }));
    harness.clock.advance(1000);
    assert.deepEqual(
      harness.snapshots.map((s) => s.quotes[0].last),
      [1],
    );

    harness.state = { ...harness.state, quotes: [quote('005930', { last: 4 })] };
    harness.channel.setVisible(true);
    assert.equal(harness.inits.length, 2);
    assert.equal(harness.inits[1].quotes[0].last, 4);
    assert.equal(harness.channel.isLive, true);
    harness.clock.advance(1000);
    assert.equal(harness.snapshots.length, 1, 'nothing pending from before the replay');
  });

  it('replays again when a reloaded webview says ready a second time', () => {
    harness = new Harness().open();
    harness.channel.setVisible(false);
    harness.channel.setVisible(true);
    harness.channel.receive({ type: 'ready' });
    assert.equal(harness.inits.length, 3);
  });

  it('ignores repeated visibility reports', () => {
    harness = new Harness().open();
    harness.channel.setVisible(true);
    assert.equal(harness.inits.length, 1);
  });

  it('stops feeding a webview whose post throws, and reports the error', () => {
    harness = new Harness().open();
    harness.postResult = 'throw';
    harness.push(snap({ quotes: [quote('005930', { last: 80003 })] }));
    assert.equal(harness.errors.length, 1);
    assert.equal(harness.channel.isLive, false);
    harness.postResult = true;
    harness.push(snap({ quotes: [quote('005930', { last: 80004 })] }));
    harness.clock.advance(1000);
    assert.equal(harness.snapshots.length, 0);
  });

  it('reports a host that cannot give its state and posts no init', () => {
    harness = new Harness({
      state: () => {
        throw new Error('no session');
      },
    });
    harness.open();
    assert.deepEqual(harness.posts, []);
    assert.equal(harness.errors.length, 2, 'once at construction, once on ready');
    assert.equal(harness.channel.isLive, false);
  });
});

describe('TickerChannel: posts carry only what changed', () => {
  let harness: Harness;
  afterEach(() => harness.channel.dispose());

  it('sends only the changed fields of a quote the webview has, nothing for an unchanged one, the whole quote of a new one', () => {
    harness = new Harness().open();
    harness.push(snap({ quotes: [quote('005930', { last: 72000, volume: 3052508 }), quote('000660', { last: 5 })] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots[0].quotes, [
      { symbol: '005930', last: 72000, volume: 3052508 },
      quote('000660', { last: 5 }),
    ]);
    harness.clock.advance(100);
    harness.push(snap({ quotes: [quote('005930', { last: 72000, volume: 3052508 })] }));
    harness.channel.flush();
    assert.equal(harness.snapshots.length, 1, 'nothing changed: nothing posted');
    harness.push(snap({ quotes: [quote('000660', { last: 6 })], bars: [bar('000660', 1)] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots[1].quotes, [{ symbol: '000660', last: 6 }]);
  });

  it('after a post the webview did not take, the next post of each symbol carries the whole quote', () => {
    harness = new Harness().open();
    harness.postResult = false;
    harness.push(snap({ quotes: [quote('005930', { last: 1 })] }));
    harness.channel.flush();
    harness.postResult = true;
    harness.push(snap({ quotes: [quote('005930', { last: 2 })] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots[1].quotes, [quote('005930', { last: 2 })]);
  });

  it('posts only the book levels that changed, and the whole book after a post the webview did not take', () => {
    harness = new Harness().open();
    const deep = (bid: number) =>
      book('005930', bid, 71900, {
        bids: [
          { price: bid, size: 1 },
          { price: 71700, size: 2 },
        ],
      });
    harness.push(snap({ books: [deep(71800)] }));
    harness.channel.flush();
    harness.clock.advance(100);
    harness.push(snap({ books: [deep(71750)] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots.at(-1)?.books[0]?.bids, [{ price: 71750, size: 1 }, null]);
    assert.deepEqual(harness.snapshots.at(-1)?.books[0]?.asks, [null]);
    harness.clock.advance(100);
    harness.postResult = false;
    harness.push(snap({ books: [deep(71700)] }));
    harness.channel.flush();
    harness.clock.advance(100);
    harness.postResult = true;
    harness.push(snap({ books: [deep(71650)] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots.at(-1)?.books[0], deep(71650), 'whole: the webview may have missed the last');
  });

  it('a replay (init) is the new base', () => {
    harness = new Harness().open();
    harness.state = { ...harness.state, quotes: [quote('005930', { last: 3 })] };
    harness.channel.setVisible(false);
    harness.channel.setVisible(true);
    harness.channel.receive({ type: 'ready' });
    harness.push(snap({ quotes: [quote('005930', { last: 3, rate: 9 })] }));
    harness.channel.flush();
    assert.deepEqual(harness.snapshots.at(-1)?.quotes, [{ symbol: '005930', rate: 9 }]);
  });
});

describe('TickerChannel: coalescing', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = new Harness().open();
  });
  afterEach(() => harness.channel.dispose());

  it('posts the first snapshot at once, then at most one per interval, latest wins', () => {
    harness.push(snap({ quotes: [quote('005930', { last: 1 })] }));
    assert.equal(harness.snapshots.length, 1, 'leading edge');
    harness.push(snap({ quotes: [quote('005930', { last: 2 })], bars: [bar('005930', 5, { close: 1 })] }));
    harness.push(
      snap({
        quotes: [quote('005930', { last: 3 }), quote('000660', { last: 9 })],
        bars: [bar('005930', 5, { close: 2 })],
      }),
    );
    harness.clock.advance(99);
    assert.equal(harness.snapshots.length, 1, 'not before the interval');
    harness.clock.advance(1);
    assert.equal(harness.snapshots.length, 2);
    const merged = harness.snapshots[1];
    assert.deepEqual(
      merged.quotes.map((q) => [q.symbol, q.last]),
      [
        ['005930', 3],
        ['000660', 9],
      ],
    );
    assert.deepEqual(
      merged.bars.map((b) => b.close),
      [2],
    );
  });

  it('posts nothing for an interval with no data, and posts at once after a quiet interval', () => {
    harness.push(snap({ quotes: [quote('005930', { last: 80005 })] }));
    harness.clock.advance(500);
    assert.equal(harness.snapshots.length, 1);
    harness.push(snap({ quotes: [quote('005930', { last: 80006 })] }));
    assert.equal(harness.snapshots.length, 2);
  });

  it('ignores empty snapshots', () => {
    harness.push(snap({}));
    harness.clock.advance(500);
    assert.equal(harness.snapshots.length, 0);
  });

  it('counts deliveries only when the webview accepts the post', async () => {
    harness.push(snap({ quotes: [quote('005930', { last: 80007 })] }));
    assert.equal(harness.channel.delivered, 1);
    harness.postResult = false;
    harness.clock.advance(100);
    harness.push(snap({ quotes: [quote('005930', { last: 80008 })] }));
    assert.equal(harness.channel.posted, 2);
    assert.equal(harness.channel.delivered, 1);

    const accepted = Promise.resolve(true);
    harness.postResult = accepted;
    harness.clock.advance(100);
    harness.push(snap({ quotes: [quote('005930', { last: 80009 })] }));
    await accepted;
    assert.equal(harness.channel.delivered, 2);

    const refused = Promise.reject(new Error('gone'));
    harness.postResult = refused;
    harness.clock.advance(100);
    harness.push(snap({ quotes: [quote('005930', { last: 80010 })] }));
    await refused.catch(() => undefined);
    assert.equal(harness.channel.delivered, 2);
    assert.equal(harness.channel.posted, 4);
    assert.deepEqual(
      harness.errors.map((e) => (e as Error).message),
      ['gone'],
    );
  });

  it('stops its timer on dispose and ignores everything afterwards', () => {
    harness.push(snap({ quotes: [quote('005930', { last: 80011 })] }));
    harness.push(snap({ quotes: [quote('005930', { last: 80012 })] }));
    harness.channel.dispose();
    assert.equal(harness.clock.pending, 0);
    harness.push(snap({ quotes: [quote('005930', { last: 80013 })] }));
    harness.channel.receive({ type: 'ready' });
    harness.channel.setVisible(false);
    harness.channel.setVisible(true);
    harness.channel.select('005930');
    harness.channel.setWatchlist(['005930'], {});
    harness.channel.setConfig('western');
    harness.clock.advance(1000);
    assert.equal(harness.posts.length, 2, 'the init and the leading snapshot only');
  });

  it('flush posts what is pending at once and cancels the timer', () => {
    harness.push(snap({ quotes: [quote('005930', { last: 80014 })] }));
    harness.push(snap({ quotes: [quote('000660')] }));
    harness.channel.flush();
    assert.equal(harness.snapshots.length, 2);
    assert.equal(harness.clock.pending, 0);
    harness.channel.flush();
    assert.equal(harness.snapshots.length, 2, 'nothing left to flush');
  });
});

describe('TickerChannel: requests from the webview', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = new Harness().open();
  });
  afterEach(() => harness.channel.dispose());

  it('passes valid requests on and remembers the selection', () => {
    harness.channel.receive({ type: 'select', symbol: '000660' });
    harness.channel.receive({ type: 'unsubscribe', symbol: '005930' });
    harness.channel.receive({ type: 'openPanel' });
    assert.deepEqual(harness.requests, [
      { type: 'select', symbol: '000660' },
      { type: 'unsubscribe', symbol: '005930' },
      { type: 'openPanel' },
    ]);
    assert.equal(harness.channel.selected, '000660');
    assert.equal(harness.invalid.length, 0);
  });

  it('counts and reports every invalid message, and acts on none', () => {
    for (const raw of [
      null,
      { type: 'select', symbol: '035720' },
      { type: 'unsubscribe' },
      { type: 'nuke' },
      { type: 'ready', extra: 1 },
    ]) {
      harness.channel.receive(raw);
    }
    assert.equal(harness.channel.invalid, 5);
    assert.equal(harness.invalid.length, 5);
    assert.ok(harness.invalid.some((reason) => reason.includes('035720')));
    assert.deepEqual(harness.requests, []);
    assert.equal(harness.inits.length, 1);
    assert.equal(harness.channel.selected, undefined);
  });

  it('survives a request handler that throws', () => {
    harness.channel.dispose();
    harness = new Harness({
      onRequest: () => {
        throw new Error('boom');
      },
    }).open();
    harness.channel.receive({ type: 'openPanel' });
    harness.push(snap({ quotes: [quote('005930', { last: 80015 })] }));
    assert.equal((harness.errors[0] as Error).message, 'boom');
    assert.equal(harness.snapshots.length, 1);
  });
});

describe('TickerChannel: selection, watchlist and config', () => {
  let harness: Harness;
  afterEach(() => harness.channel.dispose());

  it('starts from the selection it was given and sends it in init', () => {
    harness = new Harness({ selected: '000660' }).open();
    assert.equal(harness.inits[0].selected, '000660');
  });

  it('drops a starting selection that is not on the watchlist', () => {
    harness = new Harness({ selected: '035720' }).open();
    assert.equal(harness.inits[0].selected, undefined);
  });

  it('posts a select for listed symbols only, and only while live', () => {
    harness = new Harness();
    harness.channel.select('000660');
    assert.deepEqual(harness.posts, []);
    harness.open();
    assert.equal(harness.inits[0].selected, '000660');
    harness.channel.select('035720');
    harness.channel.select('005930');
    assert.deepEqual(harness.ofType('select'), [{ type: 'select', symbol: '005930' }]);
  });

  it('follows the watchlist: new symbols become valid, a removed selection is cleared', () => {
    harness = new Harness({ selected: '000660' }).open();
    harness.channel.setWatchlist(['005930', '035720'], { '035720': '카카오' });
    assert.deepEqual(harness.ofType('watchlist'), [
      { type: 'watchlist', symbols: ['005930', '035720'], names: { '035720': '카카오' } },
    ]);
    assert.equal(harness.channel.selected, undefined);
    harness.channel.receive({ type: 'select', symbol: '035720' });
    harness.channel.receive({ type: 'select', symbol: '000660' });
    assert.equal(harness.channel.selected, '035720');
    assert.equal(harness.channel.invalid, 1);
  });

  it('keeps the watchlist for validation while hidden without posting it', () => {
    harness = new Harness();
    harness.channel.setWatchlist(['035720'], {});
    harness.channel.receive({ type: 'select', symbol: '035720' });
    assert.equal(harness.channel.selected, '035720');
    assert.deepEqual(harness.posts, []);
  });

  it('posts config changes while live only', () => {
    harness = new Harness();
    harness.channel.setConfig('western');
    harness.open();
    harness.channel.setConfig('western');
    assert.deepEqual(harness.ofType('config'), [{ type: 'config', colorConvention: 'western' }]);
  });
});

describe('TickerChannel: privacy mode', () => {
  let harness: Harness;
  afterEach(() => harness.channel.dispose());

  it('covers a live webview at once and sends the cover before every init, so no price is painted first', () => {
    harness = new Harness();
    harness.channel.setPrivacy(true, 'hidden');
    assert.equal(harness.posts.length, 0, 'nothing posted before the webview is live');
    harness.open();
    assert.deepEqual(
      harness.posts.map((m) => m.type),
      ['privacy', 'init'],
    );
    assert.deepEqual(harness.ofType('privacy')[0], { type: 'privacy', on: true, text: 'hidden' });
    harness.channel.setPrivacy(false, 'hidden');
    assert.deepEqual(harness.ofType('privacy').at(-1), { type: 'privacy', on: false, text: 'hidden' });
  });

  it('records what the webview applied and does not pass it on as a request', () => {
    harness = new Harness().open();
    assert.equal(harness.channel.privacyShown, false);
    harness.channel.receive({ type: 'privacyApplied', on: true });
    assert.equal(harness.channel.privacyShown, true);
    harness.channel.receive({ type: 'privacyApplied', on: 'yes' });
    harness.channel.receive({ type: 'privacyApplied', on: false, extra: 1 });
    assert.equal(harness.channel.privacyShown, true);
    assert.equal(harness.invalid.length, 2);
    assert.deepEqual(harness.requests, []);
  });
});
