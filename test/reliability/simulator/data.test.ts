import * as assert from 'node:assert/strict';
import { classify, decryptFrame, parseFrame, readNotice, readTrade, splitRecords } from '../../../src/kis';
import { isOnTick, KisSimulator } from '../../../src/simulator';
import { approve, Fixture, nextEvent, type TestClient } from './harness';

/** Records of every received frame of `trId`, in order. */
function receivedRecords(client: TestClient, trId: string): string[][] {
  const out: string[][] = [];
  for (const text of client.frames(trId)) {
    const frame = parseFrame(text);
    const fields = splitRecords(frame);
    for (let i = 0; i < frame.count; i++) out.push(fields.slice(i * frame.width, (i + 1) * frame.width));
  }
  return out;
}

function recordCount(client: TestClient, trId?: string): number {
  return client.recordsReceived(trId);
}

describe('simulator market data', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  it('streams H0STCNT0 records that parse with src/kis and respect ticks, limits and running totals', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 400, symbols: ['005930'], volatilityTicks: 3 }));
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0STCNT0', '005930');
    await client.waitFor(() => (recordCount(client) >= 200 ? true : undefined), '200 trade records');
    const market = sim.market('005930');
    let prevVolume = 0;
    let prevValue = 0;
    for (const fields of receivedRecords(client, 'H0STCNT0')) {
      assert.equal(fields.length, 46);
      const t = readTrade(fields, 0);
      assert.equal(t.symbol, '005930');
      assert.ok(isOnTick(t.price));
      assert.ok(t.price >= market.lower && t.price <= market.upper);
      assert.equal(t.change, t.price - 71900);
      assert.equal(t.cumVolume, prevVolume + t.tradeVolume, 'cumulative volume adds up record by record');
      assert.equal(t.cumValue, prevValue + t.price * t.tradeVolume, 'cumulative value adds up');
      assert.match(t.time, /^\d{6}$/);
      assert.match(t.businessDate, /^20\d{6}$/);
      prevVolume = t.cumVolume;
      prevValue = t.cumValue;
    }
  });

  it('packs several records into one frame when several are due', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 1000, maxRecordsPerFrame: 10 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', '000660');
    await client.subscribe(key, 'H0STASP0', '000660');
    await client.waitFor(
      () => (client.frames('H0STASP0').some((f) => parseFrame(f).count > 1) ? true : undefined),
      'a multi-record book frame',
    );
    const counts = client.frames('H0STCNT0').map((f) => parseFrame(f).count);
    assert.ok(
      counts.some((c) => c > 1),
      `counts ${counts.join(',')}`,
    );
    assert.ok(counts.every((c) => c <= 10));
    for (const text of client.frames('H0STASP0')) {
      const frame = parseFrame(text);
      assert.equal(frame.width, 59);
      assert.match(text, /^0\|H0STASP0\|\d{3}\|000660\^/);
    }
  });

  it('sends one record per frame at a low rate, and ticks symbols outside the catalogue', async () => {
    // One record every 250 ms, checked every 10 ms: two would be due only after a 250 ms event-loop stall.
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 4, tickIntervalMs: 10 }));
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0STCNT0', '123456');
    await client.waitFor(() => (client.frames().length >= 3 ? true : undefined), '3 frames');
    assert.ok(client.frames().every((f) => parseFrame(f).count === 1));
    assert.equal(readTrade(receivedRecords(client, 'H0STCNT0')[0], 0).symbol, '123456');
  });

  it('is deterministic for a seed: two servers send the same trade sequence', async () => {
    const sequence = async (seed: number): Promise<string[]> => {
      const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 500, seed }));
      const client = await fx.client(sim.wsUrl);
      await client.subscribe(await approve(sim), 'H0STCNT0', '035420');
      await client.waitFor(() => (recordCount(client) >= 50 ? true : undefined), '50 records');
      // Drop the time fields; everything else is the walk.
      return receivedRecords(client, 'H0STCNT0')
        .slice(0, 50)
        .map((f) => [f[2], f[12], f[13], f[14], f[21]].join(','));
    };
    const a = await sequence(99);
    const b = await sequence(99);
    const c = await sequence(100);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('the send log equals what the client received, record for record', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 300 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', '005930');
    await client.subscribe(key, 'H0STASP0', '005930');
    await client.waitFor(() => (recordCount(client) >= 100 ? true : undefined), '100 records');
    // Unsubscribe both, then every record sent has been received once the two acks arrive.
    await client.subscribe(key, 'H0STCNT0', '005930', '2');
    await client.subscribe(key, 'H0STASP0', '005930', '2');
    const log = sim.sendLog();
    for (const trId of ['H0STCNT0', 'H0STASP0']) {
      const row = log.find((r) => r.trId === trId && r.symbol === '005930');
      assert.ok(row !== undefined);
      assert.equal(row.records, recordCount(client, trId), trId);
      assert.equal(row.frames, client.frames(trId).length);
      assert.deepEqual(
        sim.sentRecords(trId, '005930'),
        receivedRecords(client, trId).map((f) => f.join('^')),
      );
    }
    assert.equal(sim.totalRecordsSent(), recordCount(client));
  });

  it('stops a stream on unsubscribe and keeps the others', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 200 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', '005930');
    await client.subscribe(key, 'H0STCNT0', '000660');
    await client.subscribe(key, 'H0STCNT0', '005930', '2');
    const sentBefore = sim.sendLog().find((r) => r.symbol === '005930')?.records;
    const stopIndex = client.messages.length;
    await client.waitFor(
      () => (client.messages.slice(stopIndex).filter((m) => m.includes('|000660^')).length >= 5 ? true : undefined),
      'more 000660 frames',
    );
    assert.ok(!client.messages.slice(stopIndex).some((m) => m.includes('|005930^')));
    assert.equal(sim.sendLog().find((r) => r.symbol === '005930')?.records, sentBefore);
  });

  it('max rate sends as fast as the socket drains and changes rate at run time', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 1 }));
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0STCNT0', '005930');
    sim.setRate('max', '005930');
    await client.waitFor(() => (recordCount(client) >= 5000 ? true : undefined), '5000 records', 10_000);
    assert.ok(
      client
        .frames()
        .slice(-10)
        .every((f) => parseFrame(f).count === 10),
    );
    sim.setRate(1, '005930', 'H0STCNT0');
    sim.setRate(2);
    assert.throws(() => sim.setRate(-1), /rate/);
  });

  it('blast() sends exactly N records in frames of the requested size and resolves', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.01 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', '005930');
    await client.waitFor(() => (client.frames().length >= 1 ? true : undefined), 'the first record');
    const result = await sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 20_005, recordsPerFrame: 10 });
    assert.equal(result.records, 20_005);
    assert.ok(result.elapsedMs >= 0);
    await client.waitFor(() => (recordCount(client) >= 20_006 ? true : undefined), 'all blasted records', 10_000);
    const counts = client
      .frames()
      .slice(1)
      .map((f) => parseFrame(f).count);
    assert.equal(counts.filter((c) => c === 10).length, 2000);
    assert.equal(counts[counts.length - 1], 5);
    await assert.rejects(sim.blast({ trId: 'H0STASP0', symbol: '005930', records: 1 }), /no connection/);
    await assert.rejects(
      sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 1, recordsPerFrame: 0 }),
      /recordsPerFrame/,
    );
  });

  it('blast() ends early when the connection drops', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.01 }));
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0STCNT0', '005930');
    const blast = sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 50_000_000 });
    await client.waitFor(() => (client.frames().length > 100 ? true : undefined), 'blast frames');
    client.ws.terminate();
    const result = await blast;
    assert.ok(result.records < 50_000_000);
  });

  it('sends encrypted execution notices that decrypt with the key/iv of their ack', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    const ack = await client.subscribe(key, 'H0STCNI0', 'HTSUSER1');
    const plaintext = sim.sendNotice('HTSUSER1', { STCK_SHRN_ISCD: '000660', CNTG_QTY: '7' });
    const text = await client.waitFor(() => client.frames('H0STCNI0')[0], 'a notice frame');
    assert.match(text, /^1\|H0STCNI0\|001\|[A-Za-z0-9+/]+=*$/);
    const envelope = classify(text);
    assert.equal(envelope.kind, 'frame');
    if (envelope.kind !== 'frame') return;
    const frame = decryptFrame(envelope.frame, ack.body?.output?.key ?? '', ack.body?.output?.iv ?? '');
    assert.equal(frame.payload, plaintext);
    assert.equal(frame.width, 26);
    const notice = readNotice(splitRecords(frame), 0, frame.width);
    assert.equal(notice.customerId, 'HTSUSER1');
    assert.equal(notice.symbol, '000660');
    assert.equal(notice.quantity, 7);
    assert.equal(notice.symbolName, 'SK하이닉스');
    assert.equal(notice.isFill, true);
    assert.deepEqual(sim.sentRecords('H0STCNI0', 'HTSUSER1'), [plaintext]);
    // The paper TR works the same; another registration's key does not decrypt it.
    const paper = await client.subscribe(key, 'H0STCNI9', 'HTSUSER2');
    sim.sendNotice('HTSUSER2');
    const paperText = await client.waitFor(() => client.frames('H0STCNI9')[0], 'a paper notice');
    const paperFrame = parseFrame(paperText);
    assert.throws(() => decryptFrame(paperFrame, ack.body?.output?.key ?? '', ack.body?.output?.iv ?? ''));
    assert.equal(decryptFrame(paperFrame, paper.body?.output?.key ?? '', paper.body?.output?.iv ?? '').width, 26);
    // The error says what is missing without repeating the HTS ID (account data).
    assert.throws(
      () => sim.sendNotice('NOBODY'),
      (e: Error) => /subscribed to execution notices for that HTS ID/.test(e.message) && !e.message.includes('NOBODY'),
    );
  });

  it('with marketHours sends no data outside KRX hours but still acks and pings', async () => {
    let now = Date.UTC(2026, 10, 25, 12, 0); // 21:00 KST
    const sim = fx.sim(
      await KisSimulator.start({
        marketHours: true,
        ratePerSymbol: 500,
        tickIntervalMs: 5,
        pingIntervalMs: 30,
        now: () => now,
      }),
    );
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    assert.equal((await client.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
    client.ws.on('message', (d: Buffer) => {
      if (d.toString().includes('PINGPONG')) client.ws.send(d.toString());
    });
    // Timers fire in expiry order: between two 30 ms PINGPONGs the 5 ms data timer has run.
    await nextEvent(sim, 'pingpong-echo');
    await nextEvent(sim, 'pingpong-echo');
    assert.equal(client.frames().length, 0);
    now = Date.UTC(2026, 10, 25, 1, 0); // 10:00 KST
    const trade = await client.waitFor(() => client.frames()[0], 'a trade once the market opens');
    assert.equal(readTrade(splitRecords(parseFrame(trade)), 0).time, '100000');
  });
});
