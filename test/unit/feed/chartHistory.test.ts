import * as assert from 'node:assert/strict';
import type { MarketDiv, RestBar } from '../../../src/kis/rest';
import { RestError } from '../../../src/rest';
import { ChartHistory, dailyChartBars, dayBefore, type ChartClient } from '../../../src/feed/rest/chartHistory';
import { MarketModel } from '../../../src/feed/model/readModel';
import { joinSeam, mergeHistory, restChartBars } from '../../../src/feed/rest/restMerge';
import type { Bar, QuoteState, Snapshot } from '../../../src/shared/snapshot';

/** Epoch seconds of a KST wall-clock minute on 2026-12-04 read as UTC (the chart's time axis). */
const kst = (hh: number, mm: number): number => Date.UTC(2026, 11, 4, hh, mm) / 1000;
const bar = (time: number, over: Partial<Bar> = {}): Bar => ({
  symbol: '005930',
  time,
  open: 100,
  high: 110,
  low: 90,
  close: 105,
  volume: 10,
  ...over,
});
/** 2026-12-04 11:17:30 KST. */
const MID_SESSION = Date.UTC(2026, 11, 4, 2, 17, 30);

function restMinute(hh: number, mm: number, over: Partial<RestBar> = {}): RestBar {
  return {
    date: '20261204',
    time: `${String(hh).padStart(2, '0')}${String(mm).padStart(2, '0')}00`,
    open: 100,
    high: 110,
    low: 90,
    close: 105,
    volume: 10,
    ...over,
  };
}

function times(bars: readonly Bar[]): number[] {
  return bars.map((b) => b.time);
}

function snapshot(parts: Partial<Pick<Snapshot, 'quotes' | 'bars'>>): Pick<Snapshot, 'quotes' | 'bars' | 'books'> {
  return { quotes: [], bars: [], books: [], ...parts };
}

function liveQuote(over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol: '005930',
    last: 105,
    change: 5,
    rate: 5,
    sign: '2',
    volume: 100,
    value: 10_000,
    open: 100,
    high: 110,
    low: 90,
    vwap: 101.5,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '111730',
    businessDate: '20261204',
    lastUpdateAt: MID_SESSION,
    halted: false,
    trades: 3,
    ...over,
  };
}

describe('chart history: the seam between REST and live bars', () => {
  it('has no duplicate minute and no gap: history up to the seam, the seam joined, live after it', () => {
    const history = [bar(kst(9, 0)), bar(kst(9, 1)), bar(kst(9, 2), { open: 200, high: 250, low: 150, volume: 40 })];
    // The live bar of 09:02 began mid-minute (the subscription started then); 09:03 is live only.
    const live = [
      bar(kst(9, 2), { open: 210, high: 260, low: 190, close: 220, volume: 15 }),
      bar(kst(9, 3), { close: 230 }),
    ];
    const merged = mergeHistory(history, live);
    assert.deepEqual(times(merged), [kst(9, 0), kst(9, 1), kst(9, 2), kst(9, 3)]);
    assert.deepEqual(
      merged[2],
      { ...live[0], open: 200, high: 260, low: 150, close: 220, volume: 40 },
      'the seam minute: history open, both extremes, live close, larger volume',
    );
    assert.equal(merged[3].close, 230, 'live after the seam');
  });

  it('fills a minute the stream missed (a reconnect gap) from history, and keeps the live bars around it', () => {
    const history = [kst(10, 0), kst(10, 1), kst(10, 2), kst(10, 3)].map((t) => bar(t, { close: 1 }));
    const live = [bar(kst(10, 0), { close: 2 }), bar(kst(10, 3), { close: 3 })];
    const merged = mergeHistory(history, live);
    assert.deepEqual(times(merged), [kst(10, 0), kst(10, 1), kst(10, 2), kst(10, 3)]);
    assert.deepEqual(
      merged.map((b) => b.close),
      [2, 1, 1, 3],
    );
  });

  it('drops a repeated page boundary and sorts a history that came out of order', () => {
    assert.deepEqual(times(mergeHistory([bar(120), bar(0), bar(60), bar(60)], [])), [0, 60, 120]);
  });

  it('keeps the live VWAP at the seam, else the history’s', () => {
    assert.equal(joinSeam(bar(0, { vwap: 99 }), bar(0, { vwap: 101 })).vwap, 101);
    assert.equal(joinSeam(bar(0, { vwap: 99 }), bar(0)).vwap, 99);
    assert.equal(joinSeam(bar(0), bar(0)).vwap, undefined);
    assert.equal(joinSeam(undefined, bar(0, { vwap: 5 })).vwap, 5);
  });

  it('computes the VWAP of REST bars from the cumulative value over the day’s cumulative volume', () => {
    const bars = restChartBars('005930', [
      restMinute(9, 0, { volume: 10, value: 1_000 }),
      restMinute(9, 1, { volume: 30, value: 4_200 }),
      restMinute(9, 2, { volume: 10 }),
      restMinute(9, 3, { volume: 10, value: 0 }),
    ]);
    assert.deepEqual(
      bars.map((b) => b.vwap),
      [100, 105, undefined, undefined],
    );
    assert.equal(bars[0].time, kst(9, 0));
  });

  it('folds the live bars into the model at the seam and stamps each live bar with the feed’s VWAP', () => {
    const model = new MarketModel();
    model.applySnapshot(snapshot({ quotes: [liveQuote()], bars: [bar(kst(11, 17), { open: 300, volume: 2 })] }));
    assert.equal(model.bars('005930')[0].vwap, 101.5, 'the quote’s VWAP goes on its minute’s bar');
    model.applyHistory('005930', [bar(kst(11, 16)), bar(kst(11, 17), { volume: 50 })]);
    assert.deepEqual(times(model.bars('005930')), [kst(11, 16), kst(11, 17)]);
    model.applySnapshot(
      snapshot({
        quotes: [liveQuote({ lastTickTime: '111745', vwap: 102 })],
        bars: [bar(kst(11, 17), { open: 300, close: 120, volume: 9 })],
      }),
    );
    const seam = model.barAt('005930', kst(11, 17));
    assert.deepEqual(
      [seam?.open, seam?.close, seam?.volume, seam?.vwap],
      [100, 120, 50, 102],
      'a later update of the seam minute is joined too',
    );
    model.applySnapshot(
      snapshot({ quotes: [liveQuote({ lastTickTime: '111801', vwap: 103 })], bars: [bar(kst(11, 18))] }),
    );
    assert.deepEqual(
      times(model.bars('005930')),
      [kst(11, 16), kst(11, 17), kst(11, 18)],
      'live after REST, one bar per minute',
    );
    assert.equal(model.barAt('005930', kst(11, 18))?.vwap, 103);
    assert.equal(model.barAt('005930', kst(11, 16))?.time, kst(11, 16), 'an older minute is found too');
    assert.equal(model.barAt('005930', kst(11, 15)), undefined);
    assert.equal(model.barAt('000660', kst(11, 15)), undefined);
  });

  it('does not stamp a VWAP from a quote of another minute, a REST quote or a quote with no trade', () => {
    const model = new MarketModel();
    model.applySnapshot(snapshot({ quotes: [liveQuote({ lastTickTime: '111659' })], bars: [bar(kst(11, 17))] }));
    assert.equal(model.bars('005930')[0].vwap, undefined, 'another minute');
    model.applySnapshot(snapshot({ quotes: [liveQuote({ businessDate: '', lastTickTime: '111701', vwap: 7 })] }));
    assert.equal(model.bars('005930')[0].vwap, 7, 'a record without a date is placed by its time of day');
    model.applyRestQuote({ ...liveQuote({ vwap: 9 }), lastUpdateAt: MID_SESSION + 60_000 });
    model.applySnapshot(snapshot({ quotes: [liveQuote({ trades: 0, vwap: 8 })] }));
    assert.equal(model.bars('005930')[0].vwap, 7);
  });
});

/** A fake REST client: minute bars since 09:00 up to `until`, daily candles in pages of at most 100. */
class FakeClient implements ChartClient {
  minuteCalls: { until?: string }[] = [];
  dailyCalls: { from?: string; to?: string }[] = [];
  fail: RestError | Error | undefined;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }

  async minuteBars(_symbol: string, _exchange?: MarketDiv, _since?: string, until?: string): Promise<RestBar[]> {
    this.minuteCalls.push({ until });
    await this.gate;
    if (this.fail) throw this.fail;
    return [restMinute(9, 0), restMinute(9, 1), restMinute(9, 2)];
  }

  async dayMinuteBars(): Promise<RestBar[]> {
    return [];
  }

  async indexMinuteBars(): Promise<RestBar[]> {
    return [];
  }

  async dailyBars(_symbol: string, _exchange?: MarketDiv, from?: string, to?: string): Promise<RestBar[]> {
    this.dailyCalls.push({ from, to });
    if (this.fail) throw this.fail;
    // Weekdays (by a simple count) ending at `to`, newest first, 100 per page, the range not respected.
    const out: RestBar[] = [];
    let day = to ?? '20261204';
    while (out.length < 100) {
      const wd = new Date(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`).getUTCDay();
      if (wd !== 0 && wd !== 6) out.push({ date: day, time: '', open: 1, high: 2, low: 1, close: 2, volume: 5 });
      day = dayBefore(day);
    }
    return out;
  }
}

describe('ChartHistory', () => {
  let client: FakeClient;
  let model: MarketModel;
  let charts: ChartHistory;
  let now: number;

  beforeEach(() => {
    client = new FakeClient();
    model = new MarketModel();
    now = MID_SESSION;
    charts = new ChartHistory({ client, model, exchange: () => 'J', now: () => now });
  });

  it('asks for today’s minutes up to the source’s clock, once per symbol, and merges them into the model', async () => {
    model.applySnapshot(snapshot({ bars: [bar(kst(9, 2), { close: 7 }), bar(kst(9, 3))] }));
    const outcome = await charts.minute('005930');
    assert.deepEqual(client.minuteCalls, [{ until: '111730' }]);
    assert.equal(outcome.state, 'ready');
    assert.deepEqual(times(outcome.state === 'ready' ? outcome.bars : []), [
      kst(9, 0),
      kst(9, 1),
      kst(9, 2),
      kst(9, 3),
    ]);
    assert.equal(charts.hasMinute('005930'), true);
    await charts.minute('005930');
    assert.equal(client.minuteCalls.length, 1, 'the history is in the model: no second request');
    model.forget('005930');
    await charts.minute('005930');
    assert.equal(client.minuteCalls.length, 2, 'a symbol removed and added again is asked again');
  });

  it('shares one request between concurrent asks', async () => {
    client.hold();
    const both = Promise.all([charts.minute('005930'), charts.minute('005930')]);
    client.release();
    const [a, b] = await both;
    assert.equal(client.minuteCalls.length, 1);
    assert.deepEqual(a, b);
  });

  it('turns a failure into "unavailable" with its stable code, and asks again next time', async () => {
    client.fail = new RestError('REST_DOWN', 'cannot reach the REST server');
    assert.deepEqual(await charts.minute('005930'), { state: 'unavailable', code: 'REST_DOWN' });
    assert.deepEqual(await charts.daily('005930'), { state: 'unavailable', code: 'REST_DOWN' });
    client.fail = new Error('a defect');
    assert.deepEqual(await charts.minute('005930'), { state: 'unavailable', code: 'BAD_RESPONSE' });
    client.fail = undefined;
    assert.equal((await charts.minute('005930')).state, 'ready');
    assert.equal(client.minuteCalls.length, 3);
  });

  it('pages daily candles back over six months, keeps only that span, and caches them for the KST day', async () => {
    const outcome = await charts.daily('005930');
    assert.equal(outcome.state, 'ready');
    const bars = outcome.state === 'ready' ? outcome.bars : [];
    assert.equal(client.dailyCalls.length, 2, 'two pages of 100 cover six months');
    assert.equal(client.dailyCalls[0].to, '20261204');
    assert.ok((client.dailyCalls[1].to ?? '') < '20261204', 'the second page ends before the first one’s oldest day');
    assert.ok(bars.length > 120 && bars.length < 135, `six months of weekdays, got ${bars.length}`);
    assert.equal(bars[bars.length - 1].time, kst(0, 0), 'the newest candle is today’s, at KST midnight');
    assert.ok(
      bars.every((b, i) => i === 0 || b.time > bars[i - 1].time),
      'ascending, one per day',
    );
    assert.ok(bars[0].time >= Date.UTC(2026, 5, 4) / 1000, 'nothing older than six months');
    await charts.daily('005930');
    assert.equal(client.dailyCalls.length, 2, 'cached');
    now += 86_400_000;
    await charts.daily('005930');
    assert.equal(client.dailyCalls.length, 4, 'asked again the next day');
  });

  it('builds daily chart bars at KST midnight and drops an unreadable date', () => {
    const bars = dailyChartBars('005930', [
      { date: '20261204', time: '', open: 1, high: 2, low: 1, close: 2, volume: 3 },
      { date: '2026-12-0', time: '', open: 1, high: 2, low: 1, close: 2, volume: 3 },
      { date: '20261203', time: '', open: 1, high: 2, low: 1, close: 2, volume: 3 },
    ]);
    assert.deepEqual(times(bars), [Date.UTC(2026, 11, 3) / 1000, Date.UTC(2026, 11, 4) / 1000]);
    assert.equal(dayBefore('20260301'), '20260228');
    assert.equal(dayBefore('20270101'), '20261231');
  });
});
