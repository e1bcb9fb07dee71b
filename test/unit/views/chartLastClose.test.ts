// The chart's last candle says the price the header and the rows say, on every path that hands bars to a
// ticker webview: a frame's bars, the chart's minute history, and a live minute behind a REST history.
import assert from 'node:assert/strict';
import { MarketModel } from '../../../src/feed/model/readModel';
import { FrameChanges } from '../../../src/views/ticker/tickerFrame';
import { feedTickerHost } from '../../../src/views/ticker/tickerHost';
import type { ChartOutcome } from '../../../src/feed';
import type { Bar, QuoteState } from '../../../src/shared/snapshot';
import { bar, quote } from '../webview/fixtures';

const SYMBOL = '005930';

/** A worker snapshot of one trade of 005930 at `price` in minute `minute`. */
function trade(price: number, minute: number, low = 72_000): { quotes: QuoteState[]; bars: Bar[]; books: [] } {
  return {
    quotes: [quote(SYMBOL, { last: price, trades: 1 })],
    bars: [bar(SYMBOL, minute, { open: 72_000, high: Math.max(72_000, price), low, close: price })],
    books: [],
  };
}

describe('the chart’s last close at the frame’s price', () => {
  it('a frame posts the bars it noted with the last one closing at the frame’s price, not a newer trade', () => {
    const model = new MarketModel();
    const changes = new FrameChanges();
    const first = trade(72_500, 600);
    model.applySnapshot(first);
    changes.note(first);
    const frameQuote = model.quote(SYMBOL);
    // A trade at 72,600 arrives after the frame was taken and before the ticker reads the bars.
    const newer = trade(72_600, 600);
    model.applySnapshot(newer);
    changes.note(newer);
    const update = changes.take([SYMBOL], {
      quote: () => frameQuote,
      book: () => undefined,
      barAt: (symbol, time) => model.barAt(symbol, time),
      lastBar: (symbol) => model.lastBar(symbol),
    });
    assert.equal(update?.quotes[0]?.last, 72_500);
    assert.equal(update?.bars.at(-1)?.close, 72_500, 'the last candle closes at the header’s 72,500');
    assert.equal(update?.bars.at(-1)?.high, 72_600, 'its high keeps what traded');
  });

  it('only the newest noted bar of a symbol is clamped (a finished minute keeps its close)', () => {
    const model = new MarketModel();
    const changes = new FrameChanges();
    for (const snapshot of [trade(72_300, 600), trade(72_400, 601)]) {
      model.applySnapshot(snapshot);
      changes.note(snapshot);
    }
    const update = changes.take([SYMBOL], {
      quote: () => quote(SYMBOL, { last: 72_500 }),
      book: () => undefined,
      barAt: (symbol, time) => model.barAt(symbol, time),
      lastBar: (symbol) => model.lastBar(symbol),
    });
    assert.deepEqual(
      update?.bars.map((b) => [b.time, b.close]),
      [
        [36_000, 72_300],
        [36_060, 72_500],
      ],
    );
  });

  it('a quote without a trade (REST’s, newer than the last trade) posts the last candle at its price', () => {
    const model = new MarketModel();
    const changes = new FrameChanges();
    const traded = trade(72_600, 600);
    model.applySnapshot(traded);
    changes.note(traded);
    const market = {
      quote: (symbol: string) => model.quote(symbol),
      book: () => undefined,
      barAt: (symbol: string, time: number) => model.barAt(symbol, time),
      lastBar: (symbol: string) => model.lastBar(symbol),
    };
    changes.take([SYMBOL], market);
    // A REST price asked after that trade (a reconnect's one-shot): no worker snapshot announces a bar.
    assert.ok(model.applyRestQuote(quote(SYMBOL, { last: 72_500, lastUpdateAt: 1_795_000_000_001, trades: 0 })));
    const update = changes.take([SYMBOL], market);
    assert.equal(update?.quotes[0]?.last, 72_500);
    assert.deepEqual(
      update?.bars.map((b) => [b.time, b.close]),
      [[36_000, 72_500]],
      'the header’s REST price is the last candle’s close',
    );
  });

  it('the chart’s minute history closes at the frame’s price; the daily candles are REST’s own', async () => {
    const model = new MarketModel();
    model.applySnapshot(trade(72_600, 600));
    const daily: Bar[] = [bar(SYMBOL, 1, { close: 70_000 })];
    const feedLike = {
      model,
      symbols: [SYMBOL],
      chartHistory: (symbol: string, view: string): Promise<ChartOutcome> =>
        Promise.resolve({ state: 'ready', bars: view === 'minute' ? model.bars(symbol) : daily }),
    } as unknown as import('../../../src/feed').MarketFeed;
    const config = { current: { colorConvention: 'korean' } } as unknown as import('../../../src/config').Config;
    const frame = { quote: () => quote(SYMBOL, { last: 72_500 }), book: () => undefined };
    const host = feedTickerHost(feedLike, config, { current: frame });
    const minute = await host.chartHistory!(SYMBOL, 'minute');
    assert.equal(minute.state === 'ready' ? minute.bars.at(-1)?.close : undefined, 72_500);
    const days = await host.chartHistory!(SYMBOL, 'daily');
    assert.equal(days.state === 'ready' ? days.bars.at(-1)?.close : undefined, 70_000);
  });

  it('a live minute behind a REST history ahead of the stream is the last candle, with the live close', () => {
    const model = new MarketModel();
    // REST answered up to 10:01 (its clock ahead); the stream's current minute is 10:00.
    model.applyHistory(SYMBOL, [
      bar(SYMBOL, 599, { close: 71_900 }),
      bar(SYMBOL, 600, { close: 72_000 }),
      bar(SYMBOL, 601, { close: 72_600 }),
    ]);
    model.applySnapshot(trade(72_500, 600));
    const last = model.bars(SYMBOL).at(-1);
    assert.deepEqual([last?.time, last?.close], [36_000, 72_500]);
    assert.equal(model.barAt(SYMBOL, 36_060), undefined, 'the REST minute ahead of the stream is gone');
  });

  it('a live bar older than a newer live bar is still a late update, dropped', () => {
    const model = new MarketModel();
    model.applyHistory(SYMBOL, [bar(SYMBOL, 599, { close: 71_900 })]);
    model.applySnapshot(trade(72_500, 601));
    model.applySnapshot(trade(72_100, 600));
    assert.deepEqual(
      model.bars(SYMBOL).map((b) => b.time),
      [35_940, 36_060],
    );
  });
});
