import assert from 'node:assert/strict';
import {
  HolidayCalendar,
  memoryHolidayCache,
  readStoredHolidays,
  type HolidayClient,
} from '../../../src/feed/rest/holidayCalendar';
import { marketDivFor } from '../../../src/feed/rest/restRuntime';
import { RestError } from '../../../src/rest';
import type { RestHoliday } from '../../../src/kis/rest/responses';

/** Christmas 2026 (a Friday), 10:00 KST. */
const XMAS = Date.parse('2026-12-25T10:00:00+09:00');
const DAY = 86_400_000;
const ROWS: RestHoliday[] = [
  { date: '20261224', open: true },
  { date: '20261225', open: false },
  { date: '20261226', open: false },
];

/** A client counting its chk-holiday calls; `fail` makes the next calls throw. */
function client(): HolidayClient & { calls: string[]; fail: boolean } {
  const c = {
    calls: [] as string[],
    fail: false,
    holidays: async (base: string): Promise<RestHoliday[]> => {
      c.calls.push(base);
      if (c.fail) throw new RestError('REST_DOWN', 'down');
      return ROWS;
    },
  };
  return c;
}

describe('holiday calendar (chk-holiday at most once a day, cached)', () => {
  it('asks once a day, from the KST date, and answers the session clock', async () => {
    const rest = client();
    const cache = memoryHolidayCache();
    const calendar = new HolidayCalendar(rest, cache, () => undefined);
    const provider = await calendar.refresh(XMAS);
    assert.ok(provider);
    assert.equal(provider('2026-12-25'), 'closed');
    assert.equal(provider('2026-12-24'), 'open');
    assert.equal(provider('2027-03-01'), 'unknown');
    assert.deepEqual(rest.calls, ['20261225']);
    assert.equal(await calendar.refresh(XMAS + 3_600_000), undefined, 'nothing new the same day');
    assert.deepEqual(rest.calls, ['20261225'], 'no second query the same day');
    assert.equal(cache.saved, 1);
    // 15:00 UTC on the 25th is already the 26th in Seoul: a new KST day asks again.
    assert.ok(await calendar.refresh(Date.parse('2026-12-25T15:00:00Z')));
    assert.deepEqual(rest.calls, ['20261225', '20261226']);
  });

  it('shares one query between concurrent callers', async () => {
    const rest = client();
    const calendar = new HolidayCalendar(rest, memoryHolidayCache(), () => undefined);
    const [a, b] = await Promise.all([calendar.refresh(XMAS), calendar.refresh(XMAS)]);
    assert.equal(rest.calls.length, 1);
    assert.ok(a === b);
  });

  it('answers from the cache of the same day without a request (a restart, another window)', async () => {
    const rest = client();
    const cache = memoryHolidayCache({ fetchedOn: '2026-12-25', days: ROWS });
    const provider = await new HolidayCalendar(rest, cache, () => undefined).refresh(XMAS);
    assert.equal(provider?.('2026-12-25'), 'closed');
    assert.deepEqual(rest.calls, []);
  });

  it('falls back to an older cached calendar when REST fails, and waits before asking again', async () => {
    const rest = client();
    rest.fail = true;
    const warnings: string[] = [];
    const calendar = new HolidayCalendar(rest, memoryHolidayCache({ fetchedOn: '2026-12-20', days: ROWS }), (m) =>
      warnings.push(m),
    );
    const provider = await calendar.refresh(XMAS);
    assert.equal(provider?.('2026-12-25'), 'closed', 'the older calendar still knows the day');
    assert.match(warnings[0], /unavailable \(REST_DOWN\); using the one from 2026-12-20/);
    assert.equal(await calendar.refresh(XMAS + 60_000), undefined, 'no retry storm');
    assert.equal(rest.calls.length, 1);
    rest.fail = false;
    assert.ok(await calendar.refresh(XMAS + 2 * 3_600_000), 'asks again after the wait');
    assert.equal(rest.calls.length, 2);
  });

  it('has nothing to say when REST fails and nothing is cached', async () => {
    const rest = client();
    rest.fail = true;
    assert.equal(await new HolidayCalendar(rest, memoryHolidayCache(), () => undefined).refresh(XMAS + DAY), undefined);
  });

  it('ignores a cached value of the wrong shape (storage is untrusted)', () => {
    assert.equal(readStoredHolidays(undefined), undefined);
    assert.equal(readStoredHolidays({ fetchedOn: 'yesterday', days: [] }), undefined);
    assert.equal(readStoredHolidays({ fetchedOn: '2026-12-25', days: [{ date: '20261225', open: 'N' }] }), undefined);
    assert.deepEqual(readStoredHolidays({ fetchedOn: '2026-12-25', days: ROWS }), {
      fetchedOn: '2026-12-25',
      days: ROWS,
    });
  });
});

describe('REST exchange code', () => {
  it('maps the exchange setting to J / NX / UN, and paper to J', () => {
    assert.equal(marketDivFor('krx', 'real'), 'J');
    assert.equal(marketDivFor('nxt', 'real'), 'NX');
    assert.equal(marketDivFor('unified', 'simulator'), 'UN');
    assert.equal(marketDivFor('unified', 'paper'), 'J');
    assert.equal(marketDivFor('nxt', 'paper'), 'J');
  });
});
