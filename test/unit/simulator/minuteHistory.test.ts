import * as assert from 'node:assert/strict';
import { basePriceOf, SymbolModel } from '../../../src/simulator';
import { dailyBars, indexMinuteRows, minuteBars, pastMinuteBars } from '../../../src/simulator/rest/restBars';
import { resolveOptions } from '../../../src/simulator/options';
import { SimMarket } from '../../../src/simulator/market/simMarket';
import { DaySim } from '../../../src/simulator/market/daySim';
import { isSimTradingDay, previousSimTradingDay, simHolidays } from '../../../src/simulator/market/simCalendar';

const SATURDAY_10 = Date.parse('2026-12-05T10:00:00+09:00');
const MONDAY_10 = Date.parse('2026-12-07T10:00:00+09:00');
const model = (): SymbolModel =>
  new SymbolModel('005930', {
    prevClose: basePriceOf('005930'),
    seed: 7,
    volatilityTicks: 1,
    tradeWidth: 46,
    bookWidth: 59,
  });

describe('simulator: its calendar and its past days’ minute bars', () => {
  it('trades on weekdays except 1 January and 25 December', () => {
    assert.equal(isSimTradingDay('20261204'), true, 'a Friday');
    assert.equal(isSimTradingDay('20261205'), false, 'a Saturday');
    assert.equal(isSimTradingDay('20261206'), false, 'a Sunday');
    assert.equal(isSimTradingDay('20261225'), false, 'Christmas (a Friday)');
    assert.equal(isSimTradingDay('20270101'), false, 'New Year’s Day (a Friday)');
    assert.equal(simHolidays('2026-12-25'), 'closed');
    assert.equal(simHolidays('2026-12-24'), 'open');
    assert.equal(
      previousSimTradingDay('20261228'),
      '20261224',
      'Monday 12/28 ← Thursday 12/24 over Christmas and the weekend',
    );
  });

  it('streams no trades in calendar mode on a holiday (Christmas 10:00) and does on the weekday before', () => {
    const market = new SimMarket(resolveOptions({ calendar: true }));
    assert.equal(market.day.streams('H0STCNT0', '005930', Date.parse('2026-12-25T10:00:00+09:00')), false);
    assert.equal(market.day.streams('H0STCNT0', '005930', Date.parse('2026-12-24T10:00:00+09:00')), true);
  });

  it('has no minute bars of its own on a Saturday, nor on a holiday', () => {
    const m = model();
    assert.deepEqual(minuteBars(m, SATURDAY_10, '100000', 30), []);
    assert.deepEqual(minuteBars(m, Date.parse('2026-12-25T10:00:00+09:00'), '100000', 30), []);
    assert.equal(minuteBars(m, MONDAY_10, '100000', 30).length, 30, 'a Monday has its own');
  });

  it('daily candles skip holidays', () => {
    const dates = dailyBars(model(), Date.parse('2026-12-28T10:00:00+09:00'), '99999999', 3).map(
      (r) => r.stck_bsop_date,
    );
    assert.deepEqual(dates, ['20261224', '20261223', '20261222']);
  });

  it('a past day’s minute bars add up to its daily candle, and the last trading day closes at the previous close', () => {
    const m = model();
    const candle = dailyBars(m, SATURDAY_10, '20261204', 1)[0];
    const all: Record<string, string>[] = [];
    for (let hour = '235900'; ;) {
      const page = pastMinuteBars(m, SATURDAY_10, '20261204', hour, 120);
      all.push(...page);
      if (page.length < 120) break;
      const oldest = page.at(-1)?.stck_cntg_hour ?? '000000';
      const minutes = Number(oldest.slice(0, 2)) * 60 + Number(oldest.slice(2, 4)) - 1;
      hour = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}00`;
    }
    assert.equal(all.length, 391, '09:00–15:30');
    assert.equal(all[0].stck_cntg_hour, '153000', 'newest first');
    assert.equal(all.at(-1)?.stck_cntg_hour, '090000');
    assert.equal(all.at(-1)?.stck_oprc, candle.stck_oprc, 'opens at the day’s open');
    assert.equal(all[0].stck_prpr, candle.stck_clpr, 'closes at the day’s close');
    assert.equal(Number(all[0].stck_prpr), m.prevClose, 'the last trading day closes at the live day’s previous close');
    assert.equal(
      all.reduce((sum, r) => sum + Number(r.cntg_vol), 0),
      Number(candle.acml_vol),
      'the minutes’ volumes add up to the day’s',
    );
    for (const r of all) {
      assert.ok(
        Number(r.stck_lwpr) >= Number(candle.stck_lwpr) && Number(r.stck_hgpr) <= Number(candle.stck_hgpr),
        `${r.stck_cntg_hour} inside the day’s range`,
      );
    }
  });

  it('has no past bars for today, a future date or a closed day', () => {
    const m = model();
    assert.deepEqual(pastMinuteBars(m, MONDAY_10, '20261207', '235900', 120), [], 'today');
    assert.deepEqual(pastMinuteBars(m, MONDAY_10, '20261210', '235900', 120), [], 'a future date');
    assert.deepEqual(pastMinuteBars(m, MONDAY_10, '20261205', '235900', 120), [], 'a Saturday');
    assert.deepEqual(
      pastMinuteBars(m, Date.parse('2026-12-28T10:00:00+09:00'), '20261225', '235900', 120),
      [],
      'Christmas',
    );
  });

  it('index minute bars: none dated Saturday; Friday’s close at the previous close; today’s end at the level now', () => {
    const saturday = indexMinuteRows('0001', { base: 2650, price: 2650, open: 2650 }, SATURDAY_10);
    assert.ok(saturday.every((r) => r.stck_bsop_date !== '20261205'));
    assert.equal(saturday[0].stck_bsop_date, '20261204');
    assert.equal(saturday[0].bstp_nmix_prpr, '2650.00');
    assert.equal(saturday.filter((r) => r.stck_bsop_date === '20261204').length, 391);
    const monday = indexMinuteRows('0001', { base: 2650, price: 2661.25, open: 2652 }, MONDAY_10);
    assert.equal(monday[0].stck_bsop_date, '20261207');
    assert.equal(monday[0].stck_cntg_hour, '100000', 'the current minute');
    assert.equal(monday[0].bstp_nmix_prpr, '2661.25');
    assert.equal(
      monday.filter((r) => r.stck_bsop_date === '20261207').at(-1)?.bstp_nmix_oprc,
      '2652.00',
      'today opens at the day’s open',
    );
  });
});

describe("simulator: past days that look like a market's", () => {
  const model = { code: '005930', prevClose: 71_900 } as SymbolModel;
  const saturday = Date.parse('2026-12-05T10:00:00+09:00');

  it('gives its daily candles a range of about 1–2 % a day (a median of at least 1 %), with wicks around open and close', () => {
    const days = dailyBars(model, saturday, '20261204', 100);
    assert.equal(days.length, 100);
    const ranges = days
      .map((d) => (Number(d.stck_hgpr) - Number(d.stck_lwpr)) / Number(d.stck_clpr))
      .sort((a, b) => a - b);
    assert.ok(ranges[50] >= 0.01, `median daily range ${(ranges[50] * 100).toFixed(2)} %`);
    for (const d of days) {
      const [open, high, low, close] = [d.stck_oprc, d.stck_hgpr, d.stck_lwpr, d.stck_clpr].map(Number);
      assert.ok(
        low <= Math.min(open, close) && high >= Math.max(open, close),
        `${d.stck_bsop_date}: ${low}–${high} holds ${open} and ${close}`,
      );
    }
  });

  it("walks a past day's minute bars across its candle, not along a line two ticks wide", () => {
    const [candle] = dailyBars(model, saturday, '20261204', 1);
    const bars = pastMinuteBars(model, saturday, '20261204', '153000', 400);
    const closes = bars.map((b) => Number(b.stck_prpr));
    const span = Math.max(...closes) - Math.min(...closes);
    assert.ok(
      span >= (Number(candle.stck_hgpr) - Number(candle.stck_lwpr)) / 2,
      `the bars span ${span} of the candle's ${candle.stck_lwpr}–${candle.stck_hgpr}`,
    );
    assert.ok(closes.every((c) => c >= Number(candle.stck_lwpr) && c <= Number(candle.stck_hgpr)));
  });
});

describe('simulator: the index follows the KRX session in calendar mode', () => {
  const venues = (): never => {
    throw new Error('no stock is asked for');
  };

  it('streams KOSPI only while KRX trades: not on a Saturday, a holiday or at night; always in the demo', () => {
    const calendar = new DaySim(venues, 1, true);
    assert.equal(calendar.krxTrades(Date.parse('2026-12-08T10:00:00+09:00')), true, 'Tuesday 10:00');
    assert.equal(calendar.krxTrades(Date.parse('2026-12-05T10:00:00+09:00')), false, 'Saturday 10:00');
    assert.equal(calendar.krxTrades(Date.parse('2026-12-25T10:00:00+09:00')), false, 'Christmas 10:00');
    assert.equal(calendar.krxTrades(Date.parse('2026-12-08T05:00:00+09:00')), false, 'Tuesday 05:00');
    assert.equal(calendar.krxTrades(Date.parse('2026-12-08T15:19:00+09:00')), true, 'Tuesday 15:19');
    const demo = new DaySim(venues, 1, false);
    assert.equal(demo.krxTrades(Date.parse('2026-12-05T10:00:00+09:00')), true, 'the demo trades at any hour');
  });
});
