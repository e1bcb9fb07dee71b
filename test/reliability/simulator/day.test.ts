import * as assert from 'node:assert/strict';
import { parseFrame, readTrade, splitRecords } from '../../../src/kis';
import { KisSimulator, VI_DURATION_MS } from '../../../src/simulator';
import { approve, Fixture, WAIT_MS, type TestClient } from './harness';
import { emitted, nextEvent } from '../../support/wait';

const SYMBOL = '005930';
/** Every TR of a symbol's whole day. */
const ALL_TRS = [
  'H0STCNT0',
  'H0STASP0',
  'H0STANC0',
  'H0STMKO0',
  'H0NXCNT0',
  'H0NXASP0',
  'H0NXANC0',
  'H0NXMKO0',
  'H0UNCNT0',
  'H0UNASP0',
  'H0UNANC0',
  'H0UNMKO0',
];
/** Data ticks waited before "silent" is judged: every streaming feed sends its first record on the first tick. */
const TICKS = 5;

/** Resolves once the simulator has pumped `n` more data ticks (event-driven, with a timeout). */
function ticks(sim: KisSimulator, n: number): Promise<void> {
  const target = sim.day.ticks + n;
  return nextEvent(emitted<number>(sim.day, 'tick'), `${n} simulator ticks`, (count) => count >= target, WAIT_MS).then(
    () => undefined,
  );
}

/** Records received of `trId`, split into fields. */
function received(client: TestClient, trId: string): string[][] {
  const out: string[][] = [];
  for (const text of client.frames(trId)) {
    const frame = parseFrame(text);
    const fields = splitRecords(frame);
    for (let i = 0; i < frame.count; i++) out.push(fields.slice(i * frame.width, (i + 1) * frame.width));
  }
  return out;
}

describe('simulator: the trading day at fixed clock instants', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  /** Starts a calendar simulator at `iso`, subscribes every TR of SYMBOL and returns the TRs that sent records. */
  async function streamingAt(iso: string): Promise<string[]> {
    const sim = fx.sim(await KisSimulator.start({ calendar: true, now: () => Date.parse(iso), ratePerSymbol: 20 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    for (const trId of ALL_TRS) await client.subscribe(key, trId, SYMBOL);
    await ticks(sim, TICKS);
    return ALL_TRS.filter((trId) => sim.sentRecords(trId, SYMBOL).length > 0).sort();
  }

  it('08:40 weekday: KRX opening auction (book, expected) and NXT pre-market (trades, book); KRX trades silent', async () => {
    assert.deepEqual(await streamingAt('2026-12-07T08:40:00+09:00'), [
      'H0NXASP0',
      'H0NXCNT0',
      'H0STANC0',
      'H0STASP0',
      'H0UNANC0',
      'H0UNASP0',
      'H0UNCNT0',
    ]);
  });

  it('11:00 weekday: trades and books of every exchange; no expected execution, no status events', async () => {
    assert.deepEqual(await streamingAt('2026-12-07T11:00:00+09:00'), [
      'H0NXASP0',
      'H0NXCNT0',
      'H0STASP0',
      'H0STCNT0',
      'H0UNASP0',
      'H0UNCNT0',
    ]);
  });

  it('15:25 weekday: KRX closing auction only; NXT silent in its break', async () => {
    assert.deepEqual(await streamingAt('2026-12-07T15:25:00+09:00'), ['H0STANC0', 'H0STASP0', 'H0UNANC0', 'H0UNASP0']);
  });

  it('17:30 weekday: KRX and NXT after-markets: trades and books', async () => {
    assert.deepEqual(await streamingAt('2026-12-07T17:30:00+09:00'), [
      'H0NXASP0',
      'H0NXCNT0',
      'H0STASP0',
      'H0STCNT0',
      'H0UNASP0',
      'H0UNCNT0',
    ]);
  });

  it('Saturday noon: every feed is acknowledged and silent', async () => {
    assert.deepEqual(await streamingAt('2026-12-12T12:00:00+09:00'), []);
  });

  it('sends the official column counts', async () => {
    const sim = fx.sim(
      await KisSimulator.start({
        calendar: true,
        now: () => Date.parse('2026-12-07T08:40:00+09:00'),
        ratePerSymbol: 20,
      }),
    );
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    for (const trId of ['H0UNCNT0', 'H0NXASP0', 'H0UNASP0', 'H0STANC0', 'H0UNANC0'])
      await client.subscribe(key, trId, SYMBOL);
    await client.waitFor(
      () => (client.frames('H0UNANC0').length > 0 && client.frames('H0UNCNT0').length > 0 ? true : undefined),
      'frames',
    );
    const widths = Object.fromEntries(
      ['H0UNCNT0', 'H0NXASP0', 'H0UNASP0', 'H0STANC0', 'H0UNANC0'].map((t) => [
        t,
        parseFrame(client.frames(t)[0]).width,
      ]),
    );
    assert.deepEqual(widths, { H0UNCNT0: 46, H0NXASP0: 65, H0UNASP0: 65, H0STANC0: 45, H0UNANC0: 46 });
  });

  it("a unified trade is a trade of one of the two exchanges, at its price, with both exchanges' cumulative volume", async () => {
    const sim = fx.sim(
      await KisSimulator.start({
        calendar: true,
        now: () => Date.parse('2026-12-07T11:00:00+09:00'),
        ratePerSymbol: 50,
      }),
    );
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0UNCNT0', SYMBOL);
    await client.waitFor(() => (received(client, 'H0UNCNT0').length >= 4 ? true : undefined), 'unified trades');
    await sim.close();
    const records = received(client, 'H0UNCNT0');
    const krx = sim.market(SYMBOL);
    const nxt = sim.day.nxtModel(SYMBOL);
    assert.equal(
      krx.trades + nxt.trades,
      records.length + 1,
      'every unified record is one venue trade (KRX opened once at the planned price)',
    );
    assert.ok(krx.trades > 1 && nxt.trades > 0, 'both venues trade while both are open');
    const last = readTrade(records[records.length - 1], 0);
    assert.ok(
      last.price === krx.price || last.price === nxt.price,
      'the last unified price is the last price of a venue',
    );
    assert.equal(last.cumVolume, krx.cumVolume + nxt.cumVolume, "the unified cumulative volume is both venues'");
  });

  it('the expected price converges to the opening price, and KRX opens at it at 09:00', async () => {
    let now = Date.parse('2026-12-07T08:30:00+09:00');
    const sim = fx.sim(await KisSimulator.start({ calendar: true, now: () => now, ratePerSymbol: 20 }));
    const open = sim.day.plannedOpen(SYMBOL);
    const first = sim.day.expectedPrice(SYMBOL, now);
    const late = sim.day.expectedPrice(SYMBOL, Date.parse('2026-12-07T08:59:59+09:00'));
    assert.equal(late, open);
    assert.ok(
      Math.abs(first - open) >= Math.abs(sim.day.expectedPrice(SYMBOL, Date.parse('2026-12-07T08:45:00+09:00')) - open),
    );
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STANC0', SYMBOL);
    await client.subscribe(key, 'H0STCNT0', SYMBOL);
    await client.waitFor(() => (received(client, 'H0STANC0').length > 0 ? true : undefined), 'expected execution');
    assert.equal(Number(received(client, 'H0STANC0')[0][2]), first);
    now = Date.parse('2026-12-07T09:00:00+09:00');
    await client.waitFor(() => (received(client, 'H0STCNT0').length > 0 ? true : undefined), 'the first KRX trade');
    const trade = readTrade(received(client, 'H0STCNT0')[0], 0);
    assert.equal(trade.open, open);
  });

  it('a VI: a status event, the venue trades stop and its expected execution streams for two minutes, then trading resumes', async () => {
    let now = Date.parse('2026-12-07T11:00:00+09:00');
    const sim = fx.sim(await KisSimulator.start({ calendar: true, now: () => now, ratePerSymbol: 20 }));
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    for (const trId of ['H0STCNT0', 'H0STMKO0', 'H0STANC0', 'H0NXMKO0']) await client.subscribe(key, trId, SYMBOL);
    await client.waitFor(() => (received(client, 'H0STCNT0').length > 0 ? true : undefined), 'trades');
    sim.day.startVi(SYMBOL, 'KRX', now);
    await client.waitFor(() => (received(client, 'H0STMKO0').length > 0 ? true : undefined), 'the VI start');
    assert.equal(received(client, 'H0STMKO0')[0][8], 'Y');
    assert.equal(received(client, 'H0STMKO0')[0].length, 11);
    const tradesAtVi = sim.sentRecords('H0STCNT0', SYMBOL).length;
    await ticks(sim, TICKS);
    assert.equal(sim.sentRecords('H0STCNT0', SYMBOL).length, tradesAtVi, 'no trades during the VI');
    assert.ok(sim.sentRecords('H0STANC0', SYMBOL).length > 0, 'the VI auction streams its expected price');
    assert.equal(sim.sentRecords('H0NXMKO0', SYMBOL).length, 0, 'NXT is not in a VI');
    now += VI_DURATION_MS;
    await client.waitFor(() => (received(client, 'H0STMKO0').length > 1 ? true : undefined), 'the VI end');
    assert.equal(received(client, 'H0STMKO0')[1][8], 'N');
    await client.waitFor(
      () => (sim.sentRecords('H0STCNT0', SYMBOL).length > tradesAtVi ? true : undefined),
      'trades again',
    );
  });

  it('a price move past the static threshold starts a VI by itself', async () => {
    const sim = fx.sim(
      await KisSimulator.start({
        calendar: true,
        now: () => Date.parse('2026-12-07T11:00:00+09:00'),
        ratePerSymbol: 200,
        volatilityTicks: 400,
      }),
    );
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0UNMKO0', SYMBOL);
    await client.subscribe(key, 'H0NXCNT0', SYMBOL);
    await client.waitFor(() => (received(client, 'H0UNMKO0').length > 0 ? true : undefined), 'a VI event');
    const status = received(client, 'H0UNMKO0')[0];
    assert.equal(status.length, 10, 'H0UNMKO0 as the sample lists it: no symbol');
    assert.equal(status[7], 'Y');
    assert.equal(sim.day.inVi(SYMBOL, 'NXT', Date.parse('2026-12-07T11:00:00+09:00')), true);
  });

  it('the demo (no calendar) streams every trade and book feed at any hour, and expected execution only in a VI', async () => {
    const sim = fx.sim(
      await KisSimulator.start({ now: () => Date.parse('2026-12-12T03:00:00+09:00'), ratePerSymbol: 20 }),
    );
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    for (const trId of ALL_TRS) await client.subscribe(key, trId, SYMBOL);
    await ticks(sim, TICKS);
    const streaming = ALL_TRS.filter((trId) => sim.sentRecords(trId, SYMBOL).length > 0).sort();
    assert.deepEqual(streaming, ['H0NXASP0', 'H0NXCNT0', 'H0STASP0', 'H0STCNT0', 'H0UNASP0', 'H0UNCNT0']);
  });
});
