import * as assert from 'node:assert/strict';
import { BACKOFF_DEFAULTS, BackoffSchedule, nextDelay } from '../../../src/agent/backoff';

/** A deterministic random source cycling through `values`. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('agent backoff', () => {
  it('draws a full-jitter delay in [0, min(cap, base * 2^attempt))', () => {
    assert.equal(
      nextDelay(0, {}, () => 0),
      0,
    );
    assert.equal(
      nextDelay(0, {}, () => 0.5),
      125,
    );
    assert.equal(
      nextDelay(3, {}, () => 0.5),
      1000,
    );
    assert.equal(
      nextDelay(3, { baseMs: 100 }, () => 0.999),
      799,
    );
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    for (const attempt of [7, 8, 20, 1100, Number.MAX_SAFE_INTEGER]) {
      const delay = nextDelay(attempt, {}, () => 0.999999);
      assert.ok(delay < BACKOFF_DEFAULTS.capMs, `attempt ${attempt}: ${delay}`);
      assert.ok(delay > BACKOFF_DEFAULTS.capMs * 0.99, `attempt ${attempt} reaches the cap: ${delay}`);
    }
    assert.equal(
      nextDelay(10, { baseMs: 1000, capMs: 5000 }, () => 0.5),
      2500,
    );
  });

  it('treats a broken random source (NaN, 1, negative) as 0 rather than leaving the bounds', () => {
    for (const bad of [Number.NaN, 1, -0.5, 7])
      assert.equal(
        nextDelay(4, {}, () => bad),
        0,
      );
  });

  it('uses fresh jitter on every attempt (the draws differ, all within bounds)', () => {
    const delays = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = nextDelay(6, {});
      assert.ok(d >= 0 && d < 250 * 64, `${d}`);
      delays.add(d);
    }
    assert.ok(delays.size > 10, `expected varied delays, got ${delays.size} distinct values`);
  });

  it('grows the schedule per failed session and resets after a stable session', () => {
    const schedule = new BackoffSchedule({ baseMs: 100, capMs: 10_000, stableMs: 60_000 }, sequence(0.5));
    assert.deepEqual([schedule.next(0), schedule.next(0), schedule.next(5_000), schedule.next(0)], [50, 100, 200, 400]);
    assert.equal(schedule.attempts, 4);
    assert.equal(schedule.next(60_000), 50, 'a session open for stableMs resets the attempt counter');
    assert.equal(schedule.next(0), 100);
    schedule.reset();
    assert.equal(schedule.attempts, 0);
    assert.equal(schedule.next(0), 50);
  });
});
