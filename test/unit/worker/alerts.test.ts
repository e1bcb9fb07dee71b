import { strict as assert } from 'node:assert';
import type { AlertEvent, AlertRule } from '../../../src/shared/snapshot';
import { AlertEngine, isAlertRule } from '../../../src/worker/alerts';
import { MarketState } from '../../../src/worker/marketState';
import { tradeOf } from './helpers';

const above: AlertRule = { id: 'a', symbol: '005930', kind: 'priceAbove', threshold: 72000 };

/** An engine without band or cooldown (`rearmPercent` 0, `cooldownSeconds` 0): a crossing is any change of the condition. */
function bare(): AlertEngine {
  const engine = new AlertEngine();
  engine.setOptions({ rearmPercent: 0, cooldownMs: 0 });
  return engine;
}

function feed(engine: AlertEngine, prices: number[], rate = 0): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const p of prices) engine.evaluate('005930', p, rate, '090000', out);
  return out;
}

describe('worker alerts', () => {
  it('with no band and no cooldown, fires once per crossing and re-arms when the price crosses back', () => {
    const engine = bare();
    engine.setRules([above]);
    const fired = feed(engine, [71000, 72000, 72500, 73000, 71900, 71800, 72100, 72200]);
    assert.deepEqual(
      fired.map((e) => e.price),
      [72000, 72100],
    );
    assert.deepEqual(fired[0], {
      ruleId: 'a',
      symbol: '005930',
      kind: 'priceAbove',
      threshold: 72000,
      price: 72000,
      rate: 0,
      time: '090000',
    });
  });

  it('fires at once when the condition already holds on the first evaluation', () => {
    const engine = bare();
    engine.setRules([{ id: 'b', symbol: '005930', kind: 'priceBelow', threshold: 70000 }]);
    assert.deepEqual(
      feed(engine, [69000, 68000, 70500, 70000]).map((e) => e.price),
      [69000, 70000],
    );
  });

  it('compares the percentage change for rate rules', () => {
    const engine = new AlertEngine();
    engine.setRules([
      { id: 'up', symbol: '005930', kind: 'rateAbove', threshold: 3 },
      { id: 'down', symbol: '005930', kind: 'rateBelow', threshold: -3 },
    ]);
    const out: AlertEvent[] = [];
    for (const rate of [0, 3.5, 4, -1, -3.2, -4, 0]) engine.evaluate('005930', 100, rate, 't', out);
    assert.deepEqual(
      out.map((e) => [e.ruleId, e.rate]),
      [
        ['up', 3.5],
        ['down', -3.2],
      ],
    );
  });

  it('ignores other symbols and tells whether a symbol is watched', () => {
    const engine = new AlertEngine();
    engine.setRules([above]);
    assert.equal(engine.watches('005930'), true);
    assert.equal(engine.watches('000660'), false);
    const out: AlertEvent[] = [];
    engine.evaluate('000660', 99999, 0, 't', out);
    assert.deepEqual(out, []);
  });

  it('keeps the armed state of unchanged rules across setRules and re-arms changed ones', () => {
    const engine = new AlertEngine();
    engine.setRules([above]);
    assert.equal(feed(engine, [73000]).length, 1);
    engine.setRules([above, { id: 'c', symbol: '005930', kind: 'priceAbove', threshold: 72500 }]);
    assert.deepEqual(
      feed(engine, [73000]).map((e) => e.ruleId),
      ['c'],
    );
    engine.setRules([{ ...above, threshold: 72900 }]);
    assert.deepEqual(
      feed(engine, [73000]).map((e) => e.ruleId),
      ['a'],
    );
  });

  it('restores fired rules as disarmed and reports the states when they change', () => {
    const engine = new AlertEngine(() => 1_000_000);
    assert.equal(engine.setRules([above], [{ id: 'a', armed: false, firedAt: 5 }]), 0);
    assert.equal(engine.takeStatesChanged(), true);
    assert.equal(engine.takeStatesChanged(), false);
    assert.deepEqual(engine.states(), [{ id: 'a', armed: false, firedAt: 5 }]);
    assert.deepEqual(feed(engine, [73000]), []);
    feed(engine, [70000]);
    assert.equal(engine.takeStatesChanged(), true);
    assert.deepEqual(engine.states(), [{ id: 'a', armed: true, firedAt: 5 }]);
  });

  it('skips malformed rules and counts them', () => {
    const engine = new AlertEngine();
    const bad: unknown[] = [
      null,
      'x',
      { id: 'x', symbol: 'y', kind: 'volumeAbove', threshold: 1 },
      { ...above, threshold: Number.NaN },
      { ...above, id: 3 },
    ];
    assert.equal(engine.setRules([...bad, above]), bad.length);
    assert.equal(isAlertRule(above), true);
    assert.equal(engine.watches('005930'), true);
  });

  it('is evaluated by the market state on every trade of a watched symbol', () => {
    const engine = new AlertEngine();
    engine.setRules([above]);
    const state = new MarketState(engine);
    for (const p of [71000, 72500, 72600]) state.applyTrade(tradeOf('005930', p), 0, 0);
    const { alerts } = state.takeChanges();
    assert.deepEqual(
      alerts.map((a) => [a.ruleId, a.price, a.rate, a.time]),
      [['a', 72500, -0.14, '093354']],
    );
    assert.deepEqual(state.takeChanges().alerts, []);
  });
});
