import { strict as assert } from 'node:assert';
import type { AlertEvent, AlertRule } from '../../../src/shared/snapshot';
import { AlertEngine, kstEpoch, tradingPhaseAt, type AlertInput } from '../../../src/worker/alerts';
import { MarketState } from '../../../src/worker/marketState';
import { checkAlertRule } from '../../../src/market/alertRules';
import { readDayRecords, type DayRecord } from '../../../src/kis/layouts/day';
import { tradeOf } from './helpers';

/** A Thursday (KST). */
const DAY = '20261203';
const input = (over: Partial<AlertInput>): AlertInput => ({
  price: 72000,
  rate: 0,
  volumeRatio: 0,
  vi: undefined,
  time: '100000',
  at: kstEpoch(DAY, '100000'),
  ...over,
});

function run(engine: AlertEngine, inputs: AlertInput[]): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const i of inputs) engine.evaluateInput('005930', i, out);
  return out;
}

/** No band, no cooldown: what these tests look at is the gate and each kind's condition. */
function gated(rules: AlertRule[]): AlertEngine {
  const engine = new AlertEngine();
  engine.setOptions({ rearmPercent: 0, cooldownMs: 0 });
  engine.setGate(true);
  engine.setRules(rules);
  return engine;
}

describe('worker alerts: session gate, volume ratio, VI', () => {
  it('reads KST business date and time as an instant', () => {
    assert.equal(new Date(kstEpoch(DAY, '090000')).toISOString(), '2026-12-03T00:00:00.000Z');
    assert.ok(Number.isNaN(kstEpoch('', '090000')));
    assert.ok(Number.isNaN(kstEpoch(DAY, '9')));
    assert.equal(tradingPhaseAt(kstEpoch(DAY, '100000')), true);
    assert.equal(tradingPhaseAt(kstEpoch(DAY, '085500')), false, 'KRX opening auction, NXT between sessions');
    assert.equal(tradingPhaseAt(kstEpoch(DAY, '152500')), false, 'closing auction');
    assert.equal(tradingPhaseAt(kstEpoch(DAY, '210000')), false, 'closed');
    assert.equal(tradingPhaseAt(kstEpoch('20261205', '100000')), false, 'Saturday');
  });

  it('fires once per crossing in a trading phase, never during auctions or closed phases', () => {
    const engine = gated([{ id: 'a', symbol: '005930', kind: 'priceAbove', threshold: 72000 }]);
    const at = (t: string): number => kstEpoch(DAY, t);
    const fired = run(engine, [
      input({ price: 73000, time: '085500', at: at('085500') }),
      input({ price: 73000, time: '152500', at: at('152500') }),
      input({ price: 73000, time: '210000', at: at('210000') }),
      input({ price: 71000, time: '100000', at: at('100000') }),
      input({ price: 72500, time: '100100', at: at('100100') }),
      input({ price: 73000, time: '100200', at: at('100200') }),
      input({ price: 73000, time: '152600', at: at('152600') }),
      input({ price: 71000, time: '152700', at: at('152700') }),
      input({ price: 73000, time: '152800', at: at('152800') }),
      input({ price: 71500, time: '100300', at: at('100300') }),
      input({ price: 72000, time: '100400', at: at('100400') }),
    ]);
    assert.deepEqual(
      fired.map((e) => e.time),
      ['100100', '100400'],
    );
    assert.deepEqual(
      run(engine, [input({ price: 73000, at: Number.NaN })]),
      [],
      'an unknown instant is not a trading phase',
    );
  });

  it('never fires on a price of 0 (no trade yet), which neither fires nor re-arms', () => {
    const engine = gated([
      { id: 'below', symbol: '005930', kind: 'priceBelow', threshold: 70000 },
      { id: 'down', symbol: '005930', kind: 'rateBelow', threshold: -3 },
    ]);
    assert.deepEqual(run(engine, [input({ price: 0, rate: -100 })]), []);
    assert.deepEqual(
      run(engine, [input({ price: 69000, rate: -4 })]).map((e) => e.ruleId),
      ['below', 'down'],
    );
    assert.deepEqual(run(engine, [input({ price: 0, rate: 0 }), input({ price: 68000, rate: -5 })]), []);
  });

  it('compares the volume ratio to yesterday at the same time, once per crossing', () => {
    const engine = gated([{ id: 'v', symbol: '005930', kind: 'volumeRatioAbove', threshold: 150 }]);
    const fired = run(engine, [
      input({ volumeRatio: 0 }),
      input({ volumeRatio: 120 }),
      input({ volumeRatio: 151.2 }),
      input({ volumeRatio: 180 }),
      input({ volumeRatio: 140 }),
      input({ volumeRatio: 150 }),
    ]);
    assert.deepEqual(
      fired.map((e) => e.volumeRatio),
      [151.2, 150],
    );
  });

  it('fires VI rules on the flag turning on and off, not while it stays', () => {
    const engine = gated([
      { id: 'on', symbol: '005930', kind: 'viTriggered', threshold: 0 },
      { id: 'off', symbol: '005930', kind: 'viReleased', threshold: 0 },
    ]);
    const fired = run(engine, [
      input({ vi: false }),
      input({}),
      input({ vi: true }),
      input({ vi: true }),
      input({ vi: false }),
      input({ vi: false }),
      input({ vi: true }),
    ]);
    assert.deepEqual(
      fired.map((e) => e.ruleId),
      ['on', 'off', 'on'],
    );
  });

  it('refuses rules that can never fire, in the engine and for the user', () => {
    const engine = new AlertEngine();
    const never: AlertRule[] = [
      { id: '1', symbol: '005930', kind: 'priceAbove', threshold: 0 },
      { id: '2', symbol: '005930', kind: 'priceBelow', threshold: -5 },
      { id: '3', symbol: '005930', kind: 'rateAbove', threshold: 31 },
      { id: '4', symbol: '005930', kind: 'rateBelow', threshold: -30.5 },
      { id: '5', symbol: '005930', kind: 'volumeRatioAbove', threshold: -1 },
    ];
    assert.equal(engine.setRules(never), never.length);
    assert.equal(engine.watches('005930'), false);
    const zero = checkAlertRule('005930', 'priceAbove', '0');
    assert.equal(zero.ok === false && zero.code, 'NEVER_FIRES');
    const text = checkAlertRule('005930', 'priceAbove', 'abc');
    assert.equal(text.ok === false && text.code, 'NOT_A_NUMBER');
    assert.equal(checkAlertRule('', 'priceAbove', '1').ok, false);
    assert.equal(checkAlertRule('../x', 'priceAbove', '1').ok, false);
    assert.equal(checkAlertRule('005930', 'priceNear', '1').ok, false);
    assert.deepEqual(checkAlertRule('005930', 'priceBelow', '71,000'), { ok: true, threshold: 71000 });
    assert.deepEqual(checkAlertRule('005930', 'viReleased', ''), { ok: true, threshold: 0 });
    assert.deepEqual(checkAlertRule('005930', 'rateAbove', 30), { ok: true, threshold: 30 });
  });

  it('reads the volume ratio and strength from trades and VI from market status in the market state', () => {
    const engine = gated([
      { id: 'v', symbol: '005930', kind: 'volumeRatioAbove', threshold: 100 },
      { id: 'vi', symbol: '005930', kind: 'viTriggered', threshold: 0 },
    ]);
    const state = new MarketState(engine);
    const now = kstEpoch(DAY, '100500');
    state.applyTrade(tradeOf('005930', 72000, '100500', 1, { 18: '123.45', 23: '110.5', 33: DAY }), 0, now);
    const statusFields = ['005930', 'N', '(null)', '20', '', '', '', '', 'Y', 'N', ''];
    const records: DayRecord[] = [];
    readDayRecords(
      'H0STMKO0',
      statusFields,
      statusFields.length,
      (r) => records.push(r),
      () => assert.fail('unreadable'),
    );
    for (const r of records) state.applyDayRecord(r, statusFields, 0, now);
    const { alerts, quotes } = state.takeChanges();
    assert.deepEqual(
      alerts.map((a) => a.ruleId),
      ['v', 'vi'],
    );
    assert.equal(quotes[0].strength, 123.45);
    assert.equal(quotes[0].volumeRatio, 110.5);
  });

  it("does not fire on an auction's expected price", () => {
    const engine = gated([{ id: 'a', symbol: '005930', kind: 'priceAbove', threshold: 70000 }]);
    const state = new MarketState(engine);
    const fields = tradeOf('005930', 75000, '100000', 1, { 33: DAY });
    readDayRecords(
      'H0STANC0',
      fields,
      fields.length,
      (r) => state.applyDayRecord(r, fields, 0, kstEpoch(DAY, '100000')),
      () => assert.fail('unreadable'),
    );
    const { alerts, quotes } = state.takeChanges();
    assert.equal(quotes[0].expected?.price, 75000);
    assert.deepEqual(alerts, []);
  });
});
