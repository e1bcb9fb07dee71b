import assert from 'node:assert/strict';
import { isMarketOpen, kstClock, marketPhase, nextSessionStart } from '../../src/market/hours';

/** An instant given as Seoul wall-clock time (UTC+9, no DST). */
const kst = (y: number, mo: number, d: number, h: number, mi: number): Date => new Date(Date.UTC(y, mo - 1, d, h - 9, mi));

describe('marketHours', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('reads the Seoul wall clock from an instant', () => {
    const clock = kstClock(new Date(Date.UTC(2026, 10, 24, 23, 59)));
    assert.deepEqual(clock, { year: 2026, month: 11, day: 25, weekday: 3, minutes: 8 * 60 + 59, ymd: 20261125 });
  });

  it('walks through a weekday after the 2026-09-14 change (after-market 16:00–20:00)', () => {
    // Wednesday 2026-11-25.
    const cases: Array<[number, number, string]> = [
      [8, 29, 'closed'],
      [8, 30, 'preMarket'],
      [8, 59, 'preMarket'],
      [9, 0, 'regular'],
      [15, 29, 'regular'],
      [15, 30, 'closed'],
      [15, 45, 'closed'],
      [16, 0, 'afterMarket'],
      [19, 59, 'afterMarket'],
      [20, 0, 'closed'],
    ];
    for (const [h, m, phase] of cases) assert.equal(marketPhase(kst(2026, 11, 25, h, m)), phase, `${h}:${m}`);
  });

  it('uses the 15:40–18:00 after-hours session before the change', () => {
    // Friday 2026-09-11.
    assert.equal(marketPhase(kst(2026, 9, 11, 15, 45)), 'afterMarket');
    assert.equal(marketPhase(kst(2026, 9, 11, 17, 59)), 'afterMarket');
    assert.equal(marketPhase(kst(2026, 9, 11, 18, 30)), 'closed');
    // Monday 2026-09-14 is the first day of the new schedule.
    assert.equal(marketPhase(kst(2026, 9, 14, 15, 45)), 'closed');
    assert.equal(marketPhase(kst(2026, 9, 14, 18, 30)), 'afterMarket');
  });

  it('is closed on weekends, judged by the Seoul date', () => {
    assert.equal(marketPhase(kst(2026, 11, 28, 10, 0)), 'closed', 'Saturday');
    assert.equal(marketPhase(kst(2026, 11, 29, 10, 0)), 'closed', 'Sunday');
    // Sunday 2026-11-29 23:30 UTC is Monday 08:30 in Seoul.
    assert.equal(marketPhase(new Date(Date.UTC(2026, 10, 29, 23, 30))), 'preMarket');
    assert.equal(isMarketOpen(kst(2026, 11, 30, 9, 0)), true);
    assert.equal(isMarketOpen(kst(2026, 11, 30, 21, 0)), false);
  });

  it('does not depend on process.env.TZ', () => {
    const instant = kst(2026, 11, 25, 9, 0);
    const phases = ['America/New_York', 'Asia/Seoul', 'UTC', 'Pacific/Kiritimati'].map((tz) => {
      process.env.TZ = tz;
      return marketPhase(instant);
    });
    assert.deepEqual(phases, ['regular', 'regular', 'regular', 'regular']);
  });

  it('finds the next session start, skipping the weekend', () => {
    assert.equal(nextSessionStart(kst(2026, 11, 25, 7, 0)).getTime(), kst(2026, 11, 25, 8, 30).getTime());
    assert.equal(nextSessionStart(kst(2026, 11, 25, 8, 30)).getTime(), kst(2026, 11, 25, 9, 0).getTime());
    assert.equal(nextSessionStart(kst(2026, 11, 25, 15, 35)).getTime(), kst(2026, 11, 25, 16, 0).getTime());
    assert.equal(nextSessionStart(kst(2026, 11, 25, 21, 0)).getTime(), kst(2026, 11, 26, 8, 30).getTime());
    // Friday evening → Monday morning.
    assert.equal(nextSessionStart(kst(2026, 11, 27, 20, 30)).getTime(), kst(2026, 11, 30, 8, 30).getTime());
    assert.equal(nextSessionStart(kst(2026, 11, 28, 12, 0)).getTime(), kst(2026, 11, 30, 8, 30).getTime());
  });
});
