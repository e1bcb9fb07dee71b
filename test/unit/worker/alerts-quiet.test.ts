import { strict as assert } from 'node:assert';
import type { AlertEvent, AlertRule } from '../../../src/shared/snapshot';
import { AlertEngine, type AlertInput } from '../../../src/worker/alerts';
import { MarketState } from '../../../src/worker/marketState';
import { tradeOf } from './helpers';

/** SK hynix at or above 200,000: the rule of the user who got 121 toasts in 57 s. */
const hynix: AlertRule = { id: 'hynix', symbol: '000660', kind: 'priceAbove', threshold: 200_000 };

/** A clock the test moves by hand (epoch ms). */
class FakeClock {
  ms = 1_800_000_000_000;
  readonly now = (): number => this.ms;
  advanceSeconds(s: number): void {
    this.ms += s * 1000;
  }
}

/** An engine on a fake clock with the given re-arm band (%) and cooldown (s); defaults are the settings' defaults. */
function engineOf(
  rules: AlertRule[],
  clock: FakeClock,
  quiet?: { rearmPercent: number; cooldownSeconds: number },
): AlertEngine {
  const engine = new AlertEngine(clock.now);
  if (quiet !== undefined)
    engine.setOptions({ rearmPercent: quiet.rearmPercent, cooldownMs: quiet.cooldownSeconds * 1000 });
  engine.setRules(rules);
  return engine;
}

const at = (price: number, rate = 0): AlertInput => ({
  price,
  rate,
  volumeRatio: 0,
  vi: undefined,
  time: '100000',
  at: 0,
});

/** Evaluates one price of `symbol` now; the rule ids that fired. */
function tick(engine: AlertEngine, price: number, rate = 0, symbol = '000660'): string[] {
  const out: AlertEvent[] = [];
  engine.evaluateInput(symbol, at(price, rate), out);
  return out.map((e) => e.ruleId);
}

/** A price flickering 199,900 ↔ 200,100 every 200 ms for 60 s (300 ticks); the number of firings. */
function flicker(engine: AlertEngine, clock: FakeClock): number {
  let fired = 0;
  for (let i = 0; i < 300; i++) {
    fired += tick(engine, i % 2 === 0 ? 199_900 : 200_100).length;
    clock.advanceSeconds(0.2);
  }
  return fired;
}

describe('worker alerts: re-arm band and cooldown', () => {
  it('fires exactly once for a price flickering around the threshold for 60 s, with the default settings', () => {
    const clock = new FakeClock();
    assert.equal(flicker(engineOf([hynix], clock), clock), 1);
  });

  it('the band alone (0.5 %, no cooldown) makes the flicker one crossing', () => {
    const clock = new FakeClock();
    assert.equal(flicker(engineOf([hynix], clock, { rearmPercent: 0.5, cooldownSeconds: 0 }), clock), 1);
  });

  it('the cooldown alone (no band, 300 s) allows one firing in 60 s of flicker', () => {
    const clock = new FakeClock();
    assert.equal(flicker(engineOf([hynix], clock, { rearmPercent: 0, cooldownSeconds: 300 }), clock), 1);
  });

  it('re-arms only below 200,000 × (1 − 0.005) = 199,000, then fires on the next crossing', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix], clock, { rearmPercent: 0.5, cooldownSeconds: 0 });
    assert.deepEqual(tick(engine, 200_000), ['hynix']);
    assert.deepEqual(tick(engine, 199_500), []);
    assert.deepEqual(tick(engine, 199_000), [], '199,000 itself is not past the band');
    assert.deepEqual(tick(engine, 200_500), [], 'not re-armed yet');
    assert.deepEqual(tick(engine, 198_900), []);
    assert.deepEqual(tick(engine, 200_000), ['hynix'], 'went below 199,000: re-armed');
  });

  it('holds a second firing for 300 s: none at 299 s, one at 300 s if the price is still past the threshold', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix], clock, { rearmPercent: 0.5, cooldownSeconds: 300 });
    assert.deepEqual(tick(engine, 200_100), ['hynix']);
    clock.advanceSeconds(10);
    assert.deepEqual(tick(engine, 198_000), [], 're-armed');
    clock.advanceSeconds(289); // 299 s after the firing
    assert.deepEqual(tick(engine, 200_100), [], 'within the cooldown');
    clock.advanceSeconds(1); // 300 s
    assert.deepEqual(
      tick(engine, 200_100),
      ['hynix'],
      'the cooldown is over and the price is still at or above 200,000',
    );
    clock.advanceSeconds(1000);
    assert.deepEqual(tick(engine, 200_100), [], 'one crossing, one firing');
  });

  it('does not fire at the end of the cooldown when the price went back in the meantime', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix], clock, { rearmPercent: 0.5, cooldownSeconds: 300 });
    assert.deepEqual(tick(engine, 200_100), ['hynix']);
    assert.deepEqual(tick(engine, 198_000), []);
    clock.advanceSeconds(100);
    assert.deepEqual(tick(engine, 200_100), []);
    assert.deepEqual(tick(engine, 199_500), []);
    clock.advanceSeconds(200);
    assert.deepEqual(tick(engine, 199_500), [], 'below the threshold when the cooldown ends');
    assert.deepEqual(tick(engine, 200_000), ['hynix']);
  });

  it('mirrors the band for a price-below rule: re-arms above 70,000 × 1.005 = 70,350', () => {
    const clock = new FakeClock();
    const engine = engineOf([{ id: 'low', symbol: '005930', kind: 'priceBelow', threshold: 70_000 }], clock, {
      rearmPercent: 0.5,
      cooldownSeconds: 0,
    });
    const t = (p: number): string[] => tick(engine, p, 0, '005930');
    assert.deepEqual(t(69_900), ['low']);
    assert.deepEqual(t(70_350), [], '70,350 itself is not past the band');
    assert.deepEqual(t(70_000), []);
    assert.deepEqual(t(70_400), []);
    assert.deepEqual(t(70_000), ['low']);
  });

  it('gives change-today rules a band of 0.5 percentage points: +3 % re-arms below +2.5 %, −3 % above −2.5 %', () => {
    const clock = new FakeClock();
    const engine = engineOf(
      [
        { id: 'up', symbol: '005930', kind: 'rateAbove', threshold: 3 },
        { id: 'down', symbol: '005930', kind: 'rateBelow', threshold: -3 },
      ],
      clock,
      { rearmPercent: 0.5, cooldownSeconds: 0 },
    );
    const rate = (r: number): string[] => tick(engine, 72_000, r, '005930');
    assert.deepEqual(rate(3.1), ['up']);
    assert.deepEqual(rate(2.5), [], '+2.5 % itself is not past the band');
    assert.deepEqual(rate(3.2), []);
    assert.deepEqual(rate(2.4), []);
    assert.deepEqual(rate(3), ['up']);
    assert.deepEqual(rate(-3), ['down']);
    assert.deepEqual(rate(-2.5), []);
    assert.deepEqual(rate(-3.5), []);
    assert.deepEqual(rate(-2.4), []);
    assert.deepEqual(rate(-3.1), ['down']);
  });

  it('gives volume-ratio rules the relative band: 150 % re-arms below 149.25 %', () => {
    const clock = new FakeClock();
    const engine = engineOf([{ id: 'v', symbol: '005930', kind: 'volumeRatioAbove', threshold: 150 }], clock, {
      rearmPercent: 0.5,
      cooldownSeconds: 0,
    });
    const ratio = (r: number): string[] => {
      const out: AlertEvent[] = [];
      engine.evaluateInput('005930', { ...at(72_000), volumeRatio: r }, out);
      return out.map((e) => e.ruleId);
    };
    assert.deepEqual(ratio(151), ['v']);
    assert.deepEqual(ratio(149.25), []);
    assert.deepEqual(ratio(150), []);
    assert.deepEqual(ratio(149), []);
    assert.deepEqual(ratio(150), ['v']);
  });

  it('applies a new band at once: after a change to 2 %, 198,900 no longer re-arms a 200,000 rule', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix], clock, { rearmPercent: 0.5, cooldownSeconds: 0 });
    assert.deepEqual(tick(engine, 200_000), ['hynix']);
    engine.setOptions({ rearmPercent: 2, cooldownMs: 0 });
    assert.deepEqual(tick(engine, 198_900), []);
    assert.deepEqual(tick(engine, 200_000), [], 'still waiting for 196,000');
    assert.deepEqual(tick(engine, 195_900), []);
    assert.deepEqual(tick(engine, 200_000), ['hynix']);
  });

  it('fires a once-only rule once, marks the event, and never re-arms it', () => {
    const clock = new FakeClock();
    const once: AlertRule = { ...hynix, once: true };
    const engine = engineOf([once], clock, { rearmPercent: 0.5, cooldownSeconds: 0 });
    const out: AlertEvent[] = [];
    engine.evaluateInput('000660', at(200_100), out);
    assert.deepEqual(
      out.map((e) => [e.ruleId, e.once]),
      [['hynix', true]],
    );
    assert.deepEqual(tick(engine, 190_000), []);
    clock.advanceSeconds(86_400);
    assert.deepEqual(tick(engine, 200_100), []);
    assert.deepEqual(engine.states(), [{ id: 'hynix', armed: false, firedAt: clock.ms - 86_400_000 }]);
  });

  it('does not evaluate a disabled rule, and starts a re-enabled one afresh', () => {
    const clock = new FakeClock();
    const once: AlertRule = { ...hynix, once: true };
    const engine = engineOf([once], clock);
    assert.deepEqual(tick(engine, 200_100), ['hynix']);
    engine.setRules([{ ...once, disabled: true }]);
    assert.equal(engine.watches('000660'), false);
    assert.deepEqual(engine.states(), []);
    engine.setRules([once]);
    assert.deepEqual(
      tick(engine, 200_100),
      ['hynix'],
      'turned on again by the user while the price is at or above 200,000',
    );
  });

  it('does not fire again after a restart while the price is still past the threshold, and keeps the cooldown', () => {
    const clock = new FakeClock();
    const first = engineOf([hynix], clock);
    assert.deepEqual(tick(first, 200_100), ['hynix']);
    const remembered = first.states();
    clock.advanceSeconds(5);
    const restarted = new AlertEngine(clock.now);
    restarted.setRules([hynix], remembered);
    assert.deepEqual(tick(restarted, 200_100), [], 'still at or above 200,000: the same crossing');
    assert.deepEqual(tick(restarted, 198_000), [], 're-armed');
    clock.advanceSeconds(290); // 295 s after the firing
    assert.deepEqual(tick(restarted, 200_100), [], "the first worker's cooldown still runs");
    clock.advanceSeconds(5);
    assert.deepEqual(tick(restarted, 200_100), ['hynix']);
  });

  it('ignores malformed remembered states', () => {
    const clock = new FakeClock();
    const engine = new AlertEngine(clock.now);
    engine.setRules(
      [hynix],
      [null, { id: 'hynix', armed: 'no', firedAt: 1 }, { id: 'hynix', armed: false, firedAt: Number.NaN }],
    );
    assert.deepEqual(tick(engine, 200_100), ['hynix']);
  });

  it('never fires a price-above or rate-above rule on a price of 0, and a 0 does not re-arm a fired rule', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix, { id: 'flat', symbol: '000660', kind: 'rateAbove', threshold: -5 }], clock, {
      rearmPercent: 0.5,
      cooldownSeconds: 0,
    });
    assert.deepEqual(tick(engine, 0, 0), [], 'no trade yet: a rate of 0 at a price of 0 is not "at or above −5 %"');
    assert.deepEqual(tick(engine, 200_100, 1), ['hynix', 'flat']);
    assert.deepEqual(tick(engine, 0, -100), [], 'a price of 0 is no price, not a fall below 199,000 or −5.5 %');
    assert.deepEqual(tick(engine, 200_100, 1), []);
  });

  it('counts one firing per crossing when the trades come through the market state', () => {
    const clock = new FakeClock();
    const engine = engineOf([hynix], clock);
    const state = new MarketState(engine);
    for (let i = 0; i < 300; i++) {
      state.applyTrade(tradeOf('000660', i % 2 === 0 ? 199_900 : 200_100), 0, clock.ms);
      clock.advanceSeconds(0.2);
    }
    assert.deepEqual(
      state.takeChanges().alerts.map((a) => [a.ruleId, a.price]),
      [['hynix', 200_100]],
    );
  });
});
