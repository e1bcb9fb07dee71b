// The ladder (호가창) model: what the ticker draws of a book, pure. Levels in trader's order, sizes and their
// bars, the last trade's level, totals and imbalance, the auction's expected price, the sizes that changed,
// and odd books (crossed, fewer levels, zero sizes) drawn as sent and marked.
import * as assert from 'node:assert/strict';
import {
  BookAnomalies,
  bookOddities,
  formatImbalance,
  imbalanceOf,
  isCrossed,
  ladderView,
} from '../../../src/webview/ladder';
import type { BookLevel, OrderBookTop } from '../../../src/shared/snapshot';
import { quote } from './fixtures';

/** A ten-level KRX book around 73,000 (tick 100): asks 73,100 up, bids 73,000 down; size 100 × level. */
function tenLevels(overrides: Partial<OrderBookTop> = {}): OrderBookTop {
  const side = (from: number, step: number): BookLevel[] =>
    Array.from({ length: 10 }, (_, i) => ({ price: from + step * i, size: 100 * (i + 1) }));
  return {
    symbol: '005930',
    time: '100000',
    asks: side(73100, 100),
    bids: side(73000, -100),
    totalAskSize: 5500,
    totalBidSize: 16500,
    venue: 'KRX',
    ...overrides,
  };
}

const last73000 = quote('005930', { last: 73000, change: 500 });

describe('webview: the ladder model', () => {
  it('puts ten asks above ten bids, prices falling from top to bottom, the best ask and best bid in the middle', () => {
    const view = ladderView(tenLevels(), last73000, 10);
    const prices = [...view.asks, ...view.bids].map((l) => l.price);
    assert.equal(view.asks.length, 10);
    assert.equal(view.bids.length, 10);
    assert.deepEqual(prices.slice(0, 3), [74000, 73900, 73800]);
    assert.deepEqual(prices.slice(8, 12), [73200, 73100, 73000, 72900]);
    assert.equal(prices.at(-1), 72100);
    for (let i = 1; i < prices.length; i++) assert.ok(prices[i] < prices[i - 1], `row ${i} below row ${i - 1}`);
    assert.deepEqual(
      view.asks.map((l) => l.level),
      [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    );
    assert.equal(view.asks[9].priceText, '73,100');
    assert.equal(view.venue, 'KRX');
  });

  it('gives each level its size and a bar as a share of the largest size shown', () => {
    const view = ladderView(tenLevels(), last73000, 10);
    const bestBid = view.bids[0];
    assert.equal(bestBid.size, 100);
    assert.equal(bestBid.sizeText, '100');
    assert.equal(bestBid.share, 0.1);
    assert.equal(view.bids[9].share, 1);
    assert.equal(view.asks[0].share, 1, 'the farthest ask holds 1,000 too');
  });

  it('draws five levels a side in the sidebar, the bars scaled to what is shown', () => {
    const view = ladderView(tenLevels(), last73000, 5);
    assert.deepEqual(
      view.asks.map((l) => l.price),
      [73500, 73400, 73300, 73200, 73100],
    );
    assert.deepEqual(
      view.bids.map((l) => l.price),
      [73000, 72900, 72800, 72700, 72600],
    );
    assert.equal(view.bids[4].share, 1, '500 is the largest of the five');
    assert.equal(view.fewer, false);
  });

  it('marks the level the last trade printed at, and colours prices against the previous close', () => {
    const view = ladderView(tenLevels(), last73000, 10);
    assert.deepEqual(
      [...view.asks, ...view.bids].filter((l) => l.last).map((l) => l.price),
      [73000],
    );
    // Previous close 72,500 (73,000 − 500).
    assert.equal(view.bids.find((l) => l.price === 72500)?.direction, 'flat');
    assert.equal(view.bids.find((l) => l.price === 72400)?.direction, 'down');
    assert.equal(view.asks.at(-1)?.direction, 'up');
  });

  it('puts a last trade that no level holds (inside the spread) between the asks and the bids', () => {
    const inside = quote('005930', { last: 73050, change: 500 });
    assert.deepEqual(ladderView(tenLevels(), inside, 10).lastBetween, { price: 73050, priceText: '73,050' });
    assert.equal(ladderView(tenLevels(), last73000, 10).lastBetween, undefined, 'at a level: that level is marked');
    assert.equal(ladderView(tenLevels(), undefined, 10).lastBetween, undefined, 'no trade yet');
  });

  it('totals the resting sizes and says their imbalance: bids minus asks over both, in percent', () => {
    const view = ladderView(tenLevels(), last73000, 10);
    assert.equal(view.totalAskText, '5.5K');
    assert.equal(view.totalBidText, '16.5K');
    // (16,500 − 5,500) / 22,000 = +50 %.
    assert.equal(view.imbalance, 50);
    assert.equal(view.imbalanceText, '+50.0%');
    assert.equal(imbalanceOf(1, 3), -50);
    assert.equal(imbalanceOf(0, 0), undefined);
    assert.equal(imbalanceOf(Number.NaN, 1), undefined);
    assert.equal(formatImbalance(-4), '-4.0%');
    assert.equal(formatImbalance(0), '0.0%');
  });

  it('sums the levels when the book has no totals', () => {
    const view = ladderView(tenLevels({ totalAskSize: 0, totalBidSize: 0 }), last73000, 10);
    assert.equal(view.totalAsk, 5500);
    assert.equal(view.totalBid, 5500);
    assert.equal(view.imbalance, 0);
  });

  it('flashes a price whose size changed, more or less, and not a price that is new at its level', () => {
    const before = tenLevels();
    const after = tenLevels();
    after.bids[0] = { price: 73000, size: 180 };
    after.asks[0] = { price: 73100, size: 20 };
    after.asks[9] = { price: 74100, size: 999 };
    const view = ladderView(after, last73000, 10, before);
    assert.equal(view.bids[0].flash, 'more');
    assert.equal(view.asks[9].flash, 'less', 'the best ask sits at the bottom of the asks');
    assert.equal(view.asks[0].flash, undefined, '74,100 is a new price, not a size change');
    assert.equal(view.bids[1].flash, undefined);
    assert.equal(ladderView(after, last73000, 10).bids[0].flash, undefined, 'no previous book, no flash');
  });

  it('draws a crossed book as sent (bid at or above ask), marks it, and counts it', () => {
    const crossed = tenLevels();
    crossed.bids[0] = { price: 73100, size: 50 };
    const view = ladderView(crossed, last73000, 10);
    assert.equal(view.crossed, true);
    assert.equal(view.bids[0].price, 73100, 'not repaired');
    assert.equal(view.asks.at(-1)?.price, 73100);
    assert.equal(isCrossed(tenLevels()), false);
    assert.equal(isCrossed({ asks: [{ price: 0, size: 0 }], bids: [{ price: 5, size: 1 }] }), false, 'no ask');
    const anomalies = new BookAnomalies();
    anomalies.count(view);
    anomalies.count(ladderView(tenLevels(), last73000, 10));
    assert.equal(anomalies.crossed, 1);
  });

  it('draws a book with fewer levels as empty rows, marks it, and counts zero sizes', () => {
    const short: OrderBookTop = {
      symbol: 'DNASAAPL',
      time: '231912',
      asks: [{ price: 169.79, size: 5 }],
      bids: [
        { price: 169.77, size: 0 },
        { price: 0, size: 0 },
      ],
      totalAskSize: 0,
      totalBidSize: 0,
      venue: 'US',
    };
    const view = ladderView(short, undefined, 10);
    assert.equal(view.asks.length, 10);
    assert.equal(view.bids.length, 10);
    assert.equal(view.fewer, true);
    assert.equal(view.asks.filter((l) => !l.empty).length, 1);
    assert.equal(view.asks[9].priceText, '$169.79');
    assert.equal(view.bids[1].empty, true);
    assert.equal(view.bids[1].priceText, '');
    assert.equal(view.bids[0].sizeText, '0');
    assert.equal(view.zeroSizes, 1);
    assert.equal(view.imbalance, -100, 'all resting size is on the ask');
    assert.deepEqual(bookOddities(short, 1), { crossed: false, fewer: false, zeroSizes: 1 });
    // Either side short is short: a limit-up book has no asks above the limit.
    const noAsksAbove = tenLevels({ asks: tenLevels().asks.slice(0, 3) });
    assert.equal(bookOddities(noAsksAbove, 10).fewer, true);
    assert.equal(bookOddities(tenLevels({ bids: tenLevels().bids.slice(0, 9) }), 10).fewer, true);
    assert.equal(bookOddities(tenLevels(), 10).fewer, false);
    const anomalies = new BookAnomalies();
    anomalies.count(view);
    assert.deepEqual([anomalies.fewer, anomalies.zeroSizes, anomalies.crossed], [1, 1, 0]);
  });

  it('shows the auction’s expected price and quantity in the middle', () => {
    const auction = quote('005930', {
      last: 0,
      expected: { price: 73200, change: 700, rate: 0.97, sign: '2', volume: 12345, time: '085500', exchange: 'KRX' },
    });
    const view = ladderView(tenLevels(), auction, 10);
    assert.deepEqual(view.expected, { price: 73200, priceText: '73,200', volumeText: '12.3K' });
    assert.equal(
      [...view.asks, ...view.bids].some((l) => l.last),
      false,
      'no trade yet: no level marked',
    );
    assert.equal(ladderView(tenLevels(), last73000, 10).expected, undefined);
  });
});
