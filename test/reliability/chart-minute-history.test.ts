/**
 * The 1m chart at any hour against the real simulator (calendar mode, port 0, a simulated clock the
 * test moves): on a Saturday and before a weekday's open the chart is the last trading day's minute bars,
 * labelled with its date; at 09:05 today's bars follow them with no seam; KOSPI has minute bars; no bar
 * is dated on a closed day; bad input ends in an outcome, never a throw.
 */
import * as assert from 'node:assert/strict';
import { ChartHistory, type ChartOutcome } from '../../src/feed/rest/chartHistory';
import { chartClientOf } from '../../src/feed/rest/restRuntime';
import { MarketModel } from '../../src/feed/model/readModel';
import { holidayProvider } from '../../src/feed/rest/holidays';
import { dayMinuteBars, indexPrice, KisRestClient } from '../../src/rest';
import { KisSimulator } from '../../src/simulator';
import type { Bar } from '../../src/shared/snapshot';
import { Fixture } from './simulator/harness';

const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;
const SYMBOL = '005930';
const SATURDAY_10 = Date.parse('2026-12-05T10:00:00+09:00');
const MONDAY_05 = Date.parse('2026-12-07T05:00:00+09:00');
const MONDAY_0905 = Date.parse('2026-12-07T09:05:00+09:00');

/** YYYYMMDD of a chart bar (epoch seconds of the KST wall clock read as UTC). */
const dateOf = (bar: Bar): string => new Date(bar.time * 1000).toISOString().slice(0, 10).replace(/-/g, '');
const barsOf = (outcome: ChartOutcome): Bar[] => (outcome.state === 'ready' ? outcome.bars : []);

describe('chart minute history at any hour (simulator, calendar mode)', () => {
  const fx = new Fixture();
  let rest: KisRestClient | undefined;
  let now = SATURDAY_10;

  afterEach(async () => {
    rest?.close();
    rest = undefined;
    await fx.dispose();
  });

  async function start(
    at: number,
  ): Promise<{ sim: KisSimulator; charts: ChartHistory; model: MarketModel; client: KisRestClient }> {
    now = at;
    const sim = fx.sim(await KisSimulator.start({ port: 0, calendar: true, now: () => now }));
    const client = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => now,
    });
    rest = client;
    const model = new MarketModel();
    const holidays = holidayProvider(await client.holidays('20261201'));
    const charts = new ChartHistory({
      client: chartClientOf(client),
      model,
      exchange: () => 'J',
      now: () => now,
      holidays: () => holidays,
    });
    return { sim, charts, model, client };
  }

  it('Saturday 10:00: Friday 12/04’s bars, labelled with that date, none dated Saturday; Friday closes at the live day’s previous close', async () => {
    const { charts, client } = await start(SATURDAY_10);
    const outcome = await charts.minute(SYMBOL);
    assert.equal(outcome.state, 'ready');
    assert.equal(outcome.state === 'ready' ? outcome.day : undefined, '20261204');
    const bars = barsOf(outcome);
    assert.equal(bars.length, 391, 'one bar a minute 09:00–15:30');
    assert.deepEqual([...new Set(bars.map(dateOf))], ['20261204']);
    const quote = await client.price(SYMBOL);
    // A Saturday's price is Friday's, as KIS answers on a weekend: its close, its volume, its base (Thursday's close).
    assert.equal(bars.at(-1)?.close, quote.price, 'the daily history ends at the close the row shows');
    assert.equal(
      quote.volume,
      bars.reduce((sum, b) => sum + b.volume, 0),
      'Friday’s volume, its bars’ sum',
    );
    assert.equal(quote.basePrice, bars[0].open, 'Friday’s change is against Thursday’s close, where Friday opened');
    assert.deepEqual(
      await client.minuteBars(SYMBOL, 'J', '090000', '100000'),
      [],
      'the simulator has no bars of its own on a Saturday',
    );
  });

  it('a weekday at 05:00: the last trading day’s bars; at 09:05 today’s follow them by time with no seam', async () => {
    const { sim, charts, model } = await start(MONDAY_05);
    const early = await charts.minute(SYMBOL);
    assert.equal(early.state === 'ready' ? early.day : undefined, '20261204', 'Monday 05:00 shows Friday');
    now = MONDAY_0905;
    sim.day.prepare(SYMBOL, now);
    const later = await charts.minute(SYMBOL);
    assert.equal(later.state, 'ready');
    assert.equal(later.state === 'ready' ? later.day : 'none', undefined, 'today has bars: no past-day label');
    const bars = barsOf(later);
    const times = bars.map((b) => b.time);
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i] > times[i - 1], `bar ${i} after bar ${i - 1}: no duplicate, no step back`);
    const dates = bars.map(dateOf);
    assert.equal(dates.filter((d) => d === '20261204').length, 391, 'Friday stays before today');
    assert.deepEqual(
      bars.filter((b) => dateOf(b) === '20261207').map((b) => new Date(b.time * 1000).toISOString().slice(11, 16)),
      ['09:00', '09:01', '09:02', '09:03', '09:04', '09:05'],
    );
    assert.deepEqual(
      model.bars(SYMBOL).map((b) => b.time),
      times,
      'the model holds the same list',
    );
  });

  it('KOSPI has minute bars: Friday’s on a Saturday (labelled), ending at its previous close', async () => {
    const { charts, client } = await start(SATURDAY_10);
    const outcome = await charts.minute('0001');
    assert.equal(outcome.state, 'ready');
    assert.equal(outcome.state === 'ready' ? outcome.day : undefined, '20261204');
    const bars = barsOf(outcome);
    assert.equal(bars.length, 391);
    assert.deepEqual([...new Set(bars.map(dateOf))], ['20261204']);
    const level = await indexPrice(client, '0001');
    assert.equal(bars.at(-1)?.close, level.price, 'Friday’s last bar closes at the value a Saturday shows');
    assert.equal(level.basePrice, bars[0].open, 'Friday’s change is against Thursday’s close, where Friday opened');
  });

  it('bad input: a closed day and a future date have no bars, an unknown symbol is an outcome', async () => {
    const { charts, client } = await start(SATURDAY_10);
    assert.deepEqual(await dayMinuteBars(client, SYMBOL, 'J', '20261205'), [], 'a Saturday');
    assert.deepEqual(await dayMinuteBars(client, SYMBOL, 'J', '20261225'), [], 'Christmas');
    assert.deepEqual(await dayMinuteBars(client, SYMBOL, 'J', '20261210'), [], 'a future date');
    const unknown = await charts.minute('XYZ');
    assert.deepEqual(unknown, { state: 'unavailable', code: 'UNKNOWN_SYMBOL' });
    const us = await charts.minute('DNASAAPL');
    assert.equal(us.state === 'ready' ? us.notice : undefined, 'no-us-minutes');
  });
});
