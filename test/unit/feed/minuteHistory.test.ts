import * as assert from 'node:assert/strict';
import type { MarketDiv, RestBar } from '../../../src/kis/rest';
import { RestError } from '../../../src/rest';
import {
  ChartHistory,
  LAST_TRADING_DAY_LOOKBACK,
  type ChartClient,
  type ChartOutcome,
} from '../../../src/feed/rest/chartHistory';
import { holidayProvider } from '../../../src/feed/rest/holidays';
import { MarketModel } from '../../../src/feed/model/readModel';
import type { Bar } from '../../../src/shared/snapshot';
import type { HolidayProvider } from '../../../src/market/sessionClock';

const SATURDAY_10 = Date.parse('2026-12-05T10:00:00+09:00');
const MONDAY_05 = Date.parse('2026-12-07T05:00:00+09:00');
const MONDAY_0905 = Date.parse('2026-12-07T09:05:00+09:00');

const restBar = (date: string, time: string, close = 100): RestBar => ({
  date,
  time,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});
/** A day's bars 09:00–09:02 (enough to tell the days apart). */
const dayBars = (date: string): RestBar[] => ['090000', '090100', '090200'].map((t) => restBar(date, t));
const dateOf = (bar: Bar): string => new Date(bar.time * 1000).toISOString().slice(0, 10).replace(/-/g, '');
const barsOf = (o: ChartOutcome): Bar[] => (o.state === 'ready' ? o.bars : []);
const dayOf = (o: ChartOutcome): string | undefined => (o.state === 'ready' ? o.day : undefined);

/** Today's bars by `today` (date → bars), past days' by `past`; every call recorded. */
class FakeClient implements ChartClient {
  today = new Map<string, RestBar[]>();
  past = new Map<string, RestBar[]>();
  index: RestBar[] = [];
  minuteCalls: string[] = [];
  dayCalls: string[] = [];
  indexCalls: { code: string; date: string }[] = [];
  fail: RestError | undefined;

  async minuteBars(_symbol: string, _exchange?: MarketDiv, _since?: string, until?: string): Promise<RestBar[]> {
    this.minuteCalls.push(until ?? '');
    if (this.fail) throw this.fail;
    return [...this.today.values()].flat();
  }
  async dailyBars(): Promise<RestBar[]> {
    return [];
  }
  async dayMinuteBars(_symbol: string, _exchange: MarketDiv, date: string): Promise<RestBar[]> {
    this.dayCalls.push(date);
    return this.past.get(date) ?? [];
  }
  async indexMinuteBars(code: string, date: string): Promise<RestBar[]> {
    this.indexCalls.push({ code, date });
    return this.index;
  }
}

describe('ChartHistory: the last trading day when today has no minute bars', () => {
  let client: FakeClient;
  let model: MarketModel;
  let now: number;
  let holidays: HolidayProvider | undefined;
  let charts: ChartHistory;

  beforeEach(() => {
    client = new FakeClient();
    model = new MarketModel();
    holidays = undefined;
    client.past.set('20261204', dayBars('20261204'));
    charts = new ChartHistory({ client, model, exchange: () => 'J', now: () => now, holidays: () => holidays });
  });

  it('Saturday 10:00: Friday’s bars labelled 20261204, without asking for Saturday’s own', async () => {
    now = SATURDAY_10;
    // A server that answers a weekend with the last day's bars under today's request is not even asked.
    client.today.set('20261205', dayBars('20261205'));
    const outcome = await charts.minute('005930');
    assert.deepEqual(client.minuteCalls, [], 'no request for a Saturday');
    assert.deepEqual(client.dayCalls, ['20261204']);
    assert.equal(dayOf(outcome), '20261204');
    assert.deepEqual(barsOf(outcome).map(dateOf), ['20261204', '20261204', '20261204']);
  });

  it('a weekday at 05:00: today is asked, has nothing, and Friday (over the weekend, not asked) is shown', async () => {
    now = MONDAY_05;
    const outcome = await charts.minute('005930');
    assert.deepEqual(client.minuteCalls, ['050000']);
    assert.deepEqual(client.dayCalls, ['20261204'], 'Sunday and Saturday are skipped without a request');
    assert.equal(dayOf(outcome), '20261204');
    assert.equal(barsOf(outcome).length, 3);
    assert.equal(charts.hasMinute('005930'), true, 'held until the open');
  });

  it('bars of another date in today’s answer are not today’s', async () => {
    now = MONDAY_05;
    client.today.set(
      '20261204',
      dayBars('20261204').map((b) => ({ ...b, time: '100000' })),
    );
    const outcome = await charts.minute('005930');
    assert.deepEqual(client.dayCalls, ['20261204'], 'Friday’s bars under today’s request do not count as today’s');
    assert.equal(dayOf(outcome), '20261204');
  });

  it('skips a day the calendar knows as closed without asking, and a day that has no bars', async () => {
    now = MONDAY_05;
    holidays = holidayProvider([{ date: '20261204', open: false }]);
    client.past.set('20261203', []);
    client.past.set('20261202', dayBars('20261202'));
    const outcome = await charts.minute('005930');
    assert.deepEqual(client.dayCalls, ['20261203', '20261202'], 'Friday is a known holiday, Thursday had no bars');
    assert.equal(dayOf(outcome), '20261202');
  });

  it('gives up after ten days back: a ready chart with no bars and no label', async () => {
    now = MONDAY_05;
    client.past.clear();
    const outcome = await charts.minute('005930');
    assert.deepEqual(outcome, { state: 'ready', bars: [] });
    assert.equal(LAST_TRADING_DAY_LOOKBACK, 10);
    // Ten calendar days back from Monday 12/07 are 11/27 … 12/06: six weekdays.
    assert.deepEqual(client.dayCalls, ['20261204', '20261203', '20261202', '20261201', '20261130', '20261127']);
  });

  it('at 09:05 today’s bars follow Friday’s in one list by time, and the label goes', async () => {
    now = MONDAY_05;
    await charts.minute('005930');
    now = MONDAY_0905;
    assert.equal(charts.hasMinute('005930'), false, 'after the open today’s bars are asked for');
    client.today.set(
      '20261207',
      ['090000', '090100', '090200', '090300', '090400'].map((t) => restBar('20261207', t, 200)),
    );
    // The live bar of 09:05 arrived meanwhile.
    const live: Bar = {
      symbol: '005930',
      time: Date.UTC(2026, 11, 7, 9, 5) / 1000,
      open: 200,
      high: 201,
      low: 199,
      close: 201,
      volume: 3,
    };
    model.applySnapshot({ quotes: [], books: [], bars: [live] });
    const outcome = await charts.minute('005930');
    assert.equal(dayOf(outcome), undefined);
    const bars = barsOf(outcome);
    assert.deepEqual(bars.map(dateOf), [
      '20261204',
      '20261204',
      '20261204',
      '20261207',
      '20261207',
      '20261207',
      '20261207',
      '20261207',
      '20261207',
    ]);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i].time > bars[i - 1].time, 'ascending, no duplicate minute');
    assert.equal(bars.at(-1)?.close, 201, 'the live bar is the last');
    assert.equal(charts.hasMinute('005930'), true);
  });

  it('a past day’s label stays on the model’s bars until a bar of a newer day joins', async () => {
    now = MONDAY_05;
    await charts.minute('005930');
    assert.equal(dayOf(await charts.minute('005930')), '20261204', 'from the model, still labelled');
    assert.equal(client.dayCalls.length, 1, 'no second request');
    model.applySnapshot({
      quotes: [],
      books: [],
      bars: [
        { symbol: '005930', time: Date.UTC(2026, 11, 7, 8, 30) / 1000, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      ],
    });
    assert.equal(dayOf(await charts.minute('005930')), undefined, 'a newer bar ends the label');
  });

  it('an index asks its own bars and is labelled by their date; a US key says it has no minute history', async () => {
    now = SATURDAY_10;
    client.index = dayBars('20261204').map((b) => ({ ...b, close: 2650.12 }));
    const index = await charts.minute('0001');
    assert.deepEqual(client.indexCalls, [{ code: '0001', date: '20261205' }]);
    assert.equal(dayOf(index), '20261204');
    assert.equal(barsOf(index)[0].close, 2650.12);
    const us = await charts.minute('DNASAAPL');
    assert.deepEqual(us, { state: 'ready', bars: [], notice: 'no-us-minutes' });
    assert.deepEqual(client.minuteCalls, []);
  });

  it('an unknown symbol or a failing server is an outcome with the code, never a throw', async () => {
    now = MONDAY_05;
    client.fail = new RestError('UNKNOWN_SYMBOL', 'no such symbol');
    assert.deepEqual(await charts.minute('999999'), { state: 'unavailable', code: 'UNKNOWN_SYMBOL' });
  });

  it('the demo (previousDay false) asks today only', async () => {
    now = MONDAY_05;
    const demo = new ChartHistory({
      client,
      model,
      exchange: () => 'J',
      now: () => now,
      since: '000000',
      previousDay: false,
    });
    assert.deepEqual(await demo.minute('005930'), { state: 'ready', bars: [] });
    assert.deepEqual(client.dayCalls, []);
  });
});
