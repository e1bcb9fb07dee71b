import assert from 'node:assert/strict';
import { MarketFeed, type MarketStatusChange, type WatchlistStore } from '../../src/feed';
import { DayPlanner, type DayClock } from '../../src/feed/dayPlanner';
import { MarketStatusTracker } from '../../src/feed/marketStatus';
import { Logger } from '../../src/common/logger';
import { quiet, until } from './support/feedWait';
import { parseSettings, type RawSettings, type Settings } from '../../src/settings';
import { simulatedClock } from '../../src/simulator/simClock';
import { kstInstant, tradeVenue } from '../../src/market/tradeVenue';
import type { QuoteState, Snapshot } from '../../src/shared/snapshot';

const store = (): WatchlistStore => ({ load: () => [], save: async () => {} });

describe('trading day: the day planner and the feed in calendar mode', function () {
  this.timeout(20_000);
  let feed: MarketFeed | undefined;
  afterEach(async () => {
    await feed?.dispose();
    feed = undefined;
  });

  it('the planner fires once at the next phase change, not before (timer, not polling)', async () => {
    let fire: () => void = () => {};
    const fired = new Promise<void>((resolve) => (fire = resolve));
    const planner = new DayPlanner(() => fire());
    // 08:59:00 at 600× real time: the 09:00 change is 100 ms of real time away.
    const clock: DayClock = { now: simulatedClock(Date.parse('2026-12-07T08:59:00+09:00'), 600), speed: 600, calendar: true };
    planner.setClock(clock);
    assert.equal(planner.session().krx.phase, 'opening-auction');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out waiting for the 09:00 change')), 10_000).unref());
    await Promise.race([fired, timeout]);
    assert.equal(planner.changes, 1);
    assert.equal(planner.session().krx.phase, 'regular');
    assert.equal(planner.planningSession().krx.phase, 'regular');
    planner.setHolidays(() => 'closed');
    assert.equal(planner.session().day, 'holiday');
    planner.dispose();
    const demo = new DayPlanner(() => {});
    demo.setClock({ now: () => Date.parse('2026-12-05T12:00:00+09:00'), speed: 1, calendar: false });
    assert.equal(demo.planningSession().krx.phase, 'regular', 'the demo plans for a regular session at any hour');
    demo.dispose();
  });

  it('re-plans at the phase change: auction feeds at 08:59, released at 09:00; VI is an onMarketStatus event', async () => {
    // 08:59:40 at 10× real time: the 09:00 change comes 2 s of real time after the start.
    const raw: RawSettings = { exchange: 'unified', 'simulator.clock': '2026-12-07T08:59:40+09:00', 'simulator.speed': 10 };
    const f = (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
      simulator: { tickIntervalMs: 10, seed: 3 },
    }));
    let phases = 0;
    f.onDidChangePhase(() => phases++);
    await f.add(['005930']);
    const asked = (trType: string, trId: string): boolean => f.simulatorRequests().some((r) => r.trType === trType && r.trId === trId && r.trKey === '005930');
    assert.equal(f.dayStatus().calendar, true);
    await until(f.onSnapshot, () => asked('1', 'H0UNANC0'), 'the auction feed registered before 09:00');
    // The holiday calendar's answer is a re-plan too (issue 15): wait for the 09:00 phase itself.
    await until(f.onDidChangePhase, () => phases > 0 && f.dayStatus().session.krx.phase === 'regular', 'the 09:00 phase change');
    assert.deepEqual(f.dayStatus().plan.map((p) => p.trId), ['H0UNCNT0', 'H0UNASP0', 'H0STMKO0'], 'the auction feed leaves the plan at 09:00');
    await until(f.onSnapshot, () => asked('2', 'H0UNANC0'), 'the H0UNANC0 release');
    assert.equal(asked('2', 'H0UNCNT0'), false, 'the trade stays registered across the change');

    const changes: MarketStatusChange[] = [];
    f.onMarketStatus((c) => changes.push(c));
    f.embeddedSimulator?.day.startVi('005930', 'KRX', f.dayStatus().session.at);
    await until(f.onSnapshot, () => changes.length > 0, 'a VI event');
    assert.equal(changes[0].symbol, '005930');
    assert.equal(changes[0].change, 'vi-on');
    assert.equal(f.model.quote('005930')?.vi, true);
  });

  it('switching the exchange re-plans without a restart', async () => {
    const raw: RawSettings = { exchange: 'unified', 'simulator.clock': '2026-12-07T11:00:00+09:00' };
    const f = (feed = new MarketFeed({ settings: (): Settings => parseSettings(raw).settings, credentials: async () => undefined, store: store(), log: new Logger(quiet) }));
    await f.add(['005930']);
    raw.exchange = 'nxt';
    f.applySettings(new Set(['exchange']));
    await until(f.onSnapshot, () => f.agentStats()?.subscriptionsUsed === 3 && f.simulatorRequests().some((r) => r.trId === 'H0NXCNT0'), 'the NXT registrations');
    assert.ok(f.simulatorRequests().some((r) => r.trType === '2' && r.trId === 'H0UNCNT0'), 'the unified trade is released');
  });
});

describe('market status changes and trade venues', () => {
  const q = (over: Partial<QuoteState>): QuoteState =>
    ({ symbol: '005930', halted: false, ...over }) as QuoteState;
  const snap = (quotes: QuoteState[]): Snapshot => ({ seq: 1, at: 5, quotes, bars: [] }) as unknown as Snapshot;

  it('reports VI and halt transitions once each', () => {
    const tracker = new MarketStatusTracker();
    assert.deepEqual(tracker.update(snap([q({})])), [], 'a first quiet sighting is no event');
    const on = tracker.update(snap([q({ vi: true, viPrice: 77_000 })]));
    assert.deepEqual(on.map((c) => [c.change, c.viPrice]), [['vi-on', 77_000]]);
    assert.deepEqual(tracker.update(snap([q({ vi: true })])), [], 'no change, no event');
    assert.deepEqual(tracker.update(snap([q({ vi: false, halted: true, haltReason: 'x' })])).map((c) => c.change), ['vi-off', 'halt-on']);
    assert.deepEqual(tracker.update(snap([q({ halted: false })])).map((c) => c.change), ['halt-off']);
    tracker.clear();
    assert.deepEqual(tracker.update(snap([q({ halted: true })])).map((c) => c.change), ['halt-on']);
  });

  it('reads the venue of a unified trade off the phase table', () => {
    assert.equal(tradeVenue('unified', kstInstant('20261207', '084000')), 'NXT');
    assert.equal(tradeVenue('unified', kstInstant('20261207', '110000')), 'KRX+NXT');
    assert.equal(tradeVenue('unified', kstInstant('20261207', '152500')), 'KRX+NXT', 'neither trades continuously: not guessed');
    assert.equal(tradeVenue('unified', kstInstant('20260901', '170000')), 'NXT', 'before the KRX after-market began');
    assert.equal(tradeVenue('unified', kstInstant('', '084000')), 'KRX+NXT');
    assert.equal(tradeVenue('KRX', undefined), 'KRX');
    assert.equal(kstInstant('20261207', '8400'), undefined);
  });
});
