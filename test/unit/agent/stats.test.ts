import * as assert from 'node:assert/strict';
import { percentile, RateWindow, SampleWindow } from '../../../src/agent/stats';

describe('agent stats windows', () => {
  it('percentile uses the nearest rank of an ascending list', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile(values, 0), 1);
    assert.equal(percentile([5], 99), 5);
    assert.equal(percentile([], 50), undefined);
    assert.equal(percentile([1, 2, 3], 250), 3, 'p is clamped to 100');
  });

  it('RateWindow reports the last complete second and the 10-second average', () => {
    const rate = new RateWindow(10);
    const t0 = 1_700_000_000_000;
    for (let s = 0; s < 10; s++) rate.add(t0 + s * 1000 + 10, 10 * (s + 1));
    const now = t0 + 10 * 1000 + 500;
    assert.equal(rate.perSecond(now, 1), 100, 'the previous complete second held 100');
    assert.equal(rate.perSecond(now, 10), 55, '(10+20+...+100)/10');
    rate.add(now);
    assert.equal(rate.perSecond(now, 1), 100, 'the current partial second is not counted yet');
  });

  it('RateWindow forgets buckets from an earlier lap of the ring', () => {
    const rate = new RateWindow(10);
    const t0 = 1_700_000_000_000;
    rate.add(t0, 500);
    assert.equal(rate.perSecond(t0 + 1000, 1), 500);
    assert.equal(rate.perSecond(t0 + 11_000, 1), 0, 'the bucket 11 s ago shares a slot but is stale');
    assert.equal(rate.perSecond(t0 + 60_000, 10), 0);
    rate.add(t0 + 11_000, 3);
    assert.equal(rate.perSecond(t0 + 12_000, 1), 3);
  });

  it('SampleWindow keeps only the last `capacity` samples', () => {
    const window = new SampleWindow(4);
    assert.deepEqual(window.percentiles(50, 99), [undefined, undefined]);
    for (const v of [100, 100, 100, 1, 2, 3, 4]) window.add(v);
    assert.equal(window.size, 4);
    assert.deepEqual(window.percentiles(50, 99), [2, 4]);
  });
});
