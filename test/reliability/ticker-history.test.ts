// The ticker chart's REST history, against the simulator through the real feed (agent, worker, REST client): a symbol charted
// mid-session gets every minute since the 09:00 open by REST, then live minutes, one bar per minute.
import assert from 'node:assert/strict';
import { MarketFeed, type WatchlistStore } from '../../src/feed';
import { Logger } from '../../src/common/logger';
import { quiet } from '../unit/support/feedWait';
import { until } from '../support/wait';
import { parseSettings, type RawSettings, type Settings } from '../../src/settings';
import type { Bar } from '../../src/shared/snapshot';

const store = (): WatchlistStore => ({ load: () => [], save: async () => {} });

/** Epoch seconds of a KST wall-clock minute on 2026-12-07 read as UTC (the chart's time axis). */
const kst = (hh: number, mm: number): number => Date.UTC(2026, 11, 7, hh, mm) / 1000;

/** Asserts one bar per minute, ascending with no minute missing, from 09:00. */
function assertEveryMinuteFromOpen(bars: readonly Bar[], what: string): void {
  assert.ok(bars.length > 0, `${what}: no bars`);
  assert.equal(bars[0].time, kst(9, 0), `${what}: the first bar is the 09:00 open`);
  const times = bars.map((b) => b.time);
  assert.equal(new Set(times).size, times.length, `${what}: a minute appears twice`);
  for (let i = 1; i < times.length; i++) {
    assert.equal(
      times[i] - times[i - 1],
      60,
      `${what}: a gap or disorder after ${new Date(times[i - 1] * 1000).toISOString()}`,
    );
  }
}

describe('ticker chart history against the simulator', function () {
  this.timeout(60_000);
  let feed: MarketFeed | undefined;

  afterEach(async () => {
    await feed?.dispose();
    feed = undefined;
  });

  it('charts a symbol opened at 11:17 with every minute since 09:00, then live minutes with no duplicate', async () => {
    // A simulated Monday at 11:17:00 KST running 20× real time: a live minute every 3 s of real time.
    const raw: RawSettings = { exchange: 'krx', 'simulator.clock': '2026-12-07T11:17:00+09:00', 'simulator.speed': 20 };
    const f = (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
      simulator: { tickIntervalMs: 20, seed: 5 },
    }));
    await f.add(['005930']);
    await until(() => f.model.bars('005930').length > 0, f.onSnapshot, 'the first live bar');

    const outcome = await f.chartHistory('005930', 'minute');
    assert.equal(outcome.state, 'ready');
    const first = f.model.bars('005930');
    assertEveryMinuteFromOpen(first, 'after the history');
    const seam = first[first.length - 1].time;
    assert.ok(seam >= kst(11, 17), 'the history reaches the minute the chart opened');
    assert.equal(outcome.state === 'ready' && outcome.bars.length, first.length, 'the outcome is the model’s bars');

    // Two more live minutes: they continue the same list, one bar each.
    await until(
      () => (f.model.bars('005930').at(-1)?.time ?? 0) >= seam + 120,
      f.onSnapshot,
      'two live minutes after the seam',
      30_000,
    );
    const later = f.model.bars('005930');
    assertEveryMinuteFromOpen(later, 'after two live minutes');
    assert.deepEqual(later.slice(0, first.length - 1), first.slice(0, -1), 'the history before the seam is untouched');

    // A second chart request asks REST nothing more: the history is in the model already.
    const requests = f.restStats()?.requests ?? 0;
    const again = await f.chartHistory('005930', 'minute');
    assert.equal(again.state, 'ready');
    assert.equal(f.restStats()?.requests, requests);
  });

  it('serves about six months of daily candles, oldest first, one per trading day', async () => {
    const raw: RawSettings = { exchange: 'krx', 'simulator.clock': '2026-12-07T11:17:00+09:00' };
    const f = (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
    }));
    await f.add(['005930']);
    const outcome = await f.chartHistory('005930', 'daily');
    assert.equal(outcome.state, 'ready');
    const bars = outcome.state === 'ready' ? outcome.bars : [];
    assert.ok(bars.length > 100 && bars.length <= 135, `about six months of weekdays, got ${bars.length}`);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i].time > bars[i - 1].time, 'ascending, no duplicate day');
    assert.ok(
      bars.every((b) => new Date(b.time * 1000).getUTCDay() % 6 !== 0),
      'no weekend candle',
    );
    assert.ok(bars[bars.length - 1].time < kst(0, 0), 'up to the previous session');
  });

  it('says "unavailable" with a stable code when no source runs', async () => {
    const raw: RawSettings = {};
    const f = (feed = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(),
      log: new Logger(quiet),
    }));
    assert.deepEqual(await f.chartHistory('005930', 'minute'), { state: 'unavailable', code: 'OFFLINE' });
  });
});
