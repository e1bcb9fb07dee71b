import * as assert from 'node:assert/strict';
import { MarketModel } from '../../src/feed/model/readModel';
import { RestPrices } from '../../src/feed/rest/restPrices';
import { parseFrame, readIntlRecords, splitRecords, type IntlRecord } from '../../src/kis';
import { indexPrice, KisRestClient, overseasPrice, RestError, routedPrices } from '../../src/rest';
import { KisSimulator } from '../../src/simulator';
import { approve, Fixture } from './simulator/harness';

/** 2026-12-04 21:00 KST: KRX closed (index and US rows take their REST price). */
const EVENING = Date.UTC(2026, 11, 4, 12, 0, 0);
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;

describe('REST index and US prices against the simulator', () => {
  const fx = new Fixture();
  let client: KisRestClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    await fx.dispose();
  });

  async function start(): Promise<KisSimulator> {
    const sim = fx.sim(await KisSimulator.start({ port: 0, ratePerSymbol: 200 }));
    client = new KisRestClient({ baseUrl: sim.restUrl, env: 'real', appkey: APPKEY, appsecret: APPSECRET });
    return sim;
  }

  it('answers the index and US prices the stream is at: the same previous close, in points and dollars', async () => {
    const sim = await start();
    const ws = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await ws.subscribe(key, 'H0UPCNT0', '0001');
    await ws.subscribe(key, 'HDFSCNT0', 'DNASAAPL');
    await ws.waitFor(
      () => (ws.recordsReceived('H0UPCNT0') >= 5 && ws.recordsReceived('HDFSCNT0') >= 5 ? true : undefined),
      'index and US records',
    );
    const read: IntlRecord[] = [];
    for (const text of ws.frames()) {
      const frame = parseFrame(text);
      if (frame.trId === 'H0UPCNT0' || frame.trId === 'HDFSCNT0')
        readIntlRecords(
          frame.trId,
          splitRecords(frame),
          frame.width,
          (r) => read.push(r),
          (e) => assert.fail(e.message),
        );
    }
    const index = read.find((r) => r.kind === 'index');
    const us = read.find((r) => r.kind === 'usTrade');
    assert.ok(index?.kind === 'index' && us?.kind === 'usTrade');
    const c = client as KisRestClient;
    const kospi = await indexPrice(c, '0001');
    const aapl = await overseasPrice(c, 'DNASAAPL');
    // One walk behind both: the previous close the REST answer implies is the stream's.
    assert.equal(kospi.basePrice, Math.round((index.record.value - index.record.change) * 100) / 100);
    assert.equal(aapl.basePrice, Math.round((us.record.price - us.record.change) * 10_000) / 10_000);
    assert.equal(aapl.basePrice, 189.5, 'the catalogue price its master file lists');
    assert.ok(kospi.price > 1500 && kospi.price < 4000, 'points');
    assert.ok(Number.isInteger(Math.round(kospi.price * 100)), 'two decimals');
  });

  it('answers an unknown index or ticker with empty fields, which the client reports as UNKNOWN_SYMBOL and counts', async () => {
    await start();
    const c = client as KisRestClient;
    for (const p of [indexPrice(c, '9999'), overseasPrice(c, 'DNASZZZZ'), overseasPrice(c, 'DNYSAAPL')]) {
      await assert.rejects(p, (e: unknown) => e instanceof RestError && e.code === 'UNKNOWN_SYMBOL');
    }
    assert.equal(c.stats().errors.UNKNOWN_SYMBOL, 3);
  });

  it('prices index and US rows of the read model by REST when closed, next to KRX rows, through one routed client', async () => {
    await start();
    const model = new MarketModel();
    const prices = new RestPrices({
      client: routedPrices(client as KisRestClient),
      model,
      exchange: () => 'J',
      refreshPerSecond: 10,
      now: () => EVENING,
      tickMs: 3_600_000,
    });
    try {
      await prices.quotes(['005930', '0001', '1001', 'DNASAAPL', 'RBAQAAPL', 'DAMSSPY']);
      for (const s of ['005930', '0001', '1001', 'DNASAAPL', 'RBAQAAPL', 'DAMSSPY']) {
        assert.ok((model.quote(s)?.last ?? 0) > 0, `no REST price for ${s}`);
        assert.equal(prices.problem(s), undefined);
      }
      assert.equal(model.quote('DAMSSPY')?.last, 548.2, 'SPY at its catalogue close before any stream moved it');
      await prices.history('DNASAAPL');
      assert.equal(prices.problem('DNASAAPL'), undefined, 'no minute history for US is not a failure');
    } finally {
      prices.dispose();
      await prices.settled();
    }
  });
});
