/**
 * No loss at design load: the simulator (in its own process, as KIS is on another machine) streams
 * 50,000 trade records/s into the agent and the worker; every trade it sent is counted by the worker,
 * per symbol. Across a forced reconnect, everything sent after the resubscribe ack arrives, and the
 * agent reports the gap of every symbol.
 *
 * The duration is 60 s by default (`KIS_NOLOSS_SECONDS` overrides, e.g. for a quick local run).
 * Waiting is on snapshots and agent events with a timeout; the only clock is the load's own duration.
 */
import { strict as assert } from 'node:assert';
import type { KisAgent } from '../../src/agent';
import type { DataFrame } from '../../src/kis';
import type { RecordSink } from '../../src/shared/recordSink';
import type { DataGap } from '../../src/shared/stats';
import type { SendLogRow } from '../../src/simulator';
import { WorkerHost } from '../../src/worker/host';
import { startSim, type SimHandle } from '../../bench/support/simProcess';
import { makeAgent, waitFor } from './agent/helpers';
import { waitUntil } from '../unit/worker/helpers';

const TRADE = 'H0STCNT0';
const DESIGN_LOAD = 50_000;
const SECONDS = Number(process.env.KIS_NOLOSS_SECONDS ?? 60);
const SYMBOLS = Array.from({ length: 20 }, (_, i) => String(100_010 + i * 10).padStart(6, '0'));

/** Counts trade records per symbol per session (epoch), then passes every batch on to the real sink. */
class SessionCountingSink implements RecordSink {
  epoch = 0;
  readonly counts: Map<string, number>[] = [new Map()];
  constructor(private readonly next: RecordSink) {}

  push(frames: readonly DataFrame[]): void {
    const counts = this.counts[this.epoch];
    for (const frame of frames) {
      if (frame.trId !== TRADE) continue;
      // Every simulator frame holds records of one symbol; the symbol is the first field.
      const symbol = frame.payload.slice(0, frame.payload.indexOf('^'));
      counts.set(symbol, (counts.get(symbol) ?? 0) + frame.count);
    }
    this.next.push(frames);
  }

  newSession(): void {
    this.epoch += 1;
    this.counts.push(new Map());
  }

  received(epoch: number, symbol: string): number {
    return this.counts[epoch]?.get(symbol) ?? 0;
  }
}

/** Trade records per symbol in a send log. */
function trades(log: readonly SendLogRow[]): Map<string, number> {
  return new Map(log.filter((row) => row.trId === TRADE).map((row) => [row.symbol, row.records]));
}

describe('no loss at design load (simulator in its own process)', function () {
  this.timeout((SECONDS + 90) * 1000);
  let sim: SimHandle | undefined;
  let agent: KisAgent | undefined;
  let host: WorkerHost | undefined;

  async function setUp(
    ratePerSymbol: number,
  ): Promise<{ sim: SimHandle; agent: KisAgent; host: WorkerHost; sink: SessionCountingSink }> {
    sim = await startSim(
      { port: 0, ratePerSymbol, maxRecordsPerFrame: 10, tickIntervalMs: 50, sendLogLimit: 0 },
      false,
    );
    host = new WorkerHost({ snapshotIntervalMs: 100 });
    const sink = new SessionCountingSink(host);
    agent = makeAgent(sim, sink, { ackTimeoutMs: 15_000 });
    // Sessions after the first: count their records apart (the 'open' state comes before any of its data).
    let opened = 0;
    agent.on('state', ({ to }) => {
      if (to === 'open' && opened++ > 0) sink.newSession();
    });
    await agent.connect();
    for (const symbol of SYMBOLS) await agent.subscribe(TRADE, symbol);
    return { sim, agent, host, sink };
  }

  /** Unsubscribes everything (after the acks nothing more is sent) and waits until the worker has it all. */
  async function settle(s: SimHandle, a: KisAgent, h: WorkerHost): Promise<Map<string, number>> {
    for (const symbol of SYMBOLS) await a.unsubscribe(TRADE, symbol);
    const sent = trades((await s.stats()).sendLog);
    await waitUntil(
      h,
      'snapshot',
      () => SYMBOLS.every((x) => (h.latest(x)?.trades ?? 0) >= (sent.get(x) ?? 0)),
      'worker caught up with the send log',
      30_000,
    );
    return sent;
  }

  afterEach(async () => {
    await agent?.dispose();
    await host?.dispose();
    await sim?.close();
    agent = host = sim = undefined;
  });

  it(`every trade sent at ${DESIGN_LOAD.toLocaleString('en')} records/s for ${SECONDS} s is counted by the worker, per symbol`, async () => {
    const { sim: s, agent: a, host: h } = await setUp(DESIGN_LOAD / SYMBOLS.length);
    const startedAt = Date.now();
    const startRecords = (await s.stats()).totalRecordsSent;
    await waitUntil(
      h,
      'snapshot',
      () => Date.now() - startedAt >= SECONDS * 1000,
      `${SECONDS} s of load`,
      (SECONDS + 30) * 1000,
    );
    const elapsed = Date.now() - startedAt;
    const sent = await settle(s, a, h);
    const total = [...sent.values()].reduce((n, x) => n + x, 0);
    for (const symbol of SYMBOLS) {
      assert.ok((sent.get(symbol) ?? 0) > 0, `${symbol} streamed`);
      assert.equal(h.latest(symbol)?.trades, sent.get(symbol), `trades of ${symbol}: worker vs simulator`);
    }
    assert.equal(h.stats().dropped, 0);
    assert.equal(a.stats().parseErrors, 0);
    assert.equal(a.stats().reconnects, 0);
    // For the record (speed is measured in bench/, not asserted here): the load this test ran at.
    const rate = Math.round(((total - startRecords) * 1000) / elapsed);
    console.log(
      `      load: ${total.toLocaleString('en')} trades over ${SYMBOLS.length} symbols, ${rate.toLocaleString('en')} records/s for ${(elapsed / 1000).toFixed(1)} s; worker exact for every symbol`,
    );
  });

  it('across a forced reconnect everything sent after the resubscribe ack arrives, and each symbol reports its gap', async () => {
    const { sim: s, agent: a, host: h, sink } = await setUp(DESIGN_LOAD / SYMBOLS.length);
    const gaps: DataGap[] = [];
    a.on('gap', (gap) => gaps.push(gap));
    // Some load on the first session, then the server drops it (the client sees 1006).
    await waitUntil(
      h,
      'snapshot',
      () => SYMBOLS.every((x) => (h.latest(x)?.trades ?? 0) >= 2000),
      'first session streaming',
      20_000,
    );
    // When the agent noticed the loss: every gap must span it (no wall-clock slack for how far it lagged).
    let lostAt = 0;
    a.once('state', () => (lostAt = Date.now()));
    const sentBeforeDrop = trades(await s.drop());
    await waitFor(() => gaps.length === SYMBOLS.length, 'a closed gap for every symbol', 20_000);
    const afterResubscribe = Date.now();
    // Load on the second session, then stop it and count.
    await waitUntil(
      h,
      'snapshot',
      () => SYMBOLS.every((x) => (h.latest(x)?.trades ?? 0) >= (sentBeforeDrop.get(x) ?? 0) + 2000),
      'second session streaming',
      20_000,
    );
    const sent = await settle(s, a, h);

    assert.equal(a.stats().reconnects, 1);
    assert.equal(sink.epoch, 1, 'exactly one new session');
    let lostInFlight = 0;
    for (const symbol of SYMBOLS) {
      const s1 = sentBeforeDrop.get(symbol) ?? 0;
      const s2 = (sent.get(symbol) ?? 0) - s1;
      const r1 = sink.received(0, symbol);
      const r2 = sink.received(1, symbol);
      assert.ok(s2 > 0, `${symbol} streamed on the second session`);
      assert.equal(r2, s2, `${symbol}: every trade sent on the new session (after its resubscribe ack) arrived`);
      assert.ok(r1 <= s1, `${symbol}: no more than was sent before the drop`);
      assert.equal(h.latest(symbol)?.trades, r1 + r2, `${symbol}: the worker counted everything the agent received`);
      lostInFlight += s1 - r1;
    }
    assert.equal(h.stats().dropped, 0);

    // One gap per symbol, each from the last message of the dropped session to its resubscribe ack.
    assert.ok(lostAt > 0, 'the agent saw the loss');
    assert.deepEqual(gaps.map((g) => g.trKey).sort(), [...SYMBOLS].sort());
    for (const gap of gaps) {
      assert.equal(gap.trId, TRADE);
      assert.ok(gap.to !== undefined && gap.from <= gap.to, `${gap.trKey}: from ${gap.from} to ${gap.to}`);
      assert.ok(
        gap.from <= lostAt && gap.to >= lostAt && gap.to <= afterResubscribe,
        `${gap.trKey}: the gap spans the loss`,
      );
      assert.match(gap.reason, /1006/);
    }
    const stats = a.stats();
    assert.equal(stats.gaps, SYMBOLS.length);
    assert.deepEqual(stats.openGaps, []);
    assert.equal(stats.recentGaps?.length, SYMBOLS.length);
    const widest = Math.max(...gaps.map((g) => (g.to ?? g.from) - g.from));
    console.log(
      `      reconnect: ${lostInFlight} trades were in flight when the socket died (reported as gaps); widest gap ${widest} ms; after the resubscribe acks every trade arrived`,
    );
  });
});
