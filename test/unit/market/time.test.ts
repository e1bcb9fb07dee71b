/**
 * Seoul time, the helpers every KST computation goes through. Instants are written as literal ISO
 * strings with their offset, never built from the module under test.
 */
import * as assert from 'node:assert/strict';
import {
  formatKstHourMinute,
  isKstTimezoneOffset,
  kstInstant,
  kstMidnight,
  kstMinuteOfDay,
  kstWeekday,
} from '../../../src/market/time';
import { KRX_DAY_SESSION_MINUTES, KRX_OPEN_HHMMSS, minuteOfDay } from '../../../src/market/phases';

describe('market time helpers', () => {
  it('reads the Seoul minute of the day and the weekday across the UTC date line', () => {
    assert.equal(kstMinuteOfDay(Date.parse('2026-12-06T23:40:00Z')), 8 * 60 + 40, '08:40 KST on Monday');
    assert.equal(kstWeekday(Date.parse('2026-12-06T23:40:00Z')), 1, 'Sunday in UTC is Monday in Seoul');
    assert.equal(kstMinuteOfDay(Date.parse('2026-12-07T14:59:00Z')), 23 * 60 + 59);
    assert.equal(kstMinuteOfDay(Date.parse('2026-12-07T15:00:00Z')), 0, 'the Seoul day turns at 15:00 UTC');
    assert.equal(kstWeekday(Date.parse('2026-12-12T15:00:00Z')), 0, 'Saturday 15:00 UTC is Sunday in Seoul');
  });

  it('formats the Seoul wall clock as HH:MM', () => {
    assert.equal(formatKstHourMinute(Date.parse('2026-12-07T08:00:00+09:00')), '08:00');
    assert.equal(formatKstHourMinute(Date.parse('2026-12-07T23:58:07+09:00')), '23:58', 'the seconds dropped');
    assert.equal(formatKstHourMinute(Date.parse('2026-12-07T00:30:00Z')), '09:30');
  });

  it('floors to the Seoul midnight, before 1970 too', () => {
    assert.equal(kstMidnight(Date.parse('1969-12-31T12:00:00+09:00')), Date.parse('1969-12-31T00:00:00+09:00'));
    assert.equal(kstMidnight(Date.parse('1970-01-01T08:59:59+09:00')), Date.parse('1970-01-01T00:00:00+09:00'));
  });

  it('knows a machine in Seoul by its getTimezoneOffset() of -540', () => {
    assert.equal(isKstTimezoneOffset(-540), true);
    assert.equal(isKstTimezoneOffset(540), false);
    assert.equal(isKstTimezoneOffset(0), false);
    assert.equal(isKstTimezoneOffset(-600), false, 'Sydney standard time');
  });

  it('turns a KST business date and time into the instant', () => {
    assert.equal(kstInstant('20261207', '090000'), Date.parse('2026-12-07T00:00:00Z'));
    assert.equal(
      kstInstant('20261207', '083059'),
      Date.parse('2026-12-06T23:30:59Z'),
      'before 09:00 KST is the UTC day before',
    );
    assert.equal(kstInstant('20261231', '235959'), Date.parse('2026-12-31T14:59:59Z'));
    assert.equal(
      kstInstant('20261207', '240000'),
      Date.parse('2026-12-08T00:00:00+09:00'),
      '24:00:00 is the next midnight',
    );
  });

  it('answers undefined for a malformed or out-of-range date or time, as an ISO parser would', () => {
    for (const [date, time] of [
      ['', '090000'],
      ['2026127', '090000'],
      ['20261207', '9'],
      ['20261207', '09000a'],
      ['20261307', '090000'],
      ['20260007', '090000'],
      ['20261200', '090000'],
      ['20261232', '090000'],
      ['20261207', '250000'],
      ['20261207', '240001'],
      ['20261207', '096000'],
      ['20261207', '090060'],
    ]) {
      assert.equal(kstInstant(date, time), undefined, `${date} ${time}`);
      const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}+09:00`;
      assert.ok(Number.isNaN(Date.parse(iso)), `Date.parse agrees on ${iso}`);
    }
  });
});

describe('trading hours derived from the phase table', () => {
  it('the KRX day session runs 09:00 to 15:30 KST', () => {
    assert.deepEqual(KRX_DAY_SESSION_MINUTES, { open: 540, close: 930 });
    assert.equal(KRX_OPEN_HHMMSS, '090000');
  });

  it('reads a table time as minutes after midnight', () => {
    assert.equal(minuteOfDay('00:00'), 0);
    assert.equal(minuteOfDay('15:30'), 930);
    assert.equal(minuteOfDay('20:00'), 1200);
  });
});
