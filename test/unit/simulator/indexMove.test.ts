// An index of the simulator moves like an index: its level is its members' weighted change plus the
// market's shared move (src/simulator/intlSim.ts), so a session ranges about 0.5–1.5 % while each stock
// walks on its own; the stream and REST give one level at one instant, and a reconnect continues the day.
import * as assert from 'node:assert/strict';
import { marketMove } from '../../../src/simulator/market/intlSim';
import { SimMarket } from '../../../src/simulator/market/simMarket';
import { resolveOptions } from '../../../src/simulator/options';

/** 09:00 KST on a Monday (00:00 UTC), and the close at 15:30 KST. */
const OPEN = Date.UTC(2026, 10, 23, 0, 0, 0);
const CLOSE = OPEN + (6 * 60 + 30) * 60_000;

const rangePercent = (levels: readonly number[]): number =>
  ((Math.max(...levels) - Math.min(...levels)) / levels[0]) * 100;

describe('simulator: an index moves like an index', () => {
  it('ranges 0.5–2.5 % over a session for KOSPI and KOSDAQ on several days, while its members walk on their own', () => {
    for (const day of [0, 1, 2, 3]) {
      let now = OPEN + day * 86_400_000;
      const market = new SimMarket(resolveOptions({ seed: 7 + day, now: () => now }));
      for (const code of ['0001', '1001']) {
        const levels: number[] = [];
        for (now = OPEN + day * 86_400_000; now <= CLOSE + day * 86_400_000; now += 5000) {
          levels.push(Number(market.intl.records('H0UPCNT0', code, 1, now, '090000', '20261123')[0][2]));
        }
        const range = rangePercent(levels);
        assert.ok(
          range >= 0.5 && range <= 2.5,
          `${code} on day ${day}: a session's range is ${range.toFixed(2)} % (a real index: ~0.5–1.5 %)`,
        );
      }
    }
  });

  it('gives the stream and REST one level at one instant (a pure function of the simulated clock)', () => {
    let now = OPEN + 3_600_000;
    const market = new SimMarket(resolveOptions({ seed: 3, now: () => now }));
    const streamed = Number(market.intl.records('H0UPCNT0', '0001', 1, now, '100000', '20261123')[0][2]);
    assert.equal(market.intl.level('0001').price, streamed);
    now += 60_000;
    const later = market.intl.level('0001').price;
    assert.ok(Math.abs(later - streamed) / streamed < 0.005, 'a minute later the level moved a little, not a jump');
    assert.equal(marketMove('0001', now), marketMove('0001', now), 'the same instant, the same move');
  });

  it('moves between seconds without a jump: consecutive 1 s levels differ by less than 0.05 %', () => {
    const levels: number[] = [];
    for (let t = OPEN; t <= CLOSE; t += 1000) levels.push(2650 * (1 + marketMove('0001', t)));
    for (let i = 1; i < levels.length; i++)
      assert.ok(
        Math.abs(levels[i] - levels[i - 1]) / levels[i - 1] < 0.0005,
        `step ${i}: ${levels[i - 1]} → ${levels[i]}`,
      );
  });
});
