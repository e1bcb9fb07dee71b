import * as assert from 'node:assert/strict';
import { KisRestClient } from '../../../src/rest';
import { KisSimulator } from '../../../src/simulator';
import { MarketModel } from '../../../src/feed/model/readModel';
import { planLive } from '../../../src/feed/plan/livePlan';
import { RestPrices } from '../../../src/feed/rest/restPrices';
import { mergeHistory, restChartBars, restQuoteState } from '../../../src/feed/rest/restMerge';
import { SESSION_BUDGET } from '../../../src/feed/plan/subscriptionPlan';
import type { Bar } from '../../../src/shared/snapshot';
import { formatMessage } from '../../../src/common/translate';
import { rowStateText } from '../../../src/views/watchlist/rowState';

/** 2026-12-04 11:17:30 KST (Friday, mid-session) and 21:00 KST (closed). */
const MID_SESSION = Date.UTC(2026, 11, 4, 2, 17, 30);
const EVENING = Date.UTC(2026, 11, 4, 12, 0, 0);
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;
const codes = (n: number): string[] => Array.from({ length: n }, (_, i) => String(100010 + i * 10));
/** Epoch seconds of a KST wall-clock minute read as UTC (the chart's time axis). */
const kstMinute = (hh: number, mm: number): number => Date.UTC(2026, 11, 4, hh, mm) / 1000;

describe('RestPrices against the simulator', () => {
  let sim: KisSimulator;
  let clock: number;
  let client: KisRestClient;
  let model: MarketModel;
  let prices: RestPrices;

  async function start(at: number, refreshPerSecond = 12): Promise<void> {
    clock = at;
    sim = await KisSimulator.start({ port: 0, now: () => clock });
    client = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => clock,
    });
    model = new MarketModel();
    prices = new RestPrices({
      client,
      model,
      exchange: () => 'J',
      refreshPerSecond,
      now: () => clock,
      tickMs: 3_600_000,
    });
  }
  afterEach(async () => {
    prices.dispose();
    await prices.settled();
    client.close();
    await sim.close();
  });

  it('shows the last price of every row when the market is closed', async () => {
    await start(EVENING);
    const symbols = ['005930', '000660', '035420', ...codes(20)];
    await prices.quotes(symbols);
    for (const s of symbols) {
      const q = model.quote(s);
      assert.ok(q !== undefined && q.last > 0, `no price for ${s}`);
      assert.deepEqual(model.origin(s), { kind: 'rest', asOf: EVENING });
      assert.equal(q.businessDate, '20261204');
    }
    assert.equal(prices.stats().unavailable, 0);
  });

  it('starts the chart of a symbol opened mid-session with every minute since the open and continues live with no duplicate', async () => {
    await start(MID_SESSION);
    await prices.history('005930');
    const history = model.bars('005930');
    assert.equal(history[0].time, kstMinute(9, 0));
    // Live bars begin at the minute the ticker opened (11:17, partial) and go on.
    const seamHistory = history.find((b) => b.time === kstMinute(11, 17));
    assert.ok(seamHistory !== undefined);
    const live: Bar[] = [
      {
        symbol: '005930',
        time: kstMinute(11, 17),
        open: 1,
        high: seamHistory.high + 5,
        low: seamHistory.low,
        close: 7,
        volume: 1,
      },
      { symbol: '005930', time: kstMinute(11, 18), open: 7, high: 8, low: 6, close: 8, volume: 3 },
    ];
    for (const bar of live) model.applySnapshot({ quotes: [], books: [], bars: [bar] });
    const bars = model.bars('005930');
    const times = bars.map((b) => b.time);
    const expected = Array.from({ length: (11 - 9) * 60 + 19 }, (_, i) => kstMinute(9, 0) + i * 60);
    assert.deepEqual(times, expected);
    const seam = bars.find((b) => b.time === kstMinute(11, 17));
    assert.equal(seam?.open, seamHistory.open);
    assert.equal(seam?.close, 7);
    assert.equal(seam?.high, seamHistory.high + 5);
    assert.equal(seam?.volume, seamHistory.volume);
  });

  it('keeps 41 registrations live at 100 symbols and refreshes the other 59 by REST, never over the limit, with one token', async () => {
    await start(MID_SESSION, 12);
    const symbols = codes(100);
    const plan = planLive({ symbols, budget: SESSION_BUDGET });
    assert.equal(plan.registrations.length, 41);
    prices.setRefreshed(plan.rest);
    assert.deepEqual(prices.mode(plan.live[0]), { kind: 'live' });
    assert.deepEqual(prices.mode(plan.rest[0]), { kind: 'rest', everySeconds: 5 });
    const began = Date.now();
    await prices.quotes(symbols);
    const fillMs = Date.now() - began;
    assert.ok(symbols.every((s) => (model.quote(s)?.last ?? 0) > 0));
    // One round-robin cycle, ticks bunched back to back: the client's limiter still holds the rate.
    for (let i = 0; i < 5; i++) await prices.tick(1000);
    assert.equal(sim.restApi.uapiRequests, 100 + 59 + 1);
    assert.ok(sim.restApi.maxPerSecond() <= 20, `max ${sim.restApi.maxPerSecond()} per second`);
    assert.equal(sim.restApi.rateLimited, 0);
    assert.equal(sim.restApi.tokenRequests, 1);
    assert.equal(client.stats().tokensIssued, 1);
    console.log(`      100 symbols filled in ${fillMs} ms; max ${sim.restApi.maxPerSecond()} requests in a second`);
  });

  it('asks a failed row again while closed when KIS takes the next token, and the row says when from that same retry', async () => {
    await start(EVENING);
    await prices.quotes(['005930']);
    clock += 18_000;
    await client.revokeToken();
    await prices.quotes(['005930']);
    assert.equal(prices.problem('005930'), 'TOKEN_TOO_SOON');
    assert.equal(prices.retryAt('005930'), EVENING + 60_000, 'KIS takes the next token a minute after the last');
    const state = rowStateText(
      {
        origin: model.origin('005930'),
        mode: prices.mode('005930'),
        marketOpen: false,
        holiday: false,
        problem: prices.problem('005930'),
        retryAt: prices.retryAt('005930'),
        now: clock,
        streaming: false,
      },
      formatMessage,
    );
    assert.equal(
      state.tooltip,
      'Last price from 21:00, refresh failed: KIS token limit (one a minute) (TOKEN_TOO_SOON), retry in 42 s.',
    );
    clock += 41_000;
    await prices.tick(1000);
    assert.equal(sim.restApi.tokenRequests, 1, 'not asked before its retry');
    clock += 1_000;
    await prices.tick(1000);
    assert.equal(prices.problem('005930'), undefined);
    assert.equal(prices.retryAt('005930'), undefined);
    assert.equal(sim.restApi.tokenRequests, 2);
  });

  it('backs a failing row off (5 s, then 10 s) and does not ask an unknown symbol again', async () => {
    await start(EVENING);
    await prices.quotes(['005930']); // the token first: an outage after it fails the price, not the token
    sim.restApi.faults.down = '503';
    await prices.quotes(['005930', '000000']);
    assert.equal(prices.retryAt('005930'), EVENING + 5_000);
    clock += 5_000;
    await prices.tick(1000);
    assert.equal(prices.retryAt('005930'), EVENING + 15_000);
    sim.restApi.faults.down = undefined;
    await prices.quotes(['000000']);
    assert.equal(prices.problem('000000'), 'UNKNOWN_SYMBOL');
    assert.equal(prices.retryAt('000000'), undefined);
    prices.forget('005930');
    assert.equal(prices.retryAt('005930'), undefined);
  });

  it('says why a row has no price (down, malformed, unknown) and never lets an old REST quote beat a live tick', async () => {
    await start(MID_SESSION);
    await prices.quotes(['000000']);
    assert.equal(prices.problem('000000'), 'UNKNOWN_SYMBOL');
    sim.restApi.faults.malformed = true;
    await prices.quotes(['005930']);
    assert.equal(prices.problem('005930'), 'BAD_RESPONSE');
    sim.restApi.faults.malformed = false;
    sim.restApi.faults.down = '503';
    await prices.history('000660');
    assert.equal(prices.problem('000660'), 'REST_DOWN');
    assert.equal(model.bars('000660').length, 0);
    sim.restApi.faults.down = undefined;
    const changed: string[][] = [];
    prices.onDidChange((s) => changed.push(s));
    await prices.quotes(['005930']);
    assert.equal(prices.problem('005930'), undefined);
    assert.deepEqual(changed, [['005930']]);
    const stats = prices.stats();
    assert.equal(stats.unavailable, 2);
    assert.ok(stats.errors.BAD_RESPONSE >= 1 && stats.errors.UNKNOWN_SYMBOL >= 1);
    assert.ok(!JSON.stringify(stats).includes(APPKEY) && !JSON.stringify(stats).includes(APPSECRET));
    // A live tick newer than the request wins; a REST quote newer than the tick replaces it.
    const rest = model.quote('005930');
    assert.ok(rest !== undefined);
    const tick = { ...rest, last: rest.last + 100, trades: 3, lastUpdateAt: clock + 1 };
    model.applySnapshot({ quotes: [tick], books: [], bars: [] });
    await prices.quotes(['005930']);
    assert.equal(model.quote('005930')?.last, tick.last);
    assert.deepEqual(model.origin('005930'), { kind: 'live' });
    clock += 60_000;
    await prices.quotes(['005930']);
    assert.deepEqual(model.origin('005930'), { kind: 'rest', asOf: clock });
    // A book record before the first trade keeps the REST price.
    model.applySnapshot({ quotes: [{ ...tick, last: 0, trades: 0, bestBid: 11, bestAsk: 12 }], books: [], bars: [] });
    assert.ok((model.quote('005930')?.last ?? 0) > 0);
    assert.equal(model.quote('005930')?.bestAsk, 12);
    prices.forget('000000');
    assert.equal(prices.problem('000000'), undefined);
    prices.setRefreshed([]);
  });
});

describe('restMerge', () => {
  const bar = (time: number, volume = 1): Bar => ({
    symbol: 'X',
    time,
    open: time,
    high: time + 1,
    low: time - 1,
    close: time,
    volume,
  });

  it('joins history and live bars with one bar per minute', () => {
    assert.deepEqual(
      mergeHistory([bar(60), bar(0), bar(60)], []).map((b) => b.time),
      [0, 60],
    );
    const merged = mergeHistory([bar(0), bar(60, 9), bar(120)], [bar(60, 2), bar(60), bar(180)]);
    // History fills the minute the live bars skipped (120): one list, no gap.
    assert.deepEqual(
      merged.map((b) => b.time),
      [0, 60, 120, 180],
    );
    assert.equal(merged[1].volume, 9);
    assert.deepEqual(
      mergeHistory([], [bar(0)]).map((b) => b.time),
      [0],
    );
  });

  it('drops REST bars with an unreadable time and maps an unknown sign to flat', () => {
    assert.equal(
      restChartBars('X', [{ date: '20261204', time: '9x', open: 1, high: 1, low: 1, close: 1, volume: 1 }]).length,
      0,
    );
    const q = restQuoteState(
      {
        symbol: 'X',
        price: 10,
        change: 0,
        sign: '?',
        changeRate: 0,
        volume: 0,
        value: 0,
        open: 0,
        high: 0,
        low: 0,
        upperLimit: 0,
        lowerLimit: 0,
        basePrice: 10,
        halted: false,
      },
      EVENING,
    );
    assert.equal(q.sign, '3');
    assert.equal(q.vwap, 0);
    assert.equal(q.lastTickTime, '210000');
  });
});
