/**
 * The phase boundaries the user lives by, stated as literal KST times (from the sources cited in
 * src/market/phases.ts: X4-NXT and the KRX notice of 2026-09-09 for 20:00, the KRX rules for 15:20),
 * never read from the table under test: moving a row's end in the table must fail here.
 */
import * as assert from 'node:assert/strict';
import { sessionAt } from '../../../src/market/sessionClock';

/** Epoch ms of a KST wall-clock time on Monday 2026-12-07 (a weekday after the KRX after-market began). */
function kst(hh: number, mm: number, ss = 0, ms = 0): number {
  return Date.UTC(2026, 11, 7, hh - 9, mm, ss, ms);
}

describe('trading phase boundaries at literal times', () => {
  it('NXT: after-market through 19:59:59.999, closed at 20:00', () => {
    assert.equal(sessionAt(kst(19, 59)).nxt.phase, 'after-market');
    assert.equal(sessionAt(kst(19, 59, 59, 999)).nxt.phase, 'after-market');
    assert.equal(sessionAt(kst(20, 0)).nxt.phase, 'closed');
  });

  it('KRX: after-market through 19:59:59.999, closed at 20:00', () => {
    assert.equal(sessionAt(kst(19, 59, 59, 999)).krx.phase, 'after-market');
    assert.equal(sessionAt(kst(20, 0)).krx.phase, 'closed');
  });

  it('KRX: regular session through 15:19:59.999, closing auction at 15:20', () => {
    assert.equal(sessionAt(kst(15, 19)).krx.phase, 'regular');
    assert.equal(sessionAt(kst(15, 19, 59, 999)).krx.phase, 'regular');
    assert.equal(sessionAt(kst(15, 20)).krx.phase, 'closing-auction');
  });

  it('KRX: opening auction through 08:59:59.999, regular at 09:00; NXT pre-market from 08:00', () => {
    assert.equal(sessionAt(kst(8, 59, 59, 999)).krx.phase, 'opening-auction');
    assert.equal(sessionAt(kst(9, 0)).krx.phase, 'regular');
    assert.equal(sessionAt(kst(7, 59, 59, 999)).nxt.phase, 'closed');
    assert.equal(sessionAt(kst(8, 0)).nxt.phase, 'pre-market');
  });
});
