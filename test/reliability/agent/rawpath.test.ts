import * as assert from 'node:assert/strict';
import type { KisAgent } from '../../../src/agent';
import { classify, parseFrame, readNotice, splitRecords, type DataFrame, type Inbound } from '../../../src/kis';
import { openRawBatch, type RawBatch, type ReceiveCounters } from '../../../src/shared/rawBatch';
import type { RawRecordSink } from '../../../src/shared/recordSink';
import { KisSimulator } from '../../../src/simulator';
import { WorkerHost } from '../../../src/worker/host';
import { makeAgent, nextEvent, waitFor } from './helpers';

/** A raw-capable sink (like the worker host) that keeps every frame's text; its receive counters are set by the test. */
class RawCollector implements RawRecordSink {
  readonly batches: string[][] = [];
  readonly parsed: DataFrame[][] = [];
  counters: ReceiveCounters = { records: 0, parseErrors: 0, lastTickAt: {} };
  pushRaw(batch: RawBatch): void {
    const view = openRawBatch(batch.buffer);
    assert.ok(view !== undefined);
    assert.equal(view.count, batch.frames);
    const texts: string[] = [];
    for (let i = 0; i < view.count; i++) texts.push(view.data.toString('utf8', view.start(i), view.end(i)));
    this.batches.push(texts);
  }
  push(frames: readonly DataFrame[]): void {
    this.parsed.push([...frames]);
  }
  receiveCounters(): ReceiveCounters {
    return this.counters;
  }
  get frames(): string[] {
    return this.batches.flat();
  }
}

describe('agent raw receive path: data frames to the worker as bytes', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let agent: KisAgent | undefined;
  let host: WorkerHost | undefined;

  afterEach(async () => {
    await agent?.dispose();
    agent = undefined;
    await host?.dispose();
    host = undefined;
    await sim.close();
  });

  it('hands data frames over as their bytes, one batch per turn, without classifying them; acks and PINGPONG take the text path', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1, maxRecordsPerFrame: 1 });
    const sink = new RawCollector();
    let calls = 0;
    const counting = (text: string): Inbound => {
      calls += 1;
      return classify(text);
    };
    agent = makeAgent(sim, sink, { classify: counting });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 2000, recordsPerFrame: 1 });
    await waitFor(() => sink.frames.length >= 2000, 'the blast arrived as raw frames');
    const echoed = nextEvent(sim, 'pingpong-echo');
    sim.pingNow();
    await echoed;
    // A frame counted on receipt reaches the sink with its turn's batch: the pump's next trade can be between
    // the two, so wait until every frame received is in the sink; classify must then have run for the rest only
    // (a classify of any frame would keep the counts apart and time out).
    await waitFor(
      () => agent!.stats().messages - sink.frames.length === calls,
      'classify to have run for the acks and the PINGPONG only',
    );
    const stats = agent.stats();
    assert.equal(stats.pingpongs, 1);
    assert.ok(
      sink.batches.length < sink.frames.length,
      `${sink.frames.length} frames in ${sink.batches.length} batches`,
    );
    assert.equal(sink.parsed.length, 0, 'nothing was parsed on this thread');
    for (const text of sink.frames)
      assert.equal(parseFrame(text).trId, 'H0STCNT0', 'each frame is one whole wire message');
    assert.equal(stats.records, 0, 'records are counted where the frames are decoded (the sink)');
  });

  it('decrypts execution notices here, where the keys are, and hands them over as plaintext bytes in their place', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const sink = new RawCollector();
    agent = makeAgent(sim, sink);
    await agent.connect();
    await agent.subscribe('H0STCNI0', 'htsuser1');
    sim.sendNotice('htsuser1');
    await waitFor(() => sink.frames.some((t) => t.startsWith('0|H0STCNI0|')), 'a plaintext notice');
    const frame = parseFrame(sink.frames.find((t) => t.startsWith('0|H0STCNI0|')) as string);
    assert.equal(readNotice(splitRecords(frame), 0, frame.width).customerId, 'htsuser1');
    sim.sendRaw('1|H0STCNI0|001|QUJDREVGR0hJSktMTU5PUA==');
    await waitFor(() => agent!.stats().parseErrors === 1, 'an undecryptable notice counted here');
  });

  it('merges the sink receive counters into its stats, counted from its own start', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const sink = new RawCollector();
    sink.counters = { records: 100, parseErrors: 2, lastTickAt: { X: 5 } };
    agent = makeAgent(sim, sink);
    sink.counters = { records: 130, parseErrors: 5, lastTickAt: { X: 5, Y: 9 } };
    let stats = agent.stats();
    assert.equal(stats.records, 30);
    assert.equal(stats.parseErrors, 3);
    assert.deepEqual(stats.lastTickAt, { X: 5, Y: 9 });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    sim.sendRaw('{not json');
    await waitFor(() => agent!.stats().parseErrors === 4, 'a malformed control message counted here as well');
    stats = agent.stats();
    assert.equal(stats.records, 30);
  });

  it('a tap (the recorder) still sees every data frame as text on the raw path', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50 });
    const sink = new RawCollector();
    const tapped: string[] = [];
    agent = makeAgent(sim, sink, { tap: (event) => event.type === 'message' && tapped.push(event.text) });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.frames.length >= 5, 'raw frames');
    const frames = sink.frames;
    assert.deepEqual(tapped.filter((t) => t.startsWith('0|')).slice(0, frames.length), frames);
  });

  it("receivePath 'text' keeps the old path: parsed frames even for a raw-capable sink", async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50 });
    const sink = new RawCollector();
    agent = makeAgent(sim, sink, { receivePath: 'text' });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.parsed.length > 0, 'parsed frames');
    assert.equal(sink.batches.length, 0);
    assert.ok(agent.stats().records > 0);
  });

  it('with the worker host: every record handled once, malformed data frames counted in the agent stats', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 0.001 });
    host = new WorkerHost({ snapshotIntervalMs: 20 });
    agent = makeAgent(sim, host);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    sim.sendRaw('0|H0STCNT0|001|too^short');
    await sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 5000, recordsPerFrame: 10 });
    const sent = () => sim.sendLog().find((row) => row.trId === 'H0STCNT0' && row.symbol === '005930')?.records ?? 0;
    await waitFor(
      () => host!.latest('005930')?.trades === sent() && agent!.stats().parseErrors === 1,
      'every trade in the worker state, the bad frame counted',
      15_000,
    );
    const stats = agent.stats();
    assert.equal(stats.records, sent());
    assert.equal(host.stats().records, sent());
    assert.ok(stats.lastTickAt['005930'] > 0);
    assert.equal(host.stats().dropped, 0);
  });
});
