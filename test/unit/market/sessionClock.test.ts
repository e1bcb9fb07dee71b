import * as assert from 'node:assert/strict';
import { PHASE_TABLE } from '../../../src/market/phases';
import {
  kstParts,
  registrationsFor,
  sessionAt,
  silenceExpected,
  streamingTrs,
  venuePhaseAt,
  type HolidayProvider,
} from '../../../src/market/sessionClock';

/** Monday 2026-12-07 at hh:mm KST (epoch ms). */
const mon = (hhmm: string, day = '2026-12-07'): number => Date.parse(`${day}T${hhmm}:00+09:00`);
const sorted = (s: Set<string>): string[] => [...s].sort();

describe('market/sessionClock', () => {
  it('works in KST whatever the instant is written in', () => {
    assert.deepEqual(kstParts(Date.parse('2026-12-06T23:40:00Z')), {
      date: '2026-12-07',
      weekday: 1,
      minute: 8 * 60 + 40,
      dayStart: Date.parse('2026-12-07T00:00:00+09:00'),
    });
  });

  it('08:40 weekday: KRX opening auction, NXT closed until 09:00 is not — NXT pre-market until 08:50', () => {
    const s = sessionAt(mon('08:40'));
    assert.equal(s.krx.phase, 'opening-auction');
    assert.equal(s.nxt.phase, 'pre-market');
    assert.equal(s.nxt.until, mon('08:50'));
    assert.equal(s.nextChangeAt, mon('08:50'));
    assert.equal(s.words, 'KRX opening auction, NXT pre-market (holiday calendar unknown)');
    assert.deepEqual(sorted(streamingTrs(s)), [
      'H0NXASP0',
      'H0NXCNT0',
      'H0STANC0',
      'H0STASP0',
      'H0UNANC0',
      'H0UNASP0',
      'H0UNCNT0',
    ]);
    assert.equal(silenceExpected(s, 'H0STCNT0'), true);
    assert.equal(silenceExpected(s, 'H0STMKO0'), true);
    assert.deepEqual(registrationsFor(s, 'unified', false).trIds, ['H0UNCNT0', 'H0UNASP0', 'H0UNANC0', 'H0STMKO0']);
    assert.deepEqual(registrationsFor(s, 'krx', false).trIds, ['H0STCNT0', 'H0STASP0', 'H0STANC0', 'H0STMKO0']);
    assert.deepEqual(registrationsFor(s, 'nxt', false).trIds, ['H0NXCNT0', 'H0NXASP0', 'H0NXMKO0']);
  });

  it('11:00 weekday: both regular; trades and books stream, expected execution is silent', () => {
    const s = sessionAt(mon('11:00'), () => 'open');
    assert.equal(s.day, 'trading');
    assert.equal(s.words, 'KRX regular session, NXT regular session');
    assert.deepEqual(sorted(streamingTrs(s)), ['H0NXASP0', 'H0NXCNT0', 'H0STASP0', 'H0STCNT0', 'H0UNASP0', 'H0UNCNT0']);
    assert.equal(s.krx.next, 'closing-auction');
    assert.equal(s.nxt.next, 'closed');
    assert.deepEqual(registrationsFor(s, 'unified', false).trIds, ['H0UNCNT0', 'H0UNASP0', 'H0STMKO0']);
  });

  it('15:25 weekday: KRX closing auction, NXT in its 15:20–15:30 break', () => {
    const s = sessionAt(mon('15:25'), () => 'open');
    assert.equal(s.krx.phase, 'closing-auction');
    assert.equal(s.nxt.phase, 'closed');
    assert.equal(s.nxt.next, 'after-market');
    assert.equal(s.words, 'KRX closing auction');
    assert.deepEqual(sorted(streamingTrs(s)), ['H0STANC0', 'H0STASP0', 'H0UNANC0', 'H0UNASP0']);
    assert.deepEqual(registrationsFor(s, 'nxt', false).trIds, ['H0NXCNT0']);
  });

  it('17:30 weekday: KRX after-market (from 2026-09-14) and NXT after-market; before that date the single-price session', () => {
    const s = sessionAt(mon('17:30'), () => 'open');
    assert.equal(s.krx.phase, 'after-market');
    assert.equal(s.nxt.phase, 'after-market');
    assert.equal(s.krx.until, mon('20:00'));
    assert.ok(streamingTrs(s).has('H0STCNT0'));
    const old = sessionAt(mon('17:30', '2026-09-11'), () => 'open');
    assert.equal(old.krx.phase, 'after-hours-single');
    assert.equal(silenceExpected(old, 'H0STCNT0'), true);
    assert.equal(silenceExpected(old, 'H0NXCNT0'), false);
  });

  it('Saturday noon: closed until Mon 08:00, nothing streams, only the trade TR stays registered', () => {
    const s = sessionAt(Date.parse('2026-12-12T12:00:00+09:00'));
    assert.equal(s.day, 'weekend');
    assert.equal(s.words, 'closed until Mon 08:00');
    assert.equal(s.nextChangeAt, Date.parse('2026-12-14T08:00:00+09:00'));
    assert.equal(s.krx.since, Date.parse('2026-12-11T20:00:00+09:00'));
    assert.equal(streamingTrs(s).size, 0);
    assert.deepEqual(registrationsFor(s, 'unified', false).trIds, ['H0UNCNT0']);
  });

  it('a holiday is closed all day and the next phase skips it', () => {
    const holidays: HolidayProvider = (d) => (d === '2026-12-14' ? 'closed' : 'open');
    const s = sessionAt(Date.parse('2026-12-12T12:00:00+09:00'), holidays);
    assert.equal(s.words, 'closed until Tue 08:00');
    const h = sessionAt(mon('11:00', '2026-12-14'), holidays);
    assert.equal(h.day, 'holiday');
    assert.equal(h.krx.phase, 'closed');
  });

  it('paper uses the KRX trade and book only, and says why', () => {
    const s = sessionAt(mon('08:40'));
    const r = registrationsFor(s, 'unified', true);
    assert.deepEqual(r, {
      choice: 'krx',
      reason: 'the paper server serves only the KRX trade and book TRs',
      trIds: ['H0STCNT0', 'H0STASP0'],
    });
    assert.equal(registrationsFor(s, 'krx', true).reason, undefined);
  });

  it('unified status comes from NXT when only NXT trades', () => {
    const s = sessionAt(mon('19:00', '2026-09-11'), () => 'open');
    assert.deepEqual(registrationsFor(s, 'unified', false).trIds, ['H0UNCNT0', 'H0UNASP0', 'H0NXMKO0']);
  });

  it('changes phase exactly at every boundary of the table', () => {
    for (const row of PHASE_TABLE) {
      const day = row.from ?? (row.until !== undefined ? '2026-09-11' : '2026-12-07');
      const date = new Date(`${day}T12:00:00+09:00`).getUTCDay() === 0 ? day : day;
      const start = Date.parse(`${date}T${row.start}:00+09:00`);
      const end = Date.parse(`${date}T${row.end}:00+09:00`);
      assert.equal(venuePhaseAt(row.venue, start).phase, row.phase, `${row.venue} ${row.phase} at ${row.start}`);
      assert.equal(
        venuePhaseAt(row.venue, end - 1).phase,
        row.phase,
        `${row.venue} ${row.phase} just before ${row.end}`,
      );
      assert.notEqual(venuePhaseAt(row.venue, start - 1).phase, row.phase, `${row.venue} before ${row.start}`);
      assert.notEqual(venuePhaseAt(row.venue, end).phase, row.phase, `${row.venue} at ${row.end}`);
      assert.equal(venuePhaseAt(row.venue, start).until, end);
    }
  });

  it('says the next change across a closed gap and the chain of adjacent phases', () => {
    const krx = venuePhaseAt('KRX', mon('15:35'));
    assert.deepEqual(
      [krx.phase, krx.until, krx.next, krx.since],
      ['closed', mon('15:40'), 'after-hours-close', mon('15:30')],
    );
    const night = sessionAt(mon('22:00'));
    assert.equal(night.words, 'closed until Tue 08:00 (holiday calendar unknown)');
  });
});
