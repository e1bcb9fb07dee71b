import * as assert from 'node:assert/strict';
import { parseEnvelope, type EndpointSpec, type Envelope, type MarketDiv, type RestBar } from '../../../src/kis/rest';
import { barsOfDay, RestError, type BarsOfDayClient } from '../../../src/rest';

const SATURDAY_10 = Date.parse('2026-12-05T10:00:00+09:00');
const MONDAY_05 = Date.parse('2026-12-07T05:00:00+09:00');
const MONDAY_10 = Date.parse('2026-12-07T10:00:00+09:00');
const row = (date: string, time: string): Record<string, string> => ({
  stck_bsop_date: date,
  stck_cntg_hour: time,
  stck_prpr: '100',
  stck_oprc: '100',
  stck_hgpr: '100',
  stck_lwpr: '100',
  cntg_vol: '1',
  acml_tr_pbmn: '100',
});
const restBar = (date: string, time: string): RestBar => ({
  date,
  time,
  open: 100,
  high: 100,
  low: 100,
  close: 100,
  volume: 1,
});

/** Today's bars by `today`, past days' rows by date; the dates asked recorded. */
class FakeClient implements BarsOfDayClient {
  today: RestBar[] = [];
  past = new Map<string, Record<string, string>[]>();
  asked: string[] = [];
  async minuteBars(_symbol: string, _exchange?: MarketDiv): Promise<RestBar[]> {
    this.asked.push('today');
    return this.today;
  }
  async get<T>(_spec: EndpointSpec, query: Record<string, string>, read: (env: Envelope) => T): Promise<T> {
    this.asked.push(query.FID_INPUT_DATE_1);
    return read(parseEnvelope({ rt_cd: '0', output2: this.past.get(query.FID_INPUT_DATE_1) ?? [] }) as Envelope);
  }
  async page<T>(): Promise<{ value: T; trCont: string }> {
    throw new RestError('UNSUPPORTED', 'not here');
  }
}

describe('kis-monitor bars: a day’s minute bars', () => {
  let client: FakeClient;
  beforeEach(() => {
    client = new FakeClient();
    client.past.set('20261204', [row('20261204', '153000'), row('20261204', '090000')]);
  });

  it('without a date on a Saturday: Friday’s bars (not asking Saturday’s)', async () => {
    const out = await barsOfDay(client, '005930', 'J', SATURDAY_10);
    assert.deepEqual(out, {
      date: '20261204',
      bars: [
        { ...restBar('20261204', '090000'), value: 100 },
        { ...restBar('20261204', '153000'), value: 100 },
      ],
    });
    assert.deepEqual(client.asked, ['20261204']);
  });

  it('without a date at 05:00 on a Monday: today has none, Friday’s over the weekend', async () => {
    const out = await barsOfDay(client, '005930', 'J', MONDAY_05);
    assert.equal('date' in out ? out.date : undefined, '20261204');
    assert.deepEqual(client.asked, ['today', '20261204']);
  });

  it('without a date during the session: today’s bars only', async () => {
    client.today = [restBar('20261207', '090000'), restBar('20261204', '153000')];
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10), {
      date: '20261207',
      bars: [restBar('20261207', '090000')],
    });
  });

  it('with a date: that day’s bars', async () => {
    const out = await barsOfDay(client, '005930', 'J', MONDAY_10, '20261204');
    assert.equal('bars' in out ? out.bars.length : 0, 2);
  });

  it('bad input: one line and exit 2 for a malformed, future or weekend date; exit 1 for a day without bars', async () => {
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10, '2026-12-04'), {
      problem: '--date must be a calendar day as YYYYMMDD, got "2026-12-04"',
      exit: 2,
    });
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10, '20261131'), {
      problem: '--date must be a calendar day as YYYYMMDD, got "20261131"',
      exit: 2,
    });
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10, '20261208'), {
      problem: '20261208 is in the future (today is 20261207 KST)',
      exit: 2,
    });
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10, '20261205'), {
      problem: '20261205 is a Saturday: KRX does not trade',
      exit: 2,
    });
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_10, '20261203'), {
      problem: 'no minute bars of 005930 on 20261203 (a holiday, before the open, or older than KIS keeps)',
      exit: 1,
    });
    assert.deepEqual(client.asked, ['20261203'], 'only the well-formed past weekday is asked');
  });

  it('nothing in ten days: exit 1 with one line', async () => {
    client.past.clear();
    assert.deepEqual(await barsOfDay(client, '005930', 'J', MONDAY_05), {
      problem: 'no minute bars of 005930 in the last 10 days',
      exit: 1,
    });
  });
});
