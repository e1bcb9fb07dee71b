/**
 * The feed's clock as the views read it, and which settings make a new trading day.
 *
 * Every time shown to a user (a row's "as of", a tooltip, the status bar, Connection Details, the log's KST
 * stamps) is a time of the feed's clock: the machine's for KIS, the simulated one in calendar mode, the
 * recording's in a replay. Instants measured on the machine (a REST answer's receipt, a tick's arrival)
 * are moved onto that clock by how long ago they were, at the clock's speed.
 */
import type { Settings } from '../settings';
import type { DayClock } from './plan/dayPlanner';

/**
 * The feed clock's time of the machine instant `at` (epoch ms), given the machine's `realNow`: the
 * clock's now, less the time since `at` scaled by the clock's speed. The machine's clock maps `at` to itself.
 */
export function feedTimeAt(clock: Pick<DayClock, 'now' | 'speed'>, at: number, realNow: number): number {
  return clock.now() - (realNow - at) * clock.speed;
}

/**
 * What a trading day shown by the views depends on: the data source, the simulated clock and its speed,
 * the recording replayed and the exchange. Two settings with different identities must not share prices,
 * bars or books (a Tuesday's bars under a Saturday clock, a KRX price under NXT).
 */
export function dayIdentityOf(
  settings: Pick<Settings, 'dataSource' | 'simulatorClock' | 'simulatorSpeed' | 'replayFile' | 'exchange'>,
): string {
  const { dataSource, exchange } = settings;
  const clock = dataSource === 'simulator' ? [settings.simulatorClock, settings.simulatorSpeed] : [];
  const replay = dataSource === 'replay' ? [settings.replayFile] : [];
  return JSON.stringify([dataSource, exchange, ...clock, ...replay]);
}
