import * as assert from 'node:assert/strict';
import { parseFrame, readIntlRecords, splitRecords, type IntlRecord } from '../../../src/kis';
import { KisSimulator } from '../../../src/simulator';
import { IntlSim } from '../../../src/simulator/market/intlSim';
import { MasterCache } from '../../../src/rest/masterFiles';
import { createSymbolSearch } from '../../../src/market';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { approve, Fixture, type TestClient } from './harness';

function records(client: TestClient, trId: string): { widths: number[]; read: IntlRecord[] } {
  const widths: number[] = [];
  const read: IntlRecord[] = [];
  for (const text of client.frames(trId)) {
    const frame = parseFrame(text);
    widths.push(frame.width);
    readIntlRecords(
      trId,
      splitRecords(frame),
      frame.width,
      (r) => read.push(r),
      (e) => assert.fail(e.message),
    );
  }
  return { widths, read };
}

describe('simulator: index and US streams', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  it('streams H0UPCNT0 (30 fields) for KOSPI and KOSDAQ, with moving values in points', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 200 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0UPCNT0', '0001');
    await client.subscribe(key, 'H0UPCNT0', '1001');
    await client.waitFor(() => (client.recordsReceived('H0UPCNT0') >= 40 ? true : undefined), '40 index records');
    const { widths, read } = records(client, 'H0UPCNT0');
    assert.ok(widths.every((w) => w === 30));
    const kospi = read.flatMap((r) => (r.kind === 'index' && r.record.code === '0001' ? [r.record.value] : []));
    const kosdaq = read.flatMap((r) => (r.kind === 'index' && r.record.code === '1001' ? [r.record.value] : []));
    assert.ok(kospi.length > 1 && kosdaq.length > 1);
    assert.ok(new Set(kospi).size > 1, 'KOSPI moves');
    assert.ok(
      kospi.every((v) => v > 1500 && v < 4000),
      'KOSPI in points',
    );
  });

  it('streams HDFSCNT0 (26 fields, RSYM first) in dollars and HDFSASP0 (17), and refuses a KRX code for them', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 200 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'HDFSCNT0', 'DNASAAPL');
    await client.subscribe(key, 'HDFSASP0', 'DNASAAPL');
    await client.waitFor(
      () => (client.recordsReceived('HDFSCNT0') >= 20 && client.recordsReceived('HDFSASP0') >= 5 ? true : undefined),
      'US trades and books',
    );
    const trades = records(client, 'HDFSCNT0');
    assert.ok(trades.widths.every((w) => w === 26));
    for (const r of trades.read) {
      assert.ok(r.kind === 'usTrade');
      if (r.kind !== 'usTrade') continue;
      assert.equal(r.record.key, 'DNASAAPL');
      assert.equal(r.record.ticker, 'AAPL');
      assert.equal(r.record.decimals, 4);
      assert.ok(r.record.price > 0 && r.record.price < 1000, 'dollars');
      assert.match(r.record.localTime, /^\d{6}$/);
      assert.notEqual(r.record.session, 'unknown');
    }
    assert.ok(records(client, 'HDFSASP0').widths.every((w) => w === 17));
    const reply = await client.subscribe(key, 'HDFSCNT0', '005930');
    assert.equal(reply.body?.msg_cd, 'OPSP8992');
  });

  it('with market hours on, streams US keys only in a US session by the New York clock, and R keys only in the day session', () => {
    const sim = new IntlSim(true);
    const at = (iso: string): number => Date.parse(iso);
    assert.equal(sim.streams('HDFSCNT0', 'DNASAAPL', at('2026-03-09T13:30:00Z')), true, '09:30 EDT');
    assert.equal(sim.streams('HDFSCNT0', 'DNASAAPL', at('2026-03-07T13:30:00Z')), false, 'Saturday');
    assert.equal(sim.streams('HDFSCNT0', 'RBAQAAPL', at('2026-03-09T13:30:00Z')), false);
    assert.equal(sim.streams('HDFSCNT0', 'RBAQAAPL', at('2026-03-10T02:00:00Z')), true, '11:00 KST Tuesday');
    assert.equal(sim.streams('H0UPCNT0', '0001', at('2026-03-07T13:30:00Z')), true, 'indices follow the KRX gate');
    assert.equal(new IntlSim(false).streams('HDFSCNT0', 'DNASAAPL', at('2026-03-07T13:30:00Z')), true);
    const [trade] = sim.records('HDFSCNT0', 'DNYSKO', 1, at('2026-03-09T21:00:00Z'), '060000', '20260310');
    assert.equal(trade[25], '3', 'MTYP 3 (after) at 17:00 EDT');
    assert.equal(trade[5], '170000', 'XHMS is New York time');
  });

  it('serves its catalogue as master files in the official format: the cache downloads them and "apple" finds AAPL', async () => {
    const sim = fx.sim(await KisSimulator.start({}));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-sim-masters-'));
    try {
      const snapshot = await new MasterCache({ dir, baseUrl: `${sim.restUrl}/common/master/` }).refresh();
      assert.deepEqual(
        snapshot.errors.map((e) => e.code),
        ['EMPTY'],
        'KONEX: the catalogue lists none',
      );
      assert.ok(snapshot.entries.some((e) => e.code === '005930' && e.nameKo === '삼성전자' && e.market === 'KOSPI'));
      assert.ok(snapshot.entries.some((e) => e.code === 'DNYSKO'));
      const search = createSymbolSearch(snapshot.entries);
      assert.equal(search.search('apple')[0].code, 'DNASAAPL');
      assert.equal(search.search('ㅅㅅㅈㅈ')[0].code, '005930');
      const missing = await fetch(`${sim.restUrl}/common/master/nope.zip`);
      assert.equal(missing.status, 404);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
