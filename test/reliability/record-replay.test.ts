/**
 * Record and replay end to end: a simulated session with two reconnects (a clean close whose
 * reason quotes a secret, an OPSP0011 that echoes the approval key) and encrypted notices is recorded
 * from the agent's tap; played back at max speed through a simulator into a fresh agent and worker, the
 * worker ends in the same state as the live one, and the notices decrypt to the same plaintexts.
 * No secret, nor any 8-character piece of one, appears in the recording, raw or inflated.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { KisAgent, RecordSink } from '../../src/agent';
import type { DataFrame } from '../../src/kis';
import { RecordingReader, RecordingWriter, type RecordingEntry } from '../../src/recorder';
import { KisSimulator, ReplayFeed } from '../../src/simulator';
import { WorkerHost } from '../../src/worker/host';
import { makeAgent, TEST_APPKEY, TEST_APPSECRET, waitFor } from './agent/helpers';

const HTS_ID = 'htsuser01';
const SUBSCRIPTIONS: [string, string][] = [
  ['H0STCNT0', '005930'],
  ['H0STCNT0', '000660'],
  ['H0STASP0', '005930'],
  ['H0STCNI0', HTS_ID],
];

/** A sink that feeds the worker host and keeps what the test compares: frame count and notice plaintexts. */
function teeSink(host: WorkerHost): RecordSink & { frames: number; notices: string[] } {
  const sink = {
    frames: 0,
    notices: [] as string[],
    push(frames: readonly DataFrame[]): void {
      sink.frames += frames.length;
      for (const f of frames) if (f.trId === 'H0STCNI0') sink.notices.push(f.payload);
      host.push(frames);
    },
  };
  return sink;
}

/** The worker's state with the local receive times left out (those differ between runs by nature). */
/** A worker host whose thread is up before the session starts (its start-up is not part of either run). */
async function readyHost(): Promise<WorkerHost> {
  const host = new WorkerHost({ snapshotIntervalMs: 50 });
  const ready = new Promise<void>((resolve) => host.once('ready', () => resolve()));
  host.start();
  await ready;
  return host;
}

function workerState(host: WorkerHost): unknown {
  return host
    .quotes()
    .map(({ lastUpdateAt: _ignored, ...quote }) => ({
      quote,
      bars: host.bars(quote.symbol),
      book: host.book(quote.symbol),
    }))
    .sort((a, b) => a.quote.symbol.localeCompare(b.quote.symbol));
}

async function settled(agent: KisAgent, host: WorkerHost): Promise<void> {
  await waitFor(
    () => {
      const s = host.stats();
      // Order-book records replaced by a newer one in the host's queue (latest wins) are not applied.
      return s.records + s.coalesced === agent.stats().records && s.queued === 0 && (s.inFlight ?? 0) === 0;
    },
    `the worker to apply every record (${JSON.stringify(host.stats())} vs ${agent.stats().records})`,
    15_000,
  );
}

/** Every 8-character piece of a secret. */
function pieces(secret: string): string[] {
  return Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
}

describe('record and replay', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-rec-'));
  const file = path.join(dir, 'session.kisrec');
  const approvalKeys: string[] = [];
  let live: { state: unknown; notices: string[]; records: number } | undefined;
  const disposables: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const d of disposables.splice(0).reverse()) await d();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function subscribeAll(agent: KisAgent): Promise<void> {
    await Promise.all(SUBSCRIPTIONS.map(([trId, trKey]) => agent.subscribe(trId, trKey)));
  }

  it('records a live session with reconnects and notices from the agent tap', async () => {
    const sim = await KisSimulator.start({ port: 0, ratePerSymbol: 200, symbols: ['005930', '000660'] });
    disposables.push(() => sim.close());
    const writer = await RecordingWriter.open({
      file,
      source: 'simulator',
      appkey: TEST_APPKEY,
      appsecret: TEST_APPSECRET,
      flushIntervalMs: 20,
      meta: { test: true },
      // This recording is of the replay of notices: it keeps them (a recording leaves them out by default).
      keepNotices: true,
    });
    disposables.push(() => writer.close());
    const host = await readyHost();
    disposables.push(() => host.dispose());
    const sink = teeSink(host);
    // Keep each approval key the agent is given, to search the recording for it afterwards.
    const capture: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = (await response.clone().json()) as { approval_key?: string };
      if (body.approval_key !== undefined) approvalKeys.push(body.approval_key);
      return response;
    };
    const agent = makeAgent(sim, sink, { tap: writer.tap, fetch: capture });
    disposables.push(() => agent.dispose());
    await agent.connect();
    await subscribeAll(agent);
    const registered = (): boolean =>
      SUBSCRIPTIONS.every(([t, k]) => sim.registrations().some((r) => r.trId === t && r.trKey === k && r.acked));

    await waitFor(() => agent.stats().records >= 60, 'trades before the first notice');
    sim.sendNotice(HTS_ID);
    await waitFor(() => sink.notices.length === 1, 'the first notice');

    // Reconnect 1: a clean close whose reason quotes a piece of the secret.
    sim.closeAll(4000, `bye ${TEST_APPSECRET.slice(10, 40)}`);
    await waitFor(
      () => agent.stats().reconnects === 1 && agent.state === 'open' && registered(),
      'resubscribed after the close',
    );
    // Reconnect 2: an OPSP0011 whose msg1 echoes the approval key (as KIS has done), then a fresh key.
    const echoed = approvalKeys[approvalKeys.length - 1];
    sim.sendRaw(
      JSON.stringify({
        header: { tr_id: 'H0STCNT0', tr_key: '005930', encrypt: 'N' },
        body: { rt_cd: '1', msg_cd: 'OPSP0011', msg1: `invalid approval : ${echoed}`, approval_key: echoed },
      }),
    );
    await waitFor(
      () => agent.stats().reconnects === 2 && agent.state === 'open' && registered(),
      'resubscribed after OPSP0011',
    );
    const before = agent.stats().records;
    await waitFor(() => agent.stats().records >= before + 60, 'trades after the reconnects');
    sim.sendNotice(HTS_ID, { CNTG_QTY: '7' });
    await waitFor(() => sink.notices.length === 2, 'the second notice');
    // End on trades: the worker posts no snapshot for a notice alone, and settled() reads its snapshots.
    const afterNotice = agent.stats().records;
    await waitFor(() => agent.stats().records >= afterNotice + 20, 'trades after the second notice');

    // Freeze: no more data, and every frame the tap saw has reached the sink.
    sim.stall();
    await waitFor(() => writer.stats().frames === sink.frames, 'the sink to have every recorded frame');
    await agent.dispose();
    const stats = await writer.close();
    assert.equal(stats.stopped, 'stopped');
    assert.equal(stats.errors, 0);
    assert.equal(stats.dropped, 0);
    await settled(agent, host);
    live = { state: workerState(host), notices: sink.notices, records: agent.stats().records };
    assert.ok(approvalKeys.length >= 2, 'a fresh approval key after OPSP0011');

    const reader = await RecordingReader.open(file);
    const entries: RecordingEntry[] = [];
    for await (const entry of reader.entries()) entries.push(entry);
    assert.equal(reader.summary?.truncated, false);
    assert.equal(reader.header.source, 'simulator');
    assert.deepEqual(
      entries.filter((e) => e.kind === 'open').map((e) => (e.kind === 'open' ? e.session : 0)),
      [1, 2, 3],
    );
    const closes = entries.filter((e) => e.kind === 'close');
    assert.deepEqual(
      closes.map((e) => (e.kind === 'close' ? e.code : 0)),
      [4000, 1000, 1000],
      'the close, the agent’s own after OPSP0011, the dispose',
    );
    assert.equal(closes[0].kind === 'close' && closes[0].code, 4000);
    assert.ok(
      entries.some(
        (e) => e.kind === 'message' && e.text.includes('PINGPONG') === false && e.text.startsWith('1|H0STCNI0'),
      ),
      'notices recorded encrypted, as received',
    );
    assert.equal(entries[entries.length - 1].kind, 'end');
  });

  it('a tap that throws is counted as a listener error and the stream goes on', async () => {
    const sim = await KisSimulator.start({ port: 0, ratePerSymbol: 100 });
    disposables.push(() => sim.close());
    const sink = {
      records: 0,
      push(frames: readonly DataFrame[]): void {
        for (const f of frames) sink.records += f.count;
      },
    };
    let calls = 0;
    const agent = makeAgent(sim, sink, {
      tap: () => {
        calls += 1;
        throw new Error('tap failed');
      },
    });
    disposables.push(() => agent.dispose());
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.records >= 20, 'records despite the tap');
    assert.ok(calls >= 3, `${calls} tap calls`);
    assert.equal(agent.stats().listenerErrors, calls, 'every throw counted');
    assert.equal(agent.stats().parseErrors, 0);
  });

  it('holds no secret: not the app key, the app secret, an approval key, nor any 8-character piece of one', () => {
    assert.ok(live, 'the recording test ran');
    const raw = fs.readFileSync(file);
    const inflated = zlib.gunzipSync(raw.subarray(8), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    for (const [name, bytes] of [
      ['raw', raw.toString('latin1')],
      ['inflated', inflated.toString('utf8')],
    ] as const) {
      for (const [what, secret] of [
        ['app key', TEST_APPKEY],
        ['app secret', TEST_APPSECRET],
        ...approvalKeys.map((k) => ['approval key', k]),
      ]) {
        for (const piece of pieces(secret))
          assert.ok(!bytes.includes(piece), `${name} recording contains a piece of the ${what}: ${piece}`);
      }
    }
    assert.match(inflated.toString('utf8'), /invalid approval : \[redacted\]/, 'the echo is kept, masked');
  });

  it('replays it at max speed through the simulator: the worker ends in the live state, the notices decrypt the same', async () => {
    assert.ok(live, 'the recording test ran');
    const sim = await KisSimulator.start({ port: 0, synthetic: false });
    disposables.push(() => sim.close());
    const feed = await ReplayFeed.start(sim, { file, speed: 'max' });
    disposables.push(() => feed.close());
    assert.equal(feed.progress().state, 'waiting');
    const host = await readyHost();
    disposables.push(() => host.dispose());
    const sink = teeSink(host);
    const agent = makeAgent(sim, sink);
    disposables.push(() => agent.dispose());
    await agent.connect();
    await subscribeAll(agent);
    const progress = await feed.done;
    assert.equal(progress.state, 'ended');
    assert.equal(progress.truncated, false);
    assert.equal(progress.skipped, 0, 'every recorded frame had its subscriber');
    await waitFor(() => agent.stats().records === live?.records, 'every recorded record to arrive', 15_000);
    await settled(agent, host);
    assert.deepEqual(workerState(host), live.state);
    assert.deepEqual(sink.notices, live.notices);
    assert.equal(agent.stats().parseErrors, 0);
    assert.ok(progress.recordedAt !== undefined && progress.recordedAt > progress.recordingStartedAt);
  });
});
