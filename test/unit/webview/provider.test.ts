// The ticker provider against a small fake of the `vscode` API (views, panels, webviews, configuration):
// the wiring that the channel tests cannot see, without starting VS Code.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Snapshot } from '../../../src/shared/snapshot';
import type { ExtensionToWebview } from '../../../src/shared/webviewProtocol';
import type { TickerHost } from '../../../src/views/ticker/tickerHost';
import type { ChartOutcome } from '../../../src/feed';
import { bar, book, quote } from './fixtures';
import { vscode as standIn } from '../support/vscode';
import { MarketModel } from '../../../src/feed/model/readModel';

type Listener<T> = (value: T) => void;

class FakeEmitter<T> {
  readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
}

const CSP_SOURCE = 'https://fake.vscode-cdn.net';

class FakeWebview {
  options: vscode.WebviewOptions = {};
  html = '';
  readonly cspSource = CSP_SOURCE;
  readonly posted: ExtensionToWebview[] = [];
  /** What postMessage resolves to (false: the webview is hidden or gone). */
  accept = true;
  lastResult: Promise<boolean> = Promise.resolve(true);
  readonly messages = new FakeEmitter<unknown>();
  readonly onDidReceiveMessage = this.messages.event;

  asWebviewUri(uri: { path: string }): { toString(): string } {
    return { toString: () => `${CSP_SOURCE}${uri.path}` };
  }

  postMessage(message: ExtensionToWebview): Promise<boolean> {
    this.posted.push(message);
    this.lastResult = Promise.resolve(this.accept);
    return this.lastResult;
  }

  ofType<T extends ExtensionToWebview['type']>(type: T): Extract<ExtensionToWebview, { type: T }>[] {
    return this.posted.filter((m): m is Extract<ExtensionToWebview, { type: T }> => m.type === type);
  }
}

class FakeWebviewView {
  readonly webview = new FakeWebview();
  visible = true;
  description: string | undefined;
  shown: (boolean | undefined)[] = [];
  readonly visibility = new FakeEmitter<void>();
  readonly onDidChangeVisibility = this.visibility.event;
  readonly disposal = new FakeEmitter<void>();
  readonly onDidDispose = this.disposal.event;

  show(preserveFocus?: boolean): void {
    this.shown.push(preserveFocus);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.visibility.fire();
  }
}

class FakePanel {
  readonly webview = new FakeWebview();
  visible = true;
  revealed = 0;
  disposed = false;
  readonly viewState = new FakeEmitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly disposal = new FakeEmitter<void>();
  readonly onDidDispose = this.disposal.event;

  constructor(
    readonly viewType: string,
    readonly title: string,
    readonly options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
  ) {}

  reveal(): void {
    this.revealed++;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewState.fire();
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.disposal.fire();
    }
  }
}

/** The part of the `vscode` module the provider uses, with recorders. */
const fake = {
  configuration: new FakeEmitter<{ affectsConfiguration(section: string): boolean }>(),
  settings: {} as Record<string, unknown>,
  executed: [] as string[],
  panels: [] as FakePanel[],
  reset(): void {
    this.settings = {};
    this.executed = [];
    this.panels = [];
    this.configuration.listeners.clear();
  },
};

const fakeVscode = {
  Uri: { joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join('/') }) },
  ViewColumn: { Active: -1 },
  l10n: { t: (message: string) => message },
  env: { language: 'ko' },
  workspace: {
    onDidChangeConfiguration: fake.configuration.event,
    getConfiguration: () => ({ get: (key: string) => fake.settings[key] }),
  },
  commands: {
    executeCommand: (id: string) => {
      fake.executed.push(id);
      return Promise.resolve(undefined);
    },
  },
  window: {
    createWebviewPanel: (
      viewType: string,
      title: string,
      _column: number,
      options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
    ) => {
      const panel = new FakePanel(viewType, title, options);
      fake.panels.push(panel);
      return panel;
    },
  },
};

type TickerModule = typeof import('../../../src/views/ticker/ticker');

function snapshot(parts: Partial<Snapshot>): Snapshot {
  return {
    seq: 1,
    at: 0,
    quotes: [],
    bars: [],
    books: [],
    alerts: [],
    counters: { records: 0, handlerErrors: 0, parseErrors: 0 },
    ...parts,
  };
}

describe('TickerViewProvider (against a fake vscode)', () => {
  let ticker: TickerModule;
  /** The shared stand-in's members this file replaces with its own recorders, restored after. */
  const replaced: Record<string, unknown> = {};

  before(() => {
    const module = standIn as unknown as Record<string, unknown>;
    for (const key of Object.keys(fakeVscode)) replaced[key] = module[key];
    Object.assign(module, fakeVscode);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ticker = require('../../../src/views/ticker/ticker') as TickerModule;
  });

  after(() => {
    Object.assign(standIn as unknown as Record<string, unknown>, replaced);
  });

  let provider: InstanceType<TickerModule['TickerViewProvider']>;
  let warnings: string[];
  let unsubscribed: string[];
  let selectedByUser: string[];
  let state: ReturnType<TickerHost['currentState']>;
  let failState: boolean;
  /** The feed's read model: a snapshot is applied to it before the views hear of it (see {@link feed}). */
  let model: MarketModel;

  /** What the feed does with a worker snapshot: into the read model first, then to the views. */
  function feed(snap: Snapshot): void {
    model.applySnapshot(snap);
    provider.onSnapshot(snap);
    // The views' next frame (quoteFrame.ts), taken at once here.
    provider.drawFrame(snap.quotes.map((q) => q.symbol));
  }

  beforeEach(() => {
    model = new MarketModel();
    fake.reset();
    warnings = [];
    unsubscribed = [];
    selectedByUser = [];
    failState = false;
    state = {
      symbols: ['005930', '000660'],
      quotes: [quote('005930')],
      bars: [bar('005930', 1)],
      books: [book('005930')],
      names: { '005930': '삼성전자' },
      colorConvention: 'korean',
    };
    const host: TickerHost = {
      market: model,
      currentState: () => {
        if (failState) {
          throw new Error('no session');
        }
        return state;
      },
      unsubscribe: (symbol) => unsubscribed.push(symbol),
      onSelect: (symbol) => selectedByUser.push(symbol),
    };
    const log = { warn: (message: string) => warnings.push(message) } as unknown as vscode.LogOutputChannel;
    provider = new ticker.TickerViewProvider({ path: '/ext' } as vscode.Uri, host, log);
  });

  afterEach(() => provider.dispose());

  function resolve(): FakeWebviewView {
    const view = new FakeWebviewView();
    provider.resolveWebviewView(view as unknown as vscode.WebviewView);
    return view;
  }

  it('sets up the view: scripts on, only dist and media readable, strict CSP, bundle and stylesheet by webview URI', () => {
    const view = resolve();
    assert.equal(view.webview.options.enableScripts, true);
    assert.deepEqual(
      view.webview.options.localResourceRoots?.map((uri) => uri.path),
      ['/ext/dist', '/ext/media'],
    );
    assert.equal((view.webview.options as { retainContextWhenHidden?: boolean }).retainContextWhenHidden, undefined);
    assert.match(view.webview.html, new RegExp(`style-src ${CSP_SOURCE.replace(/\./g, '\\.')};`));
    assert.match(
      view.webview.html,
      /<script nonce="[A-Za-z0-9+/=]{24}" src="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\.js">/,
    );
    assert.match(view.webview.html, /href="https:\/\/fake\.vscode-cdn\.net\/ext\/media\/ticker\.css"/);
    assert.match(view.webview.html, /<html lang="ko">/);
  });

  it('renders a fresh nonce for every webview', () => {
    const nonce = (html: string): string | undefined => /nonce="([^"]+)"/.exec(html)?.[1];
    const first = resolve();
    provider.openPanel();
    assert.notEqual(nonce(first.webview.html), undefined);
    assert.notEqual(nonce(first.webview.html), nonce(fake.panels[0].webview.html));
    // The view's webview recreated (hidden and shown again without retainContextWhenHidden): a new render, a new nonce.
    const second = resolve();
    const nonces = new Set(
      [first, second].map((view) => nonce(view.webview.html)).concat(nonce(fake.panels[0].webview.html)),
    );
    assert.equal(nonces.size, 3);
    // The CSP names the same nonce as the script tag of its own render.
    const csp = /content="([^"]*)"/.exec(second.webview.html)?.[1] ?? '';
    assert.match(csp, new RegExp(`script-src 'nonce-${(nonce(second.webview.html) ?? '').replace(/[+/=]/g, '\\$&')}'`));
  });

  it('answers ready with init and forwards snapshots while visible, counting deliveries', async () => {
    const view = resolve();
    feed(snapshot({ quotes: [quote('005930', { last: 80001 })] }));
    assert.deepEqual(view.webview.posted, [], 'nothing before ready');
    view.webview.messages.fire({ type: 'ready' });
    const [init] = view.webview.ofType('init');
    assert.equal(init.surface, 'view');
    assert.deepEqual(init.symbols, ['005930', '000660']);
    assert.deepEqual(init.strings.emptyHint, 'Subscribe to a symbol with KIS: Subscribe…');
    feed(snapshot({ quotes: [quote('005930', { last: 1 })] }));
    await view.webview.lastResult;
    assert.equal(view.webview.ofType('snapshot').length, 1);
    assert.equal(provider.delivered, 1);
  });

  it('posts nothing when a snapshot arrives, and the quote, book and bars at the next frame of the views', async () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    const snap = snapshot({
      quotes: [quote('005930', { last: 71500 })],
      bars: [bar('005930', 1)],
      books: [book('005930', 71700)],
    });
    model.applySnapshot(snap);
    provider.onSnapshot(snap);
    assert.equal(view.webview.ofType('snapshot').length, 0, 'the ticker waits for the frame the list views draw');
    provider.drawFrame(['005930']);
    const [post] = view.webview.ofType('snapshot');
    assert.equal(post?.quotes[0]?.last, 71500);
    assert.equal(post?.bars.length, 1);
    // The init had this book with a 71,800 bid: only the bid level travels, the unchanged ask is null.
    assert.deepEqual(post?.books[0]?.bids, [{ price: 71700, size: 1200 }]);
    assert.deepEqual(post?.books[0]?.asks, [null]);
  });

  it('forwards quotes the read model took from REST (no snapshot announces them), as the model holds them', async () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    provider.drawFrame([]);
    assert.equal(view.webview.ofType('snapshot').length, 0, 'nothing for no quotes');
    const rest = quote('005930', {
      last: 71100,
      change: -800,
      rate: -1.11,
      sign: '5',
      lastUpdateAt: 1_795_000_000_001,
    });
    model.applyRestQuote(rest);
    provider.drawFrame(['005930']);
    const [post] = view.webview.ofType('snapshot');
    assert.equal(post?.quotes[0]?.last, 71100, "the model's quote, whatever the announcement carried");
    assert.equal(post?.quotes[0]?.change, -800);
  });

  it('draws the views’ current frame of the feed’s read model: quotes, and the last candle closing at the frame’s price', () => {
    const { feedTickerHost } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../../src/views/ticker/tickerHost') as typeof import('../../../src/views/ticker/tickerHost');
    model.applySnapshot(
      snapshot({
        quotes: [quote('005930', { last: 71500 })],
        bars: [{ ...bar('005930', 1), close: 71500, high: 71500, low: 71000 }],
      }),
    );
    // The frame was taken at 71,500; the model moved on to 72,000 since (the next frame will show it).
    const frame = { quote: () => quote('005930', { last: 71500 }), book: () => undefined };
    model.applySnapshot(
      snapshot({
        quotes: [quote('005930', { last: 72000 })],
        bars: [{ ...bar('005930', 1), close: 72000, high: 72000, low: 71000 }],
      }),
    );
    const feedLike = { model, symbols: ['005930'] } as unknown as import('../../../src/feed').MarketFeed;
    const host = feedTickerHost(
      feedLike,
      { current: { colorConvention: 'korean' } } as unknown as import('../../../src/config').Config,
      { current: frame },
    );
    assert.equal(host.market.quote('005930')?.last, 71500, 'a post carries the frame’s price');
    const state = host.currentState();
    assert.deepEqual(
      state.quotes.map((q) => q.last),
      [71500],
      'an init carries the frame’s price',
    );
    const lastBar = state.bars.at(-1);
    assert.equal(lastBar?.close, 71500, 'the last candle closes at the price the header shows');
    assert.equal(lastBar?.high, 72000, 'its high stays what traded');
  });

  it('shows the frame’s book in the sidebar ticker and in a panel opened between two frames (one book per instant)', async () => {
    const { feedTickerHost } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../../src/views/ticker/tickerHost') as typeof import('../../../src/views/ticker/tickerHost');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { QuoteFrames } = require('../../../src/views/quoteFrame') as typeof import('../../../src/views/quoteFrame');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Logger } = require('../../../src/common/logger') as typeof import('../../../src/common/logger');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FakeLogChannel } = require('../support/vscode') as typeof import('../support/vscode');
    provider.dispose();
    const frames = new QuoteFrames(model, () => ['005930'], new Logger(new FakeLogChannel('frames')), 3_600_000);
    const feedLike = {
      model,
      symbols: ['005930'],
      chartHistory: undefined,
    } as unknown as import('../../../src/feed').MarketFeed;
    const config = { current: { colorConvention: 'korean' } } as unknown as import('../../../src/config').Config;
    const log = { warn: (message: string) => warnings.push(message) } as unknown as vscode.LogOutputChannel;
    provider = new ticker.TickerViewProvider(
      { path: '/ext' } as vscode.Uri,
      { ...feedTickerHost(feedLike, config, frames), chartHistory: undefined },
      log,
    );
    const drawn = frames.onFrame(({ changed }) => provider.drawFrame(changed));
    try {
      const view = resolve();
      view.webview.messages.fire({ type: 'ready' });
      // A frame with the bid 71,800 × 1,200: the sidebar ticker draws it.
      const first = snapshot({
        quotes: [quote('005930', { last: 71800 })],
        books: [book('005930', 71800, 71900, { bids: [{ price: 71800, size: 1200 }] })],
      });
      model.applySnapshot(first);
      provider.onSnapshot(first);
      frames.takeNow(['005930']);
      assert.equal(view.webview.ofType('snapshot').at(-1)?.books[0]?.bids[0]?.size, 1200);
      // The book moves in the read model (next frame not taken yet); the panel opens now.
      const moved = snapshot({ books: [book('005930', 71800, 71900, { bids: [{ price: 71800, size: 98_000 }] })] });
      model.applySnapshot(moved);
      provider.onSnapshot(moved);
      provider.openPanel();
      const panel = fake.panels.at(-1)!;
      panel.webview.messages.fire({ type: 'ready' });
      const [init] = panel.webview.ofType('init');
      assert.equal(
        init.books[0]?.bids[0]?.size,
        1200,
        'the panel shows the book the sidebar shows (the frame’s), not the model’s newer one',
      );
      // The next frame gives both the new book at once.
      frames.takeNow(['005930']);
      assert.equal(view.webview.ofType('snapshot').at(-1)?.books[0]?.bids[0]?.size, 98_000);
      assert.equal(panel.webview.ofType('snapshot').at(-1)?.books[0]?.bids[0]?.size, 98_000);
    } finally {
      drawn.dispose();
      frames.dispose();
    }
  });

  it('says the market phase beside the sidebar ticker’s title, and the replay label over it while one is set', () => {
    provider.setPhase('demo');
    const view = resolve();
    assert.equal(view.description, 'demo', 'a view resolved after the phase was set shows it');
    provider.setPhase('closed');
    assert.equal(view.description, 'closed');
    provider.setDescription('replay 10× · 09:01:02 KST');
    assert.equal(view.description, 'replay 10× · 09:01:02 KST');
    assert.equal(provider.description, 'replay 10× · 09:01:02 KST');
    provider.setPhase('regular session');
    assert.equal(view.description, 'replay 10× · 09:01:02 KST', 'the replay label stays while set');
    provider.setDescription(undefined);
    assert.equal(view.description, 'regular session', 'the phase comes back when the replay label goes');
  });

  it('words the phase for the ticker’s title: the simulator’s alone, another source named first', () => {
    const { phaseWords } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../../src/views/ticker/tickerHost') as typeof import('../../../src/views/ticker/tickerHost');
    const t = (message: string, ...args: Array<string | number>): string =>
      message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    const demo = { calendar: false, exchange: 'unified', session: { day: 'trading' } } as unknown as ReturnType<
      import('../../../src/feed').MarketFeed['dayStatus']
    >;
    assert.equal(phaseWords({ source: 'simulator', dayStatus: () => demo }, t), 'demo');
    assert.equal(phaseWords({ source: 'replay', dayStatus: () => demo }, t), 'Replay · demo');
  });

  it('sends nothing while hidden and replays the full state when shown again', async () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    view.setVisible(false);
    feed(snapshot({ quotes: [quote('005930', { last: 1 })] }));
    assert.equal(view.webview.ofType('snapshot').length, 0);
    state = { ...state, quotes: [quote('005930', { last: 2 })] };
    view.setVisible(true);
    const inits = view.webview.ofType('init');
    assert.equal(inits.length, 2);
    assert.equal(inits[1].quotes[0].last, 2);
    await view.webview.lastResult;
    assert.equal(provider.delivered, 0);
  });

  it('validates webview messages: counts and logs refusals, acts on valid requests', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    view.webview.messages.fire({ type: 'unsubscribe', symbol: '035720' });
    view.webview.messages.fire('ready');
    view.webview.messages.fire({ type: 'unsubscribe', symbol: '000660' });
    view.webview.messages.fire({ type: 'select', symbol: '000660' });
    assert.equal(provider.invalidMessages, 2);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /035720 is not on the watchlist/);
    assert.deepEqual(unsubscribed, ['000660']);
    assert.deepEqual(selectedByUser, ['000660']);
  });

  it('refuses every malformed message kind on the view and the panel: one counted log line each, no action, no pollution', () => {
    const hostile: [string, unknown][] = [
      ['not an object', 'unsubscribe 005930'],
      ['an array', [{ type: 'unsubscribe', symbol: '005930' }]],
      ['no type', { symbol: '005930' }],
      ['a wrong type of type', { type: 7 }],
      ['an unknown type', { type: 'eval', code: 'alert(1)' }],
      ['an extra field', { type: 'unsubscribe', symbol: '005930', all: true }],
      ['an oversized field', { type: 'select', symbol: '005930', pad: 'x'.repeat(1_000_000) }],
      ['an oversized symbol', { type: 'unsubscribe', symbol: '0'.repeat(1_000_000) }],
      ['a bad symbol', { type: 'unsubscribe', symbol: '005930^H0STCNT0' }],
      ['a lower-case symbol', { type: 'select', symbol: '00593a' }],
      ['a symbol off the watchlist', { type: 'unsubscribe', symbol: '035720' }],
      ['a __proto__ key', JSON.parse('{"type":"unsubscribe","symbol":"005930","__proto__":{"polluted":true}}')],
      ['a constructor key', JSON.parse('{"type":"openPanel","constructor":{"prototype":{"polluted":true}}}')],
      ['a forged log line in a key', { type: 'ready', ['x\n[agent] connected as PSxxxx']: 1 }],
    ];
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    provider.openPanel();
    const panel = fake.panels[0];
    panel.webview.messages.fire({ type: 'ready' });
    const postedBefore = view.webview.posted.length + panel.webview.posted.length;
    let expected = 0;
    // The panel gets a few, so the total stays inside the provider's burst of 20 logged refusals.
    for (const [webview, kinds] of [
      [view.webview, hostile],
      [panel.webview, hostile.slice(0, 6)],
    ] as const) {
      for (const [name, raw] of kinds) {
        webview.messages.fire(raw);
        expected++;
        assert.equal(provider.invalidMessages, expected, `${name} is counted`);
        assert.equal(warnings.length, expected, `${name} is logged once`);
        const line = warnings[warnings.length - 1];
        assert.match(line, /refused a webview message/, name);
        assert.ok(line.length < 200 && !/[\n\r]/.test(line), `${name}: a short, single log line`);
      }
    }
    assert.deepEqual(unsubscribed, []);
    assert.deepEqual(selectedByUser, []);
    assert.equal(fake.panels.length, 1, 'no panel opened by a refused openPanel');
    assert.equal(panel.revealed, 0);
    assert.equal(view.webview.posted.length + panel.webview.posted.length, postedBefore, 'nothing posted back');
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
  });

  it('logs a burst of refusals, then only one in a hundred', () => {
    const view = resolve();
    for (let i = 0; i < 250; i++) {
      view.webview.messages.fire({ type: 'bogus' });
    }
    assert.equal(provider.invalidMessages, 250);
    assert.equal(warnings.length, 20 + 2);
  });

  it('opens one editor panel on the same code path, and reveals it when asked again', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    view.webview.messages.fire({ type: 'openPanel' });
    assert.equal(fake.panels.length, 1);
    const panel = fake.panels[0];
    assert.equal(panel.viewType, ticker.TICKER_PANEL_VIEW_TYPE);
    assert.equal(panel.title, 'KIS Ticker');
    assert.equal(panel.options.enableScripts, true);
    assert.equal(panel.options.retainContextWhenHidden, undefined);
    assert.deepEqual(
      panel.options.localResourceRoots?.map((uri) => uri.path),
      ['/ext/dist', '/ext/media'],
    );
    panel.webview.messages.fire({ type: 'ready' });
    assert.equal(panel.webview.ofType('init')[0].surface, 'panel');
    feed(snapshot({ quotes: [quote('005930', { last: 80002 })] }));
    assert.equal(panel.webview.ofType('snapshot').length, 1);
    assert.equal(view.webview.ofType('snapshot').length, 1);
    provider.openPanel();
    assert.equal(fake.panels.length, 1);
    assert.equal(panel.revealed, 1);
  });

  it('takes over a panel VS Code restored after a restart, renders it afresh, and closes a second one', () => {
    const restored = new FakePanel(ticker.TICKER_PANEL_VIEW_TYPE, 'KIS Ticker', {});
    provider.restorePanel(restored as unknown as vscode.WebviewPanel);
    assert.equal(restored.webview.options.enableScripts, true);
    assert.deepEqual(
      restored.webview.options.localResourceRoots?.map((uri) => uri.path),
      ['/ext/dist', '/ext/media'],
    );
    assert.match(restored.webview.html, /<script nonce="[A-Za-z0-9+/=]{24}"/);
    restored.webview.messages.fire({ type: 'ready' });
    assert.equal(restored.webview.ofType('init')[0].surface, 'panel');
    feed(snapshot({ quotes: [quote('005930', { last: 80003 })] }));
    assert.equal(restored.webview.ofType('snapshot').length, 1);
    provider.openPanel();
    assert.equal(fake.panels.length, 0, 'the restored panel is the panel: no second one');
    assert.equal(restored.revealed, 1);
    const another = new FakePanel(ticker.TICKER_PANEL_VIEW_TYPE, 'KIS Ticker', {});
    provider.restorePanel(another as unknown as vscode.WebviewPanel);
    assert.equal(another.disposed, true, 'one ticker panel at a time');
    assert.equal(restored.disposed, false);
  });

  it('stops feeding a hidden panel, and opens a new one after the user closed it', async () => {
    provider.openPanel();
    const panel = fake.panels[0];
    panel.webview.messages.fire({ type: 'ready' });
    feed(snapshot({ quotes: [quote('005930', { last: 80004 })] }));
    await panel.webview.lastResult;
    panel.setVisible(false);
    feed(snapshot({ quotes: [quote('005930', { last: 80005 })] }));
    assert.equal(panel.webview.ofType('snapshot').length, 1);
    panel.dispose();
    assert.equal(provider.delivered, 1, 'deliveries of a closed panel still count');
    provider.openPanel();
    assert.equal(fake.panels.length, 2);
  });

  it('select() focuses the unresolved view, and the first init carries the symbol', () => {
    provider.select('000660');
    assert.deepEqual(fake.executed, ['kisMarket.ticker.focus']);
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    assert.equal(view.webview.ofType('init')[0].selected, '000660');
  });

  it('select() reveals a resolved view without taking focus and posts the selection', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    provider.select('000660');
    assert.deepEqual(view.shown, [true]);
    assert.deepEqual(view.webview.ofType('select'), [{ type: 'select', symbol: '000660' }]);
    assert.deepEqual(fake.executed, []);
  });

  it('keeps the view selection when its webview is recreated', () => {
    const first = resolve();
    first.webview.messages.fire({ type: 'ready' });
    first.webview.messages.fire({ type: 'select', symbol: '000660' });
    first.disposal.fire();
    const second = resolve();
    second.webview.messages.fire({ type: 'ready' });
    assert.equal(second.webview.ofType('init')[0].selected, '000660');
  });

  it('forwards watchlist changes with names, and forgets a selection that left the list', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    provider.select('000660');
    state = { ...state, symbols: ['005930'], names: { '005930': '삼성전자' } };
    provider.onWatchlistChanged(['005930']);
    assert.deepEqual(view.webview.ofType('watchlist'), [
      { type: 'watchlist', symbols: ['005930'], names: { '005930': '삼성전자' } },
    ]);
    view.setVisible(false);
    view.setVisible(true);
    const inits = view.webview.ofType('init');
    assert.equal(inits[inits.length - 1].selected, undefined);
  });

  it('posts the colour convention when its setting changes, and ignores other settings', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    fake.configuration.fire({ affectsConfiguration: (section) => section === 'kisMarket.snapshotIntervalMs' });
    fake.settings['colorConvention'] = 'western';
    fake.configuration.fire({ affectsConfiguration: (section) => section === 'kisMarket.colorConvention' });
    fake.settings['colorConvention'] = 'martian';
    fake.configuration.fire({ affectsConfiguration: (section) => section === 'kisMarket.colorConvention' });
    assert.deepEqual(view.webview.ofType('config'), [
      { type: 'config', colorConvention: 'western', extraColumns: false },
      { type: 'config', colorConvention: 'korean', extraColumns: false },
    ]);
  });

  it('survives a host that cannot give its state', () => {
    failState = true;
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    assert.deepEqual(view.webview.ofType('init'), []);
    assert.ok(warnings.some((warning) => warning.includes('no session')));
  });

  it('disposes the panel and every listener, and ignores calls afterwards', () => {
    const view = resolve();
    view.webview.messages.fire({ type: 'ready' });
    provider.openPanel();
    const panel = fake.panels[0];
    provider.dispose();
    assert.equal(panel.disposed, true);
    assert.equal(fake.configuration.listeners.size, 0);
    assert.equal(view.webview.messages.listeners.size, 0);
    assert.equal(view.visibility.listeners.size, 0);
    const before = view.webview.posted.length;
    feed(snapshot({ quotes: [quote('005930', { last: 80006 })] }));
    provider.select('005930');
    provider.openPanel();
    provider.resolveWebviewView(new FakeWebviewView() as unknown as vscode.WebviewView);
    assert.equal(view.webview.posted.length, before);
    assert.equal(fake.panels.length, 1);
    provider.dispose();
  });

  describe('chart history', () => {
    let asked: string[];
    let answers: Map<string, ChartOutcome>;
    let charted: InstanceType<TickerModule['TickerViewProvider']>;

    beforeEach(() => {
      asked = [];
      answers = new Map([['005930 minute', { state: 'ready', bars: [bar('005930', 540), bar('005930', 541)] }]]);
      const host: TickerHost = {
        market: model,
        currentState: () => ({ ...state, extraColumns: true }),
        unsubscribe: () => {},
        chartHistory: async (symbol, view) => {
          asked.push(`${symbol} ${view}`);
          return answers.get(`${symbol} ${view}`) ?? { state: 'unavailable', code: 'REST_DOWN' };
        },
      };
      const log = { warn: (message: string) => warnings.push(message) } as unknown as vscode.LogOutputChannel;
      charted = new ticker.TickerViewProvider({ path: '/ext' } as vscode.Uri, host, log);
    });

    afterEach(() => charted.dispose());

    const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const chartStates = (view: FakeWebviewView): string[] =>
      view.webview.ofType('chartData').map((m) => `${m.symbol} ${m.view} ${m.state}`);

    it('charts the first symbol with its history after init, then the next one selected', async () => {
      const view = new FakeWebviewView();
      charted.resolveWebviewView(view as unknown as vscode.WebviewView);
      view.webview.messages.fire({ type: 'ready' });
      assert.equal(view.webview.ofType('init')[0].extraColumns, true);
      view.webview.messages.fire({ type: 'select', symbol: '005930' });
      await settle();
      assert.deepEqual(asked, ['005930 minute']);
      assert.deepEqual(chartStates(view), ['005930 minute loading', '005930 minute ready']);
      assert.deepEqual(view.webview.ofType('chartData')[1].bars?.time, [540 * 60, 541 * 60]);
      view.webview.messages.fire({ type: 'select', symbol: '000660' });
      await settle();
      assert.deepEqual(chartStates(view).slice(2), ['000660 minute loading', '000660 minute unavailable']);
      assert.ok(warnings.some((w) => w.includes('minute history of 000660 unavailable (REST_DOWN)')));
      assert.equal(charted.chartsUnavailable, 1);
    });

    it('answers the daily toggle to the asking webview only, and re-charts every webview when the source starts', async () => {
      answers.set('005930 daily', { state: 'ready', bars: [bar('005930', 0)] });
      const view = new FakeWebviewView();
      charted.resolveWebviewView(view as unknown as vscode.WebviewView);
      view.webview.messages.fire({ type: 'ready' });
      view.webview.messages.fire({ type: 'select', symbol: '005930' });
      charted.openPanel();
      const panel = fake.panels[0];
      panel.webview.messages.fire({ type: 'ready' });
      panel.webview.messages.fire({ type: 'select', symbol: '005930' });
      await settle();
      const before = view.webview.ofType('chartData').length;
      panel.webview.messages.fire({ type: 'chartView', symbol: '005930', view: 'daily' });
      await settle();
      assert.equal(view.webview.ofType('chartData').length, before, 'the view did not ask for daily candles');
      assert.deepEqual(
        panel.webview
          .ofType('chartData')
          .slice(-2)
          .map((m) => `${m.view} ${m.state}`),
        ['daily loading', 'daily ready'],
      );
      panel.webview.messages.fire({ type: 'chartView', symbol: '035720', view: 'daily' });
      assert.equal(charted.invalidMessages, 1, 'a symbol not on the watchlist is refused');
      asked = [];
      charted.refreshCharts();
      await settle();
      assert.deepEqual(asked, ['005930 minute', '005930 minute']);
      // "Open in Ticker" from a watchlist row charts the symbol with its history too.
      asked = [];
      charted.select('000660');
      await settle();
      assert.deepEqual(asked, ['000660 minute']);
      assert.deepEqual(chartStates(view).slice(-2), ['000660 minute loading', '000660 minute unavailable']);
    });

    it('posts nothing to a hidden webview', async () => {
      const view = new FakeWebviewView();
      charted.resolveWebviewView(view as unknown as vscode.WebviewView);
      view.webview.messages.fire({ type: 'ready' });
      view.setVisible(false);
      charted.refreshCharts();
      await settle();
      view.webview.messages.fire({ type: 'select', symbol: '005930' });
      view.webview.messages.fire({ type: 'chartView', symbol: '005930', view: 'minute' });
      await settle();
      assert.deepEqual(chartStates(view), [], 'nothing while hidden');
      assert.deepEqual(asked, ['005930 minute', '005930 minute'], 'the feed was asked (its cache makes that cheap)');
      view.setVisible(true);
      await settle();
      assert.deepEqual(
        chartStates(view),
        ['005930 minute loading', '005930 minute ready'],
        'shown again: the replay charts it',
      );
    });
  });
});
