import { strict as assert } from 'node:assert';
import { AppkeyHolds } from '../../../src/agent';

describe('AppkeyHolds (OPSP8996 holds per app key)', () => {
  it('holds a key until the given time, and only that key', () => {
    const holds = new AppkeyHolds();
    holds.hold('KEY-A', 20_000);
    assert.equal(holds.remainingMs('KEY-A', 5_000), 15_000);
    assert.equal(holds.remainingMs('KEY-B', 5_000), 0);
    assert.equal(holds.remainingMs('KEY-A', 20_000), 0, 'over at its end');
    assert.equal(holds.remainingMs('KEY-A', 5_000), 0, 'and forgotten once over');
  });

  it('a later hold extends; an earlier one never shortens', () => {
    const holds = new AppkeyHolds();
    holds.hold('KEY-A', 20_000);
    holds.hold('KEY-A', 10_000);
    assert.equal(holds.remainingMs('KEY-A', 0), 20_000);
    holds.hold('KEY-A', 30_000);
    assert.equal(holds.remainingMs('KEY-A', 0), 30_000);
  });
});
