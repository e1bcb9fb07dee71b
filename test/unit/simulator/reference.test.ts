import * as assert from 'node:assert/strict';
import { parseFrame, readOrderBook, splitRecords } from '../../../src/kis';
import { isOnTick, priceLimits } from '../../../src/simulator';
import { tickDown, tickUp } from '../../../src/simulator/market/krxRules';
import { DaySim } from '../../../src/simulator/market/daySim';
import { MarketModels, type SymbolVenues } from '../../../src/simulator/market/models';
import { mulberry32 } from '../../../src/simulator/market/prng';
import { ReferencePrice, type PrintVenue } from '../../../src/simulator/market/reference';

const TIME = '100000';
const DATE = '20261207';

/** KRX ticks between two prices. */
function ticksBetween(a: number, b: number): number {
  let low = Math.min(a, b);
  let n = 0;
  while (low < Math.max(a, b)) {
    low = tickUp(low);
    n++;
  }
  return n;
}

/** A walk with no venue open (nothing bounds it) unless `open` lists some. */
function reference(
  prevClose = 71_900,
  seed = 3,
  volatilityTicks = 1,
  open: readonly PrintVenue[] = [],
): ReferencePrice {
  const { lower, upper } = priceLimits(prevClose);
  const r = new ReferencePrice(prevClose, lower, upper, mulberry32(seed), volatilityTicks);
  for (const venue of open) r.open(venue);
  return r;
}

function venues(code = '005930', historyMinutes = 0): SymbolVenues {
  return new MarketModels({
    seed: 5,
    volatilityTicks: 1,
    tradeWidth: 46,
    bookWidth: 59,
    historyMinutes,
    now: () => Date.parse('2026-12-07T05:00:00+09:00'),
  }).venues(code);
}

/** Best bid and ask of a book record of `width` fields. */
function book(record: string, trId = 'H0STASP0'): { bid: number; ask: number } {
  const frame = parseFrame(`0|${trId}|001|${record}`);
  const b = readOrderBook(splitRecords(frame), 0, 10, frame.width);
  return { bid: b.bids[0].price, ask: b.asks[0].price };
}

describe('simulator reference price: one walk per symbol', () => {
  it('moves like a market: mostly no move, else one tick, rarely two, never more (default volatility)', () => {
    const r = reference();
    const moves = [0, 0, 0, 0];
    let last = r.price;
    for (let i = 0; i < 20_000; i++) {
      const { price } = r.print('KRX');
      assert.ok(isOnTick(price) && price >= r.lower && price <= r.upper);
      const ticks = ticksBetween(last, price);
      moves[Math.min(3, ticks)]++;
      last = price;
    }
    assert.equal(moves[3], 0, 'no print moves more than 2 ticks');
    assert.ok(moves[0] / 20_000 >= 0.7, `at least 70 % of prints do not move (${moves[0]})`);
    assert.ok(moves[2] / 20_000 <= 0.01, `at most 1 % move two ticks (${moves[2]})`);
    assert.ok(moves[1] > moves[2] && moves[2] > 0, 'one-tick moves are common, two-tick ones rare but possible');
  });

  it('keeps KRX and NXT within 2 ticks of each other and of the reference while both are open, whichever venue prints', () => {
    const r = reference(198_000, 11, 1, ['KRX', 'NXT']);
    const rng = mulberry32(99);
    const last: Partial<Record<PrintVenue, number>> = {};
    for (let i = 0; i < 20_000; i++) {
      const venue: PrintVenue = rng.next() < 0.5 ? 'KRX' : 'NXT';
      const { price } = r.print(venue);
      last[venue] = price;
      assert.ok(
        ticksBetween(price, r.price) <= 2,
        `a ${venue} print within ±2 ticks of the reference (${price} vs ${r.price})`,
      );
      if (last.KRX !== undefined && last.NXT !== undefined)
        assert.ok(ticksBetween(last.KRX, last.NXT) <= 2, `KRX ${last.KRX} and NXT ${last.NXT} within 2 ticks`);
    }
  });

  it('a venue nobody holds open bounds nothing: the other venue moves on', () => {
    const r = reference(71_900, 7, 1, ['KRX']);
    const nxt = r.print('NXT').price;
    let furthest = 0;
    for (let i = 0; i < 5000; i++) furthest = Math.max(furthest, ticksBetween(r.print('KRX').price, nxt));
    assert.ok(furthest > 2, `KRX walked away from an NXT nobody streams (${furthest} ticks)`);
  });

  it('an open venue bounds the walk however long the other prints alone, and is let go when closed', () => {
    const r = reference(71_900, 7, 1, ['KRX', 'NXT']);
    const nxt = r.print('NXT').price;
    for (let i = 0; i < 5000; i++) {
      const krx = r.print('KRX').price;
      assert.ok(
        ticksBetween(krx, nxt) <= 2,
        `KRX ${krx} within 2 ticks of the open NXT's last print ${nxt} after ${i + 1} KRX prints`,
      );
    }
    r.close('NXT');
    assert.equal(r.isOpen('NXT'), false);
    let furthest = 0;
    for (let i = 0; i < 5000; i++) furthest = Math.max(furthest, ticksBetween(r.print('KRX').price, nxt));
    assert.ok(furthest > 2, `closed, NXT no longer holds KRX (${furthest} ticks)`);
  });

  it('a venue opened again forgets its stale prints: the walk does not snap back, its next print comes near the reference', () => {
    const r = reference(71_900, 7, 1, ['KRX']);
    const stale = r.print('NXT').price;
    for (let i = 0; i < 20_000 && ticksBetween(r.price, stale) < 6; i++) r.print('KRX');
    assert.ok(ticksBetween(r.price, stale) >= 6, `KRX walked away from the closed NXT (${r.price} vs ${stale})`);
    const away = r.price;
    r.open('NXT');
    const krx = r.print('KRX').price;
    assert.ok(ticksBetween(krx, away) <= 2, `KRX continues from ${away} (got ${krx}), not from NXT's stale ${stale}`);
    const nxt = r.print('NXT').price;
    assert.ok(ticksBetween(nxt, krx) <= 2, `NXT's next print ${nxt} comes within 2 ticks of KRX ${krx}`);
  });

  it('steps of up to volatilityTicks for wild walks, inside the band', () => {
    const r = reference(71_900, 1, 400);
    let biggest = 0;
    let last = r.price;
    for (let i = 0; i < 3000; i++) {
      const { price } = r.print('KRX');
      assert.ok(price >= r.lower && price <= r.upper);
      biggest = Math.max(biggest, ticksBetween(last, price));
      last = price;
    }
    assert.ok(biggest > 2);
  });

  it('drift() moves the quotes without a print, within a tick of the last print of each open venue', () => {
    const r = reference(71_900, 5, 1, ['KRX', 'NXT']);
    const krx = r.print('KRX').price;
    const nxtRef = r.price;
    r.print('NXT');
    const nxt = r.price;
    for (let i = 0; i < 2000; i++) {
      r.drift();
      assert.ok(
        ticksBetween(r.price, krx) <= 1 && ticksBetween(r.price, nxt) <= 1,
        `${r.price} within a tick of ${krx} and ${nxtRef}`,
      );
    }
    const free = reference(71_900, 5);
    for (let i = 0; i < 2000; i++) free.drift();
    assert.notEqual(free.price, 71_900, 'with no venue open the quotes drift freely');
  });
});

describe('simulator venues: KRX, NXT and the unified tape of one symbol', () => {
  it('the unified tape takes every trade of both venues: its cumulative volume and value are their sums', () => {
    const v = venues('000660');
    for (let i = 0; i < 500; i++) {
      if (i % 3 === 2) v.nxt.nextTrade(TIME, DATE);
      else v.krx.nextTrade(TIME, DATE);
      if (i % 7 === 0) v.nxt.nextUnifiedTrade(TIME, DATE);
      assert.equal(v.unified.cumVolume, v.krx.cumVolume + v.nxt.cumVolume);
      assert.equal(v.unified.cumValue, v.krx.cumValue + v.nxt.cumValue);
      assert.equal(v.unified.trades, v.krx.trades + v.nxt.trades);
    }
  });

  it('KRX and NXT stay within 2 ticks while both are open, whatever batches the pump sends them in', () => {
    // A pump sends each stream's due records in a row: a venue feed's batch, the other's, then the
    // unified feed's (alternating venues). A loaded machine makes the batches long (25 at 100/s); a
    // bound that lapsed after a count of steps let 25 + 25 prints of one side walk off (gap 3–4).
    for (const batch of [1, 7, 25, 100]) {
      const v = venues('005930');
      v.krx.reference.open('KRX');
      v.krx.reference.open('NXT');
      const feedLast: Partial<Record<PrintVenue, number>> = {};
      const anyLast: Partial<Record<PrintVenue, number>> = {};
      let worst = 0;
      let worstAt = -1;
      let prints = 0;
      const check = (venue: PrintVenue, price: number, onFeed: boolean): void => {
        anyLast[venue] = price;
        if (onFeed) feedLast[venue] = price;
        const other: PrintVenue = venue === 'KRX' ? 'NXT' : 'KRX';
        prints++;
        for (const last of [feedLast[other], anyLast[other]]) {
          const gap = last === undefined ? 0 : ticksBetween(price, last);
          if (gap > worst) [worst, worstAt] = [gap, prints];
        }
      };
      for (let pump = 0; pump < 400; pump++) {
        for (let i = 0; i < batch; i++) check('KRX', (v.krx.nextTrade(TIME, DATE), v.krx.price), true);
        for (let i = 0; i < batch; i++) check('NXT', (v.nxt.nextTrade(TIME, DATE), v.nxt.price), true);
        for (let i = 0; i < batch; i++) {
          const model = i % 2 === 0 ? v.krx : v.nxt;
          model.nextUnifiedTrade(TIME, DATE);
          check(model.venue, v.unified.price, false);
        }
      }
      assert.ok(
        worst <= 2,
        `batches of ${batch}: each print within 2 ticks of the other venue's last prints (worst ${worst}, at print ${worstAt})`,
      );
    }
  });

  it('the venues a trade feed prints, which the pump holds open: none out of phase, the unified feed only those trading', () => {
    const models = new MarketModels({
      seed: 5,
      volatilityTicks: 1,
      tradeWidth: 46,
      bookWidth: 59,
      historyMinutes: 0,
      now: () => 0,
    });
    const day = new DaySim((code) => models.venues(code), 5, true);
    const at = (hhmm: string): number => Date.parse(`2026-12-07T${hhmm}:00+09:00`);
    assert.deepEqual(day.printVenues('H0UNCNT0', '005930', at('10:00')), ['KRX', 'NXT'], 'regular hours: both trade');
    assert.deepEqual(day.printVenues('H0UNCNT0', '005930', at('08:10')), ['NXT'], 'NXT pre-market: only NXT');
    assert.deepEqual(day.printVenues('H0STCNT0', '005930', at('10:00')), ['KRX']);
    assert.deepEqual(day.printVenues('H0NXCNT0', '005930', at('10:00')), ['NXT']);
    assert.deepEqual(day.printVenues('H0STCNT0', '005930', at('08:10')), [], 'KRX trades nothing before its open');
    assert.deepEqual(day.printVenues('H0STASP0', '005930', at('10:00')), [], 'a book prints no trade');
    day.startVi('005930', 'KRX', at('10:00'));
    assert.deepEqual(day.printVenues('H0NXCNT0', '005930', at('10:01')), ['NXT'], 'NXT trades through a KRX VI');
    assert.deepEqual(day.printVenues('H0STCNT0', '005930', at('10:01')), [], 'no KRX trade in its VI');
    const demo = new DaySim((code) => models.venues(code), 5, false);
    assert.deepEqual(
      demo.printVenues('H0UNCNT0', '005930', at('03:00')),
      ['KRX', 'NXT'],
      'the demo trades both at any hour',
    );
  });

  it("every book brackets its venue's last trade (best bid ≤ last ≤ best ask, ± one tick)", () => {
    const v = venues('035720');
    const rng = mulberry32(4);
    for (let i = 0; i < 3000; i++) {
      const venue = rng.next() < 0.5 ? v.krx : v.nxt;
      if (rng.next() < 0.3) venue.nextUnifiedTrade(TIME, DATE);
      else venue.nextTrade(TIME, DATE);
      for (const [name, model] of [
        ['KRX', v.krx],
        ['NXT', v.nxt],
        ['unified', v.unified],
      ] as const) {
        if (model.trades === 0) continue;
        const { bid, ask } = book(model.nextBook(TIME));
        assert.ok(bid === 0 || tickDown(bid) <= model.price, `${name}: bid ${bid} − 1 tick ≤ last ${model.price}`);
        assert.ok(ask === 0 || model.price <= tickUp(ask), `${name}: last ${model.price} ≤ ask ${ask} + 1 tick`);
        assert.ok(bid === 0 || ask === 0 || bid < ask, `${name}: bid ${bid} < ask ${ask}`);
      }
    }
  });

  it('a played history gives the demo a day: minute bars since its open, joined to the live trades', () => {
    const v = venues('005930', 30);
    const bars = v.krx.minuteBars;
    assert.equal(bars.length, 30, 'one bar a minute, 04:30–04:59');
    assert.equal(bars[0].minute, '0430');
    assert.equal(bars[29].minute, '0459');
    assert.equal(v.krx.open, bars[0].open);
    assert.equal(
      v.krx.cumVolume,
      bars.reduce((s, b) => s + b.volume, 0),
    );
    assert.ok(v.unified.cumVolume > v.krx.cumVolume, 'NXT traded in the history too');
    const before = v.krx.price;
    v.krx.nextTrade('050000', DATE);
    assert.ok(ticksBetween(before, v.krx.price) <= 2, "the live walk continues from the history's last price");
    assert.equal(v.krx.minuteBars.at(-1)?.minute, '0500');
  });
});
