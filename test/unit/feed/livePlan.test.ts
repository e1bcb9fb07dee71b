import * as assert from 'node:assert/strict';
import { planLive, tradeOnly } from '../../../src/feed/plan/livePlan';
import { BOOK_TR, SESSION_BUDGET, TRADE_TR, diffSubscriptions } from '../../../src/feed/plan/subscriptionPlan';

const codes = (n: number): string[] => Array.from({ length: n }, (_, i) => String(100000 + i * 10).padStart(6, '0'));

describe('planLive', () => {
  it('streams the first 41 registrations of 100 symbols and refreshes the other 59 by REST', () => {
    const symbols = codes(100);
    const plan = planLive({ symbols, budget: SESSION_BUDGET });
    assert.equal(plan.registrations.length, 41);
    assert.deepEqual(plan.live, symbols.slice(0, 41));
    assert.deepEqual(plan.rest, symbols.slice(41));
    assert.ok(plan.registrations.every((r) => r.trId === TRADE_TR));
  });

  it('puts the focused symbol first, then pinned ones, then the watchlist order', () => {
    const symbols = codes(10);
    const plan = planLive({ symbols, budget: 3, focused: symbols[9], pinned: new Set([symbols[7]]) });
    assert.deepEqual(plan.live, [symbols[0], symbols[7], symbols[9]]);
    assert.deepEqual(
      plan.registrations.map((r) => r.trKey),
      [symbols[9], symbols[7], symbols[0]],
    );
    assert.equal(plan.rest.length, 7);
  });

  it('budgets registrations, not symbols, and skips a symbol that does not fit whole', () => {
    const symbols = codes(4);
    const regs = (s: string) =>
      s === symbols[0]
        ? [
            { trId: TRADE_TR, trKey: s },
            { trId: BOOK_TR, trKey: s },
            { trId: 'H0STANC0', trKey: s },
          ]
        : tradeOnly(s);
    const plan = planLive({ symbols, budget: 4, focused: symbols[1], registrationsFor: regs });
    // focused (1) + symbols[0] (3) = 4: the budget is spent.
    assert.deepEqual(plan.live, [symbols[0], symbols[1]]);
    assert.equal(plan.registrations.length, 4);
    const tight = planLive({ symbols, budget: 3, focused: symbols[1], registrationsFor: regs });
    assert.deepEqual(tight.live, [symbols[1], symbols[2], symbols[3]]);
    assert.deepEqual(tight.rest, [symbols[0]]);
  });

  it('moves a symbol into the live set as one release and one register (a re-plan, not a reconnect)', () => {
    const symbols = codes(50);
    const before = planLive({ symbols, budget: SESSION_BUDGET });
    const after = planLive({ symbols, budget: SESSION_BUDGET, focused: symbols[45] });
    const diff = diffSubscriptions(before.registrations, after.registrations);
    assert.deepEqual(
      diff.release.map((r) => r.trKey),
      [symbols[40]],
    );
    assert.deepEqual(
      diff.register.map((r) => r.trKey),
      [symbols[45]],
    );
  });

  it('ignores duplicates and a focused symbol that is not on the watchlist', () => {
    const plan = planLive({ symbols: ['005930', '005930', '000660'], budget: 41, focused: '035420' });
    assert.deepEqual(plan.live, ['005930', '000660']);
    assert.deepEqual(planLive({ symbols: codes(3), budget: 0 }).live, []);
  });
});
