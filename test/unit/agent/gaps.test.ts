import { strict as assert } from 'node:assert';
import { GapTracker } from '../../../src/agent/gaps';

describe('GapTracker', () => {
  const a = { trId: 'H0STCNT0', trKey: '005930' };
  const b = { trId: 'H0STASP0', trKey: '005930' };

  it('opens a gap per lost subscription and closes it on resubscribe with the exact interval', () => {
    const gaps = new GapTracker();
    gaps.sessionLost([a, b], 1000, 'Connection closed (code 1006)');
    assert.deepEqual(gaps.openGaps(), [
      { ...a, from: 1000, reason: 'Connection closed (code 1006)' },
      { ...b, from: 1000, reason: 'Connection closed (code 1006)' },
    ]);
    assert.deepEqual(gaps.resubscribed(a.trId, a.trKey, 1500), {
      ...a,
      from: 1000,
      to: 1500,
      reason: 'Connection closed (code 1006)',
    });
    assert.equal(gaps.resubscribed(a.trId, a.trKey, 1600), undefined, 'a gap closes once');
    assert.equal(gaps.closed, 1);
    assert.deepEqual(
      gaps.openGaps().map((g) => g.trId),
      ['H0STASP0'],
    );
  });

  it('a second loss before the resubscribe keeps the earlier start', () => {
    const gaps = new GapTracker();
    gaps.sessionLost([a], 1000, 'first');
    gaps.sessionLost([a], 2000, 'second');
    assert.deepEqual(gaps.resubscribed(a.trId, a.trKey, 3000), { ...a, from: 1000, to: 3000, reason: 'first' });
  });

  it('forget and clearOpen drop open gaps without counting them', () => {
    const gaps = new GapTracker();
    gaps.sessionLost([a, b], 1000, 'x');
    gaps.forget(a.trId, a.trKey);
    assert.equal(gaps.resubscribed(a.trId, a.trKey, 2000), undefined);
    gaps.clearOpen();
    assert.equal(gaps.resubscribed(b.trId, b.trKey, 2000), undefined);
    assert.equal(gaps.closed, 0);
    assert.deepEqual(gaps.recent(), []);
  });

  it('keeps only the newest 50 closed gaps', () => {
    const gaps = new GapTracker();
    for (let i = 0; i < 60; i++) {
      gaps.sessionLost([a], i, 'x');
      gaps.resubscribed(a.trId, a.trKey, i + 1);
    }
    assert.equal(gaps.closed, 60);
    const recent = gaps.recent();
    assert.equal(recent.length, 50);
    assert.equal(recent[0].from, 10);
    assert.equal(recent[49].from, 59);
  });
});
