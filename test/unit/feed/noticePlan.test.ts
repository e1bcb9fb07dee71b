import { strict as assert } from 'node:assert';
import { describePlan } from '../../../src/feed/plan/dayPlan';
import { planWatchlist } from '../../../src/feed/plan/livePlan';
import { isNoticeRegistration, noticeRegistrations } from '../../../src/feed/plan/noticePlan';

/** Fifty KRX codes: more than the budget can hold. */
const MANY = Array.from({ length: 50 }, (_, i) => String(100000 + i * 10).padStart(6, '0'));

describe('execution-notice registrations', () => {
  it('take the domestic TR of the source, keyed by the HTS ID: H0STCNI0 real, H0STCNI9 paper and simulator', () => {
    assert.deepEqual(noticeRegistrations('real', 'myhts01', ['005930']), [{ trId: 'H0STCNI0', trKey: 'myhts01' }]);
    assert.deepEqual(noticeRegistrations('paper', 'myhts01', ['005930']), [{ trId: 'H0STCNI9', trKey: 'myhts01' }]);
    assert.deepEqual(noticeRegistrations('simulator', 'myhts01', []), [{ trId: 'H0STCNI9', trKey: 'myhts01' }]);
  });

  it('add the overseas TR while the watchlist holds a US symbol', () => {
    assert.deepEqual(
      noticeRegistrations('real', 'myhts01', ['005930', 'DNASAAPL']).map((r) => r.trId),
      ['H0STCNI0', 'H0GSCNI0'],
    );
    assert.deepEqual(
      noticeRegistrations('paper', 'myhts01', ['DNASAAPL']).map((r) => r.trId),
      ['H0STCNI9', 'H0GSCNI9'],
    );
  });

  it('are none without an HTS ID, with a blank one, or on a replay', () => {
    assert.deepEqual(noticeRegistrations('real', undefined, ['005930']), []);
    assert.deepEqual(noticeRegistrations('real', '  ', ['005930']), []);
    assert.deepEqual(noticeRegistrations('replay', 'myhts01', ['005930']), []);
    assert.equal(isNoticeRegistration({ trId: 'H0GSCNI9' }), true);
    assert.equal(isNoticeRegistration({ trId: 'H0STCNT0' }), false);
  });

  it('come first in the plan and take their share of the 41 registrations', () => {
    const notices = noticeRegistrations('real', 'myhts01', MANY);
    const plan = planWatchlist({ symbols: MANY, budget: 41, notices });
    assert.equal(plan.registrations.length, 41);
    assert.deepEqual(plan.registrations[0], { trId: 'H0STCNI0', trKey: 'myhts01' });
    assert.equal(plan.live.length, 40, 'one symbol fewer is live');
    assert.equal(plan.rest.length, 10);
    const without = planWatchlist({ symbols: MANY, budget: 41 });
    assert.equal(without.live.length, 41, 'without an HTS ID nothing changes');
  });

  it('stay on a closed day, alone', () => {
    const notices = noticeRegistrations('paper', 'myhts01', ['005930']);
    const plan = planWatchlist({ symbols: ['005930'], budget: 41, notices, closedDay: true });
    assert.deepEqual(plan.registrations, notices);
    assert.deepEqual(plan.rest, ['005930']);
  });

  it('are listed first in Connection Details without the HTS ID itself', () => {
    const notices = noticeRegistrations('real', 'myhts01', ['005930', 'DNASAAPL']);
    const lines = describePlan(planWatchlist({ symbols: ['005930'], budget: 41, notices }).registrations);
    assert.deepEqual(lines.slice(0, 2), ['H0STCNI0 ×1: HTS ID', 'H0GSCNI0 ×1: HTS ID']);
    assert.ok(!lines.join('\n').includes('myhts01'));
  });
});
