/**
 * A price of 0 (no trade yet, a blank field) is never a crossing: a rate-above or price-above rule neither
 * fires on it nor re-arms on it (re-arming would make the next real price fire a second time for one
 * crossing). Written against the worker host's public surface (records in, 'alert' events out), so it
 * holds whatever shape the alert engine takes inside the worker.
 */
import * as assert from 'node:assert/strict';
import type { AlertEvent, AlertRule } from '../../../src/shared/snapshot';
import { WorkerHost } from '../../../src/worker/host';
import { frame, tradeOf, waitUntil } from './helpers';

const SYMBOL = '005930';
const SENTINEL = '000660';
/** A trade at `price` with a day's change of `rate` percent (PRDY_CTRT, field 5). */
const tradeAt = (price: number, rate: string, hhmmss: string): string[] =>
  tradeOf(SYMBOL, price, hhmmss, 1, { 5: rate });

describe('alerts at price 0 (worker host)', function () {
  this.timeout(20_000);
  let host: WorkerHost | undefined;
  afterEach(async () => {
    await host?.dispose();
    host = undefined;
  });

  async function run(rule: AlertRule, records: string[][]): Promise<AlertEvent[]> {
    const h = (host = new WorkerHost({ snapshotIntervalMs: 20, alerts: [rule] }));
    const alerts: AlertEvent[] = [];
    h.on('alert', (a) => alerts.push(a));
    // One record per frame, so each is evaluated on its own, in order.
    // A last trade of another symbol: once the read model has it, every record before it was evaluated
    // and its alerts (which ride on the same or an earlier snapshot) were emitted.
    h.push([...records.map((r) => frame('H0STCNT0', [r])), frame('H0STCNT0', [tradeOf(SENTINEL, 1000, '093010')])]);
    await waitUntil(h, 'snapshot', () => h.latest(SENTINEL)?.trades === 1, 'every record processed');
    return alerts;
  }

  it('rate above 3 %: a price-0 record with a +5 % rate does not fire', async () => {
    const fired = await run({ id: 'rate', symbol: SYMBOL, kind: 'rateAbove', threshold: 3 }, [
      tradeAt(0, '5.00', '093000'),
    ]);
    assert.deepEqual(fired, []);
  });

  it('rate above 3 %: fires once for one crossing with a price-0 record inside it', async () => {
    const fired = await run({ id: 'rate', symbol: SYMBOL, kind: 'rateAbove', threshold: 3 }, [
      tradeAt(73000, '4.00', '093000'),
      tradeAt(0, '0.00', '093001'),
      tradeAt(73100, '4.10', '093002'),
    ]);
    assert.deepEqual(
      fired.map((a) => a.price),
      [73000],
    );
  });

  it('price above 72,000: fires once for one crossing with a price-0 record inside it', async () => {
    const fired = await run({ id: 'price', symbol: SYMBOL, kind: 'priceAbove', threshold: 72000 }, [
      tradeAt(73000, '1.00', '093000'),
      tradeAt(0, '0.00', '093001'),
      tradeAt(73100, '1.10', '093002'),
    ]);
    assert.deepEqual(
      fired.map((a) => a.price),
      [73000],
    );
  });
});
