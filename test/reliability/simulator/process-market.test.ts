/**
 * One market per simulator process: a new server on the process's market (the embedded simulator after
 * a Disconnect/Connect) continues the same day; REST answers what the stream showed; the demo has a
 * minute history since its open that the live walk continues; the index follows its stocks.
 */
import * as assert from 'node:assert/strict';
import { parseFrame, readTrade, splitRecords } from '../../../src/kis';
import { CATALOGUE } from '../../../src/market/catalogue';
import { ChartHistory } from '../../../src/feed/rest/chartHistory';
import { chartClientOf } from '../../../src/feed/rest/restRuntime';
import { MarketModel } from '../../../src/feed/model/readModel';
import { KisRestClient } from '../../../src/rest';
import { KisSimulator } from '../../../src/simulator';
import { marketMove } from '../../../src/simulator/market/intlSim';
import { resetProcessMarkets } from '../../../src/simulator/market/simMarket';
import { approve, Fixture, ticksBetween, type TestClient } from './harness';

const SYMBOL = '005930';
/** 05:00 KST: the demo streams at any hour, with its morning behind it. */
const DEMO_NOW = Date.parse('2026-12-07T05:00:00+09:00');
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;

/** Trade records of `trId` received, parsed. */
function trades(client: TestClient, trId: string): ReturnType<typeof readTrade>[] {
  const out: ReturnType<typeof readTrade>[] = [];
  for (const text of client.frames(trId)) {
    const frame = parseFrame(text);
    const fields = splitRecords(frame);
    for (let i = 0; i < frame.count; i++) out.push(readTrade(fields, i * frame.width, frame.width));
  }
  return out;
}

describe('simulator: one market per process', () => {
  const fx = new Fixture();
  let rest: KisRestClient | undefined;
  beforeEach(() => resetProcessMarkets());
  afterEach(async () => {
    rest?.close();
    rest = undefined;
    await fx.dispose();
    resetProcessMarkets();
  });

  /** Streams `trIds` of SYMBOL from `sim` until `records` of each arrived, then unsubscribes them all. */
  async function stream(sim: KisSimulator, trIds: string[], records: number): Promise<TestClient> {
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    for (const trId of trIds) await client.subscribe(key, trId, SYMBOL);
    await client.waitFor(
      () => (trIds.every((t) => client.recordsReceived(t) >= records) ? true : undefined),
      `${records} records of each feed`,
    );
    // After the unsubscribe acks no record is in flight: the last one received is the market's last.
    for (const trId of trIds) await client.subscribe(key, trId, SYMBOL, '2');
    return client;
  }

  it('a new server on the process market continues the day: cumulative volume never goes down, the price continues', async () => {
    const trIds = ['H0STCNT0', 'H0UNCNT0'];
    const options = { market: 'process', now: () => DEMO_NOW, ratePerSymbol: 200, historyMinutes: 60 } as const;
    // Only the server's own settings differ: its rate and data timer.
    const first = fx.sim(await KisSimulator.start({ ...options, seed: 1 }));
    const before = await stream(first, trIds, 20);
    await first.close();
    const second = fx.sim(await KisSimulator.start({ ...options, seed: 1, ratePerSymbol: 100, tickIntervalMs: 10 }));
    const after = await stream(second, trIds, 20);
    for (const trId of trIds) {
      const last = trades(before, trId).at(-1);
      const next = trades(after, trId)[0];
      assert.ok(last !== undefined && next !== undefined);
      assert.ok(next.cumVolume > last.cumVolume, `${trId}: the volume goes on (${last.cumVolume} → ${next.cumVolume})`);
      assert.ok(
        ticksBetween(last.price, next.price) <= 2,
        `${trId}: the price continues (${last.price} → ${next.price})`,
      );
      assert.equal(next.open, last.open, `${trId}: the same day's open`);
    }
  });

  it('another seed or another clock gets a new market: the day starts over', async () => {
    const demoClock = (): number => DEMO_NOW;
    const options = { market: 'process', now: demoClock, ratePerSymbol: 200 } as const;
    const first = fx.sim(await KisSimulator.start({ ...options, seed: 1 }));
    const dayOfSeed1 = trades(await stream(first, ['H0STCNT0'], 20), 'H0STCNT0').at(-1)?.cumVolume ?? 0;
    await first.close();
    const otherSeed = fx.sim(await KisSimulator.start({ ...options, seed: 2 }));
    assert.ok(dayOfSeed1 > 0);
    assert.equal(otherSeed.market(SYMBOL).cumVolume, 0, "seed 2: a new day, not seed 1's");
    await otherSeed.close();
    const otherClock = fx.sim(await KisSimulator.start({ ...options, seed: 2, now: () => DEMO_NOW }));
    assert.equal(otherClock.market(SYMBOL).cumVolume, 0, 'another clock: a new day');
    await otherClock.close();
    // The process keeps only the latest market: seed 1 again is a clean day, not the first one kept.
    const seed1Again = fx.sim(await KisSimulator.start({ ...options, seed: 1 }));
    assert.equal(seed1Again.market(SYMBOL).cumVolume, 0, 'seed 1 again: a clean day');
  });

  it('a VI of an earlier market does not silence a server with other options', async () => {
    const options = { market: 'process', now: () => DEMO_NOW, ratePerSymbol: 200 } as const;
    const first = fx.sim(await KisSimulator.start({ ...options, seed: 1 }));
    first.day.startVi(SYMBOL, 'KRX', DEMO_NOW);
    assert.ok(first.day.inVi(SYMBOL, 'KRX', DEMO_NOW));
    await first.close();
    // The clock stands still: sharing that market would keep 005930's KRX trades silent for good.
    const second = fx.sim(await KisSimulator.start({ ...options, seed: 7 }));
    assert.equal(second.day.inVi(SYMBOL, 'KRX', DEMO_NOW), false);
    const client = await stream(second, ['H0STCNT0'], 5);
    assert.ok(client.recordsReceived('H0STCNT0') >= 5);
  });

  it('a server at a slower rate after one at a faster rate streams at once', async () => {
    const options = { market: 'process', now: () => DEMO_NOW, seed: 3 } as const;
    const fast = fx.sim(await KisSimulator.start({ ...options, ratePerSymbol: 1000 }));
    await stream(fast, ['H0STCNT0'], 1000);
    await fast.close();
    // One record a minute: only a clock of its own sends its first record at once.
    const slow = fx.sim(await KisSimulator.start({ ...options, ratePerSymbol: 1 / 60 }));
    await stream(slow, ['H0STCNT0'], 1);
  });

  it('a slower rate after a faster one on the same server streams at once (its clock restarts)', async () => {
    const sim = fx.sim(await KisSimulator.start({ now: () => DEMO_NOW, ratePerSymbol: 1000 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', SYMBOL);
    await client.waitFor(
      () => (client.recordsReceived('H0STCNT0') >= 1000 ? true : undefined),
      'records at the fast rate',
    );
    // One record a minute from now on: the next one is due at once, not after 1,000 minutes of catching up.
    sim.setRate(1 / 60);
    const sent = sim.sendLog().find((row) => row.trId === 'H0STCNT0')?.records ?? 0;
    await new Promise<void>((resolve) => {
      const onTick = (): void => {
        if ((sim.sendLog().find((row) => row.trId === 'H0STCNT0')?.records ?? 0) > sent) {
          sim.day.off('tick', onTick);
          resolve();
        }
      };
      sim.day.on('tick', onTick);
    });
  });

  it('an own market (the default) starts a new day per server', async () => {
    const options = { now: () => DEMO_NOW, ratePerSymbol: 200 };
    const first = fx.sim(await KisSimulator.start(options));
    const before = await stream(first, ['H0STCNT0'], 20);
    const second = fx.sim(await KisSimulator.start(options));
    const after = await stream(second, ['H0STCNT0'], 1);
    assert.ok(trades(after, 'H0STCNT0')[0].cumVolume < (trades(before, 'H0STCNT0').at(-1)?.cumVolume ?? 0));
  });

  it("REST answers the last streamed price, and the demo's minute bars run from its open to that price", async () => {
    const sim = fx.sim(
      await KisSimulator.start({ market: 'process', now: () => DEMO_NOW, ratePerSymbol: 200, historyMinutes: 60 }),
    );
    rest = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => DEMO_NOW,
    });
    // Each exchange's feed alone (the unified feed prints on both venues without their own feeds).
    const venues = await stream(sim, ['H0STCNT0', 'H0NXCNT0'], 20);
    const krxLast = trades(venues, 'H0STCNT0').at(-1);
    const nxtLast = trades(venues, 'H0NXCNT0').at(-1);
    assert.ok(krxLast !== undefined && nxtLast !== undefined);
    const krx = await rest.price(SYMBOL, 'J');
    assert.equal(krx.price, krxLast.price, 'REST J = the last H0STCNT0 price');
    assert.equal(krx.volume, krxLast.cumVolume);
    assert.equal((await rest.price(SYMBOL, 'NX')).price, nxtLast.price, 'REST NX = the last H0NXCNT0 price');
    await venues.dispose(); // one session per app key
    const unifiedLast = trades(await stream(sim, ['H0UNCNT0'], 20), 'H0UNCNT0').at(-1);
    const unified = await rest.price(SYMBOL, 'UN');
    assert.equal(unified.price, unifiedLast?.price, 'REST UN = the last H0UNCNT0 price');
    assert.equal(unified.volume, unifiedLast?.cumVolume);
    const bars = await rest.minuteBars(SYMBOL, 'J', '000000', '050000');
    // 60 minutes of history (04:00–04:59) and the current minute the live trades are in (05:00).
    assert.equal(bars.length, 61, "one bar a minute since the demo's open");
    assert.equal(bars[0].time, '040000');
    assert.equal(bars.at(-1)?.time, '050000');
    assert.equal(bars.at(-1)?.close, (await rest.price(SYMBOL, 'J')).price, 'the last bar closes at the live price');
    for (let i = 1; i < bars.length; i++)
      assert.ok(ticksBetween(bars[i - 1].close, bars[i].open) <= 2, `bar ${bars[i].time} opens next to the last close`);
    for (const bar of bars)
      assert.ok(
        ticksBetween(bar.low, bar.high) <= 20,
        `bar ${bar.time}: a minute spans a few ticks (${bar.low}–${bar.high})`,
      );
    assert.equal(bars[0].open, krxLast.open, 'the day opened at the first bar');
    // What the ticker's 1m chart asks in the demo (from midnight, restRuntime.ts) gets the same day at 05:00.
    const chart = await new ChartHistory({
      client: chartClientOf(rest),
      model: new MarketModel(),
      exchange: () => 'J',
      now: () => DEMO_NOW,
      since: '000000',
      previousDay: false,
    }).minute(SYMBOL);
    assert.equal(chart.state, 'ready');
    assert.equal(chart.state === 'ready' ? chart.bars.length : 0, 61, 'the 1m chart is not empty at 05:00 in the demo');
  });

  it("the index follows its stocks: KOSPI = base × (1 + price-weighted change of the KOSPI stocks + the market's shared move)", async () => {
    const sim = fx.sim(await KisSimulator.start({ now: () => DEMO_NOW, ratePerSymbol: 200 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0UPCNT0', '0001');
    await client.subscribe(key, 'H0STCNT0', SYMBOL);
    await client.waitFor(() => (client.recordsReceived('H0UPCNT0') >= 200 ? true : undefined), 'index records');
    // The stock stops trading first, so the index's last records follow its last trade.
    await client.subscribe(key, 'H0STCNT0', SYMBOL, '2');
    const indexRecords = client.recordsReceived('H0UPCNT0');
    await client.waitFor(
      () => (client.recordsReceived('H0UPCNT0') > indexRecords + 5 ? true : undefined),
      'index records after the last trade',
    );
    await client.subscribe(key, 'H0UPCNT0', '0001', '2');
    const frames = client.frames('H0UPCNT0');
    const last = parseFrame(frames[frames.length - 1]);
    const fields = splitRecords(last).slice((last.count - 1) * last.width, last.count * last.width);
    let weighted = 0;
    let weights = 0;
    for (const entry of CATALOGUE.filter((e) => e.market === 'KOSPI')) {
      const model = sim.market(entry.code);
      weighted += entry.basePrice * (model.reference.price / entry.basePrice - 1);
      weights += entry.basePrice;
    }
    // The market's shared move is a function of the simulated clock (fixed here): the stocks' part is what moved.
    const expected = Math.round(2650 * (1 + weighted / weights + marketMove('0001', DEMO_NOW)) * 100) / 100;
    assert.equal(
      Number(fields[2]),
      expected,
      "the last KOSPI level is its stocks' weighted change from 2,650 plus the shared move",
    );
    assert.notEqual(weighted, 0, 'the stocks moved, and the index with them');
  });
});
