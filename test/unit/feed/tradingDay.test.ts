import assert from 'node:assert/strict';
import { MarketFeed, type MarketStatusChange, type WatchlistStore } from '../../../src/feed';
import { DayPlanner, type DayClock } from '../../../src/feed/plan/dayPlanner';
import { MarketStatusTracker } from '../../../src/feed/model/marketStatus';
import { Logger } from '../../../src/common/logger';
import { quiet } from '../support/feedWait';
import { until } from '../../support/wait';
import { parseSettings, type RawSettings, type Settings } from '../../../src/settings';
import { simulatedClock } from '../../../src/simulator/market/simClock';
import { kstInstant, tradeVenue } from '../../../src/market/tradeVenue';
import type { QuoteState, Snapshot } from '../../../src/shared/snapshot';
import { formatMessage } from '../../../src/common/translate';
import { rowStateText } from '../../../src/views/watchlist/rowState';
import { dataExpectedNow, phaseWords, tradesExpectedNow } from '../../../src/views/dayText';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';

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
    const clock: DayClock = {
      now: simulatedClock(Date.parse('2026-12-07T08:59:00+09:00'), 600),
      speed: 600,
      calendar: true,
    };
    planner.setClock(clock);
    assert.equal(planner.session().krx.phase, 'opening-auction');
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timed out waiting for the 09:00 change')), 10_000).unref(),
    );
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
    const raw: RawSettings = {
      exchange: 'unified',
      'simulator.clock': '2026-12-07T08:59:40+09:00',
      'simulator.speed': 10,
    };
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
    const asked = (trType: string, trId: string): boolean =>
      f.simulatorRequests().some((r) => r.trType === trType && r.trId === trId && r.trKey === '005930');
    assert.equal(f.dayStatus().calendar, true);
    await until(() => asked('1', 'H0UNANC0'), f.onSnapshot, 'the auction feed registered before 09:00');
    // The holiday calendar's answer is a re-plan too: wait for the 09:00 phase itself.
    await until(
      () => phases > 0 && f.dayStatus().session.krx.phase === 'regular',
      f.onDidChangePhase,
      'the 09:00 phase change',
    );
    assert.deepEqual(
      f.dayStatus().plan.map((p) => p.trId),
      ['H0UNCNT0', 'H0UNASP0', 'H0STMKO0'],
      'the auction feed leaves the plan at 09:00',
    );
    await until(() => asked('2', 'H0UNANC0'), f.onSnapshot, 'the H0UNANC0 release');
    assert.equal(asked('2', 'H0UNCNT0'), false, 'the trade stays registered across the change');

    const changes: MarketStatusChange[] = [];
    f.onMarketStatus((c) => changes.push(c));
    f.embeddedSimulator?.day.startVi('005930', 'KRX', f.dayStatus().session.at);
    await until(() => changes.length > 0, f.onSnapshot, 'a VI event');
    assert.equal(changes[0].symbol, '005930');
    assert.equal(changes[0].change, 'vi-on');
    assert.equal(f.model.quote('005930')?.vi, true);
  });

  it('switching the exchange re-plans without a restart', async () => {
    const raw: RawSettings = { exchange: 'unified', 'simulator.clock': '2026-12-07T11:00:00+09:00' };
    const f = (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
    }));
    await f.add(['005930']);
    raw.exchange = 'nxt';
    f.applySettings(new Set(['exchange']));
    await until(
      () => f.agentStats()?.subscriptionsUsed === 3 && f.simulatorRequests().some((r) => r.trId === 'H0NXCNT0'),
      f.onSnapshot,
      'the NXT registrations',
    );
    assert.ok(
      f.simulatorRequests().some((r) => r.trType === '2' && r.trId === 'H0UNCNT0'),
      'the unified trade is released',
    );
  });
});

describe('trading day: auctions, the open and a clean day per clock', function () {
  this.timeout(20_000);
  let feed: MarketFeed | undefined;
  afterEach(async () => {
    await feed?.dispose();
    feed = undefined;
  });
  const SYMBOLS = ['005930', '000660', '005380'];
  const feedOn = (raw: RawSettings): MarketFeed =>
    (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
      simulator: { tickIntervalMs: 10, seed: 5 },
    }));
  /** The watchlist row of `symbol` as the tree draws it now (stale rule and state words included). */
  const rowOf = (f: MarketFeed, symbol: string): ReturnType<typeof buildRow> => {
    const day = f.dayStatus();
    const state = rowStateText(
      {
        origin: f.model.origin(symbol),
        mode: f.rowMode(symbol),
        marketOpen: dataExpectedNow(day),
        tradesNow: tradesExpectedNow(day),
        holiday: false,
        problem: f.restProblem(symbol),
        streaming: true,
        shown: f.feedTime,
      },
      formatMessage,
    );
    const ctx: RowContext = {
      now: Date.now(),
      marketOpen: dataExpectedNow(day),
      staleAfterMs: 1,
      convention: 'korean',
      language: 'en',
      t: formatMessage,
      rowState: () => state,
    };
    return buildRow(symbol, f.model.quote(symbol), 0, 1, ctx);
  };

  it("at a simulated 08:56 every row shows the expected price marked expected (never stale); at 09:00:30 the open's trade", async () => {
    // 100× real time: 09:00:30 is 2.7 s of real time after the start.
    const f = feedOn({ exchange: 'unified', 'simulator.clock': '2026-12-08T08:56:00+09:00', 'simulator.speed': 100 });
    await f.add(SYMBOLS);
    const auction = (): boolean => f.feedTime() < Date.parse('2026-12-08T09:00:00+09:00');
    await until(
      () => SYMBOLS.every((s) => f.model.quote(s)?.expected !== undefined),
      f.onSnapshot,
      'an expected price on every row',
    );
    assert.ok(auction(), 'still in the opening auction');
    for (const s of SYMBOLS) {
      const row = rowOf(f, s);
      assert.match(row.label, / {2}≈[\d,]+ {2}[+-]?\d+\.\d\d%$/, `${s}: ${row.label}`);
      assert.match(row.description, /^[+-]?[\d,]+ expected/, `${s}: ${row.description}`);
      assert.equal(row.stale, false, `${s} is not stale in the auction (stale after 1 ms)`);
      assert.ok((f.model.quote(s)?.last ?? 0) > 0, `${s}: the previous close under the expected price, never 0`);
    }
    const open = Date.parse('2026-12-08T09:00:30+09:00');
    await until(
      () => f.feedTime() >= open && SYMBOLS.every((s) => (f.model.quote(s)?.trades ?? 0) > 0),
      f.onSnapshot,
      "the open's trades",
    );
    for (const s of SYMBOLS) {
      const q = f.model.quote(s);
      assert.equal(q?.expected, undefined, `${s}: the expected price gave way to the open`);
      assert.doesNotMatch(rowOf(f, s).label, /≈/);
      assert.doesNotMatch(rowOf(f, s).description, /expected/);
    }
  });

  it('before connecting, the feed reads the configured clock: a simulated Saturday is a weekend', () => {
    const f = feedOn({ 'simulator.clock': '2026-12-12T11:00:00+09:00' });
    assert.equal(f.dayStatus().session.day, 'weekend');
    assert.equal(phaseWords(f.dayStatus(), formatMessage), 'closed until Mon 08:00');
    const drift = f.feedTime() - Date.parse('2026-12-12T11:00:00+09:00');
    assert.ok(drift >= 0 && drift < 60_000, 'the feed clock is the simulated one');
  });

  it('a change of exchange or clock starts a clean day: no price, bar or book of the old one', async () => {
    const raw: RawSettings = { exchange: 'unified', 'simulator.clock': '2026-12-08T11:00:00+09:00' };
    const f = feedOn(raw);
    await f.add(['005930']);
    await until(
      () => f.model.bars('005930').length > 0 && f.model.book('005930') !== undefined,
      f.onSnapshot,
      'Tuesday bars and a book',
    );
    let resets = 0;
    f.onDidResetModel(() => resets++);
    raw.exchange = 'krx';
    f.applySettings(new Set(['exchange']));
    assert.equal(resets, 1);
    assert.equal(f.model.bars('005930').length, 0, 'no bar of the old exchange');
    assert.equal(f.model.book('005930'), undefined, 'no book of the old exchange');
    let emptyAtReset = false;
    f.onDidResetModel(
      () => (emptyAtReset = f.model.quote('005930') === undefined && f.model.bars('005930').length === 0),
    );
    raw['simulator.clock'] = '2026-12-12T11:00:00+09:00';
    f.applySettings(new Set(['simulatorClock']));
    await f.settled();
    assert.equal(resets, 2, 'a new clock is a new day');
    assert.equal(emptyAtReset, true);
    assert.equal(f.dayStatus().session.day, 'weekend');
  });
});

describe('market status changes and trade venues', () => {
  const q = (over: Partial<QuoteState>): QuoteState => ({ symbol: '005930', halted: false, ...over }) as QuoteState;
  const snap = (quotes: QuoteState[]): Snapshot => ({ seq: 1, at: 5, quotes, bars: [] }) as unknown as Snapshot;

  it('reports VI and halt transitions once each', () => {
    const tracker = new MarketStatusTracker();
    assert.deepEqual(tracker.update(snap([q({})])), [], 'a first quiet sighting is no event');
    const on = tracker.update(snap([q({ vi: true, viPrice: 77_000 })]));
    assert.deepEqual(
      on.map((c) => [c.change, c.viPrice]),
      [['vi-on', 77_000]],
    );
    assert.deepEqual(tracker.update(snap([q({ vi: true })])), [], 'no change, no event');
    assert.deepEqual(
      tracker.update(snap([q({ vi: false, halted: true, haltReason: 'x' })])).map((c) => c.change),
      ['vi-off', 'halt-on'],
    );
    assert.deepEqual(
      tracker.update(snap([q({ halted: false })])).map((c) => c.change),
      ['halt-off'],
    );
    tracker.clear();
    assert.deepEqual(
      tracker.update(snap([q({ halted: true })])).map((c) => c.change),
      ['halt-on'],
    );
  });

  it('reads the venue of a unified trade off the phase table', () => {
    assert.equal(tradeVenue('unified', kstInstant('20261207', '084000')), 'NXT');
    assert.equal(tradeVenue('unified', kstInstant('20261207', '110000')), 'KRX+NXT');
    assert.equal(
      tradeVenue('unified', kstInstant('20261207', '152500')),
      'KRX+NXT',
      'neither trades continuously: not guessed',
    );
    assert.equal(tradeVenue('unified', kstInstant('20260901', '170000')), 'NXT', 'before the KRX after-market began');
    assert.equal(tradeVenue('unified', kstInstant('', '084000')), 'KRX+NXT');
    assert.equal(tradeVenue('KRX', undefined), 'KRX');
    assert.equal(kstInstant('20261207', '8400'), undefined);
  });
});
