import assert from 'node:assert/strict';
import { diffSubscriptions, planSubscriptions, registrationKey } from '../../../src/feed/plan/subscriptionPlan';

const codes = (n: number): string[] => Array.from({ length: n }, (_, i) => String(100000 + i));
const count = (plan: { trId: string }[], trId: string): number => plan.filter((s) => s.trId === trId).length;

describe('subscriptionPlan', () => {
  it('registers trades and books for a small watchlist, trades first', () => {
    const plan = planSubscriptions(['005930', '000660']);
    assert.deepEqual(
      plan.map((s) => registrationKey(s.trId, s.trKey)),
      ['H0STCNT0:005930', 'H0STCNT0:000660', 'H0STASP0:005930', 'H0STASP0:000660'],
    );
  });

  it('never exceeds the 41 budget: books fill what trades leave', () => {
    for (const [n, books] of [
      [20, 20],
      [21, 20],
      [30, 11],
      [41, 0],
    ] as const) {
      const plan = planSubscriptions(codes(n));
      assert.equal(count(plan, 'H0STCNT0'), n, `${n} trades`);
      assert.equal(count(plan, 'H0STASP0'), books, `${n} symbols → ${books} books`);
      assert.ok(plan.length <= 41);
    }
    assert.equal(planSubscriptions(codes(45)).length, 41, 'symbols beyond the budget get nothing');
  });

  it('gives the preferred symbol the first book', () => {
    const list = codes(40);
    const plan = planSubscriptions(list, 41, list[39]);
    assert.deepEqual(
      plan.filter((s) => s.trId === 'H0STASP0').map((s) => s.trKey),
      [list[39]],
    );
    assert.equal(count(planSubscriptions(list, 41, '999999'), 'H0STASP0'), 1, 'an unlisted preference is ignored');
  });

  it('diffs current registrations against the plan', () => {
    const current = planSubscriptions(['005930', '000660']);
    const target = planSubscriptions(['000660', '035420']);
    const { release, register } = diffSubscriptions(current, target);
    assert.deepEqual(
      release.map((s) => registrationKey(s.trId, s.trKey)),
      ['H0STCNT0:005930', 'H0STASP0:005930'],
    );
    assert.deepEqual(
      register.map((s) => registrationKey(s.trId, s.trKey)),
      ['H0STCNT0:035420', 'H0STASP0:035420'],
    );
  });
});

describe('subscription plan: indices and US stocks share the budget', () => {
  it('subscribes an index with H0UPCNT0 (no book) and a US key with HDFSCNT0 + HDFSASP0', () => {
    const plan = planSubscriptions(['0001', 'DNASAAPL', '005930'], 41);
    assert.deepEqual(
      plan.map((s) => registrationKey(s.trId, s.trKey)),
      ['H0UPCNT0:0001', 'HDFSCNT0:DNASAAPL', 'H0STCNT0:005930', 'HDFSASP0:DNASAAPL', 'H0STASP0:005930'],
    );
  });

  it('counts index and US registrations against the 41', () => {
    const symbols = ['0001', '1001', '2001', 'DNASAAPL', 'DNASNVDA', ...codes(36)];
    const plan = planSubscriptions(symbols);
    assert.equal(plan.length, 41);
    assert.equal(count(plan, 'H0UPCNT0'), 3);
    assert.equal(count(plan, 'HDFSCNT0'), 2);
    assert.equal(count(plan, 'H0STCNT0'), 36);
  });
});
