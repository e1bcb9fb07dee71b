// The embedded simulator across Disconnect/Connect: the same clock setting keeps running (the
// process market is keyed by it, so the day continues); another clock or speed starts a clean day.
import * as assert from 'node:assert/strict';
import { Logger, type LogChannel } from '../../../src/common/logger';
import { clockFor, openSource, type OpenedSource } from '../../../src/feed/source/source';
import { parseSettings, type Settings } from '../../../src/settings';
import { resetProcessMarkets } from '../../../src/simulator/market/simMarket';

const quiet: LogChannel = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Opens the embedded simulator as the feed does on Connect. */
async function connect(settings: Settings): Promise<OpenedSource> {
  const opened = await openSource(
    settings,
    { credentials: async () => undefined, simulator: undefined, log: new Logger(quiet) },
    () => false,
  );
  assert.ok(
    opened !== undefined && 'simulator' in opened && opened.simulator !== undefined,
    'the embedded simulator starts',
  );
  return opened;
}

const settings = (clock: string, speed = 1) =>
  parseSettings({ dataSource: 'simulator', 'simulator.clock': clock, 'simulator.speed': speed }).settings;

describe('feed source: the embedded simulator across Disconnect/Connect', () => {
  it('keeps one running clock per clock setting, and starts a new one for another clock or speed', () => {
    const first = clockFor(settings('2026-12-07T09:00:00+09:00', 60));
    assert.equal(first.calendar, true);
    assert.equal(
      clockFor(settings('2026-12-07T09:00:00+09:00', 60)).now,
      first.now,
      'a reconnect continues the same day',
    );
    const otherSpeed = clockFor(settings('2026-12-07T09:00:00+09:00', 10));
    assert.notEqual(otherSpeed.now, first.now);
    assert.equal(otherSpeed.speed, 10);
    const otherClock = clockFor(settings('2026-12-08T09:00:00+09:00', 10));
    assert.notEqual(otherClock.now, otherSpeed.now);
    assert.ok(otherClock.now() >= Date.parse('2026-12-08T09:00:00+09:00'), 'the new clock starts at its instant');
    assert.equal(clockFor(settings('', 1)).calendar, false, 'no clock: the demo');
  });

  it('a Connect after a Disconnect continues the same market; another clock gets a new one', async () => {
    resetProcessMarkets();
    const demo = parseSettings({ dataSource: 'simulator' }).settings;
    const first = await connect(demo);
    const day = first.simulator?.market('005930');
    await first.simulator?.close();
    const second = await connect(demo);
    assert.equal(second.simulator?.market('005930'), day, 'the same settings: the same market, the day goes on');
    await second.simulator?.close();
    const clocked = await connect(settings('2026-12-07T10:00:00+09:00'));
    assert.notEqual(clocked.simulator?.market('005930'), day, 'a simulated clock: a clean day');
    await clocked.simulator?.close();
    resetProcessMarkets();
  });
});
