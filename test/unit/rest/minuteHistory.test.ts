import * as assert from 'node:assert/strict';
import {
  BodyError,
  parseEnvelope,
  parseIndexMinuteBars,
  type EndpointSpec,
  type Envelope,
} from '../../../src/kis/rest';
import { dayMinuteBars, indexMinuteBars, RestError, type MinuteHistoryClient } from '../../../src/rest';

const row = (date: string, time: string): Record<string, string> => ({
  stck_bsop_date: date,
  stck_cntg_hour: time,
  stck_prpr: '100',
  stck_oprc: '100',
  stck_hgpr: '101',
  stck_lwpr: '99',
  cntg_vol: '5',
  acml_tr_pbmn: '500',
});
const indexRow = (date: string, time: string): Record<string, string> => ({
  stck_bsop_date: date,
  stck_cntg_hour: time,
  bstp_nmix_prpr: '2650.12',
  bstp_nmix_oprc: '2649.00',
  bstp_nmix_hgpr: '2651.50',
  bstp_nmix_lwpr: '2648.75',
  cntg_vol: '1000',
  acml_tr_pbmn: '10',
});
const env = (output2: unknown): Envelope =>
  parseEnvelope({ rt_cd: '0', msg_cd: 'MCA00000', msg1: '', output2 }) as Envelope;
const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`;

/** Serves `rows` (newest first) like KIS: at or before FID_INPUT_HOUR_1, `perPage` at most; records the queries. */
class FakeKis implements MinuteHistoryClient {
  queries: Record<string, string>[] = [];
  trConts: string[] = [];
  constructor(
    private readonly rows: Record<string, string>[],
    private readonly perPage = 120,
    private readonly pages: Record<string, string>[][] = [],
  ) {}
  async get<T>(_spec: EndpointSpec, query: Record<string, string>, read: (env: Envelope) => T): Promise<T> {
    this.queries.push(query);
    return read(env(this.rows.filter((r) => r.stck_cntg_hour <= query.FID_INPUT_HOUR_1).slice(0, this.perPage)));
  }
  async page<T>(
    _spec: EndpointSpec,
    query: Record<string, string>,
    trCont: '' | 'N',
    parse: (env: Envelope) => T,
  ): Promise<{ value: T; trCont: string }> {
    this.queries.push(query);
    this.trConts.push(trCont);
    const n = this.trConts.length - 1;
    return { value: parse(env(this.pages[n] ?? [])), trCont: n < this.pages.length - 1 ? 'M' : 'D' };
  }
}

describe('minute history over REST', () => {
  it('a past day: paged backwards 120 at a time by time, deduplicated, ascending, its date only', async () => {
    // 09:00–15:30 of Friday (391 rows), newest first; the page boundary minute repeats on the next page.
    const friday = Array.from({ length: 391 }, (_, i) => row('20261204', hhmm(9 * 60 + i))).reverse();
    const kis = new FakeKis(friday);
    const bars = await dayMinuteBars(kis, '005930', 'J', '20261204');
    assert.equal(bars.length, 391);
    assert.equal(bars[0].time, '090000');
    assert.equal(bars.at(-1)?.time, '153000');
    assert.deepEqual(
      kis.queries.map((q) => q.FID_INPUT_HOUR_1),
      ['235900', '133000', '113000', '093000'],
    );
    assert.deepEqual(kis.queries[0], {
      FID_COND_MRKT_DIV_CODE: 'J',
      FID_INPUT_ISCD: '005930',
      FID_INPUT_HOUR_1: '235900',
      FID_INPUT_DATE_1: '20261204',
      FID_PW_DATA_INCU_YN: 'N',
      FID_FAKE_TICK_INCU_YN: '',
    });
  });

  it('a past day: a page reaching into an older day ends the paging, and the older rows are dropped', async () => {
    const rows = [
      ...Array.from({ length: 100 }, (_, i) => row('20261204', hhmm(9 * 60 + 99 - i))),
      ...Array.from({ length: 20 }, (_, i) => row('20261203', hhmm(15 * 60 + 30 - i))),
    ];
    const kis = new FakeKis(rows);
    const bars = await dayMinuteBars(kis, '005930', 'NX', '20261204');
    assert.equal(bars.length, 100);
    assert.ok(bars.every((b) => b.date === '20261204'));
    assert.equal(kis.queries.length, 1);
  });

  it('a past day of an unknown code is refused before any request', async () => {
    const kis = new FakeKis([]);
    await assert.rejects(
      dayMinuteBars(kis, 'ABC', 'J', '20261204'),
      (e: unknown) => e instanceof RestError && e.code === 'UNKNOWN_SYMBOL',
    );
    await assert.rejects(
      indexMinuteBars(kis, 'KOSPI', '20261204'),
      (e: unknown) => e instanceof RestError && e.code === 'UNKNOWN_SYMBOL',
    );
    assert.equal(kis.queries.length, 0);
  });

  it('an index: pages with tr_cont until a page reaches an older day, keeping the newest day at or before the date asked', async () => {
    const pages = [
      [indexRow('20261207', '090100'), indexRow('20261207', '090000'), indexRow('20261204', '153000')],
      [indexRow('20261204', '152900')],
    ];
    const saturdayKis = new FakeKis([], 120, [
      [indexRow('20261204', '153000'), indexRow('20261204', '152900')],
      [indexRow('20261204', '152800'), indexRow('20261203', '153000')],
    ]);
    const saturday = await indexMinuteBars(saturdayKis, '0001', '20261205');
    assert.deepEqual(
      saturday.map((b) => b.date + b.time),
      ['20261204152800', '20261204152900', '20261204153000'],
    );
    assert.deepEqual(saturdayKis.trConts, ['', 'N'], 'the second page is asked with tr_cont N');
    assert.deepEqual(saturdayKis.queries[0], {
      FID_COND_MRKT_DIV_CODE: 'U',
      FID_ETC_CLS_CODE: '0',
      FID_INPUT_ISCD: '0001',
      FID_INPUT_HOUR_1: '60',
      FID_PW_DATA_INCU_YN: 'Y',
    });
    const mondayKis = new FakeKis([], 120, pages);
    const monday = await indexMinuteBars(mondayKis, '0001', '20261207');
    assert.deepEqual(
      monday.map((b) => b.time),
      ['090000', '090100'],
      'today’s bars; the older day ended the paging',
    );
    assert.equal(mondayKis.trConts.length, 1);
    assert.equal(monday[0].close, 2650.12);
  });

  it('an index: the last page (tr_cont D) ends the paging', async () => {
    const kis = new FakeKis([], 120, [[indexRow('20261204', '153000')]]);
    assert.equal((await indexMinuteBars(kis, '0001', '20261205')).length, 1);
    assert.deepEqual(kis.trConts, ['']);
  });

  it('the index bar validator refuses a bar without its level, names the field, and drops padding rows', () => {
    assert.throws(
      () => parseIndexMinuteBars(env([{ ...indexRow('20261204', '153000'), bstp_nmix_prpr: 'n/a' }])),
      (e: unknown) => e instanceof BodyError && e.field === 'bstp_nmix_prpr',
    );
    assert.throws(
      () => parseIndexMinuteBars(env([{ ...indexRow('20261204', '1530') }])),
      (e: unknown) => e instanceof BodyError && e.field === 'stck_cntg_hour',
    );
    assert.throws(
      () => parseIndexMinuteBars(env({})),
      (e: unknown) => e instanceof BodyError && e.field === 'output2',
    );
    const empty = Object.fromEntries(Object.keys(indexRow('', '')).map((k) => [k, '']));
    assert.equal(parseIndexMinuteBars(env([indexRow('20261204', '153000'), empty])).length, 1);
  });
});
