// One price per instant in the list views (src/views/quoteFrame.ts) and tooltips that survive streaming
// (src/views/watchlist/watchlist.ts), under the vscode stand-in: the watchlist row, the group row and the portfolio
// status item read one frame of the read model; a row is redrawn only when its text changed; its tooltip
// is made when a hover opens, from the current frame, and the hovered row holds still meanwhile.
import { vscodeFake, FakeLogChannel, Memento, MarkdownString } from '../support/vscode';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { until } from '../support/extensionHost';
import { formatMessage } from '../../../src/common/translate';
import { Logger } from '../../../src/common/logger';
import { MarketModel } from '../../../src/feed/model/readModel';
import type { QuoteState } from '../../../src/shared/snapshot';
import { QuoteFrames } from '../../../src/views/quoteFrame';
import { HOVER_QUIET_MS, WatchlistTreeProvider } from '../../../src/views/watchlist/watchlist';
import type { RowContext } from '../../../src/views/watchlist/watchlistModel';
import { PortfolioState } from '../../../src/views/portfolio/portfolioState';
import { PortfolioView } from '../../../src/views/portfolio/portfolioView';
import { groupRowText } from '../../../src/views/watchlist/watchlistSort';
import type { MarketFeed } from '../../../src/feed';

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);

function quote(symbol: string, over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol,
    last: 71500,
    change: 500,
    rate: 0.7,
    sign: '2',
    volume: 1000,
    value: 1,
    open: 71000,
    high: 72000,
    low: 70500,
    vwap: 0,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '093015',
    businessDate: '20261125',
    lastUpdateAt: NOW,
    halted: false,
    trades: 1,
    ...over,
  };
}

const rowContext = (): RowContext => ({
  now: NOW,
  marketOpen: true,
  staleAfterMs: 60_000,
  convention: 'korean',
  language: 'en',
  t: formatMessage,
});

describe('views: one frame for every list view, and tooltips while streaming', function () {
  this.timeout(20_000);
  const log = new Logger(new FakeLogChannel('test'));
  let model: MarketModel;
  let frames: QuoteFrames;
  let tree: WatchlistTreeProvider;
  let disposables: Array<{ dispose(): unknown }> = [];
  /** The watchlist's clock (hover holds), stepped by the tests. */
  let clock = NOW;

  /** The feed delivers a quote into the read model (no frame is taken by itself: the interval is long). */
  const deliver = (q: QuoteState): void => model.applySnapshot({ quotes: [q], bars: [], books: [] });

  beforeEach(() => {
    vscodeFake.reset();
    model = new MarketModel();
    frames = new QuoteFrames(model, () => ['005930', '000660'], log, 3_600_000);
    clock = NOW;
    tree = new WatchlistTreeProvider(
      rowContext,
      { quote: (s) => frames.current.quote(s) },
      log,
      undefined,
      () => clock,
    );
    disposables = [frames, tree, frames.onFrame(({ changed }) => tree.applyFrame(changed))];
  });

  afterEach(() => {
    for (const d of disposables.reverse()) d.dispose();
    vscodeFake.reset();
  });

  it('shows the same price in the row, the group row and the portfolio item until the next frame (10 @ 70,000)', async () => {
    const context = vscodeFake.context(os.tmpdir());
    const state = new PortfolioState(new Memento());
    disposables.push(state);
    tree.setSymbols(['005930']);
    const feed = { onSnapshot: () => ({ dispose: () => undefined }) } as unknown as MarketFeed;
    const ticker = { setPrivacy: () => undefined, privacyShown: false };
    PortfolioView.register(context as never, feed, frames, state, tree, ticker, log);
    await state.setHolding('005930', { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' });
    deliver(quote('005930', { last: 71500 }));
    frames.takeNow(['005930']);
    // The market moves on; the views show the frame they were drawn from, all the same one.
    deliver(quote('005930', { last: 73800, change: 2800, rate: 3.94 }));
    const item = vscodeFake.statusItems.get('kisMarket.portfolio')!;
    const row = tree.getTreeItem('005930');
    const group = groupRowText(
      'Mine',
      ['005930'],
      state.holdings,
      (s) => frames.current.quote(s),
      false,
      formatMessage,
    );
    assert.equal(item.text, '$(briefcase) +15,000 KRW (+2.14%)');
    assert.equal(String(row.label), 'Samsung Elec  71,500  +0.70%');
    assert.match(String(row.description), /P&L \+2\.14%$/);
    assert.equal(group.description, '1 · +15,000 KRW (+2.14%)');
    frames.takeNow(['005930']);
    assert.equal(item.text, '$(briefcase) +38,000 KRW (+5.43%)');
    assert.match(String(tree.getTreeItem('005930').description), /P&L \+5\.43%$/);
    assert.equal(
      groupRowText('Mine', ['005930'], state.holdings, (s) => frames.current.quote(s), false, formatMessage)
        .description,
      '1 · +38,000 KRW (+5.43%)',
    );
    context.disposeAll();
  });

  it('takes a frame that was waiting when kisMarket.views.refreshMs changes, so no quote waits for the old interval', () => {
    const seen: string[][] = [];
    disposables.push(frames.onFrame(({ changed }) => seen.push([...changed])));
    deliver(quote('005930', { last: 71600 }));
    frames.arrived(['005930']);
    assert.deepEqual(seen, [], 'an hour-long interval: nothing yet');
    frames.setInterval(1000);
    assert.deepEqual(seen, [['005930']]);
    assert.equal(frames.current.quote('005930')?.last, 71600);
  });

  it('redraws the rows a frame changed with one tree event (VS Code delays a second event close behind by 200 ms)', () => {
    const view = vscodeFake.trees.get('kisMarket.watchlist')!;
    tree.setSymbols(['005930', '000660']);
    deliver(quote('005930'));
    deliver(quote('000660', { last: 198000 }));
    frames.takeNow(['005930', '000660']);
    tree.getTreeItem('005930');
    tree.getTreeItem('000660');
    const before = view.events.length;
    deliver(quote('005930', { last: 71600, change: 600, rate: 0.84 }));
    deliver(quote('000660', { last: 199000 }));
    frames.takeNow(['005930', '000660']);
    assert.deepEqual(view.events.slice(before), [['005930', '000660']]);
  });

  it('redraws only rows whose text changed, makes a tooltip when a hover opens, and holds the hovered row', async () => {
    const view = vscodeFake.trees.get('kisMarket.watchlist')!;
    tree.setSymbols(['005930', '000660']);
    deliver(quote('005930'));
    deliver(quote('000660', { last: 198000 }));
    frames.takeNow(['005930', '000660']);
    // VS Code draws both rows (it asks for each item after a change).
    tree.getTreeItem('005930');
    tree.getTreeItem('000660');
    const before = view.changes.length;

    deliver(quote('005930', { volume: 2000 }));
    frames.takeNow(['005930']);
    assert.deepEqual(
      view.changes.slice(before),
      [],
      'a new volume does not change the row: no redraw, an open hover stays',
    );

    deliver(quote('005930', { last: 71600, change: 600, rate: 0.84 }));
    frames.takeNow(['005930']);
    assert.deepEqual(view.changes.slice(before), ['005930'], 'a new price redraws that row alone');
    const drawn = tree.getTreeItem('005930');
    assert.equal(drawn.tooltip, undefined, 'no tooltip is built with the row');

    // A hover opens on 005930: its tooltip is made now, from the current frame.
    const resolved = tree.resolveTreeItem(drawn as never, '005930');
    assert.ok(resolved.tooltip instanceof MarkdownString);
    assert.match((resolved.tooltip as MarkdownString).value, /\| Last \| 71,600 \(\+600, \+0\.84%\) \|/);

    // Right after a hover opened no row is redrawn (the pointer moving on to the next row must get its
    // tooltip too); then the hovered row holds still while the other rows go on.
    const hovered = view.changes.length;
    deliver(quote('005930', { last: 71700, change: 700, rate: 0.98 }));
    deliver(quote('000660', { last: 199000 }));
    frames.takeNow(['005930', '000660']);
    assert.deepEqual(view.changes.slice(hovered), [], 'no redraw right after a hover opened');
    clock += HOVER_QUIET_MS;
    frames.takeNow([]);
    assert.deepEqual(view.changes.slice(hovered), ['000660']);
    // A tooltip opened now shows the frame's price, not the held row's.
    assert.match(
      (tree.resolveTreeItem(tree.getTreeItem('000660') as never, '000660').tooltip as MarkdownString).value,
      /199,000/,
    );
    // The hover moved to 000660: once the rows may move again, 005930 is released and redrawn with its current price.
    clock += HOVER_QUIET_MS;
    const treeChanged = (listener: () => unknown) => tree.onDidChangeTreeData(listener);
    await until(() => view.changes.slice(hovered + 1).includes('005930'), treeChanged, 'the released row to redraw');
    assert.equal(String(tree.getTreeItem('005930').label), 'Samsung Elec  71,700  +0.98%');
  });
});
