import * as assert from 'node:assert/strict';
import type { KisAgent } from '../../../src/agent';
import { classify, splitRecords, readNotice, type DataFrame, type Inbound } from '../../../src/kis';
import { KisSimulator, MALFORMED_KINDS } from '../../../src/simulator';
import { CollectingSink, makeAgent, nextEvent, waitFor } from './helpers';

describe('agent receive loop against the simulator', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let agent: KisAgent | undefined;

  afterEach(async () => {
    await agent?.dispose();
    agent = undefined;
    await sim.close();
  });

  it('classifies each message exactly once and hands frames to the sink in batches', async () => {
    // Approach: the agent takes its classifier as an option; a counting wrapper proves one call per message.
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 200, maxRecordsPerFrame: 10 });
    const sink = new CollectingSink();
    const seen = new Map<string, number>();
    let calls = 0;
    const counting = (text: string): Inbound => {
      calls += 1;
      seen.set(text, (seen.get(text) ?? 0) + 1);
      return classify(text);
    };
    agent = makeAgent(sim, sink, { classify: counting });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await agent.subscribe('H0STCNT0', '000660');
    await waitFor(() => sink.records >= 300, '300 records');
    const stats = agent.stats();
    assert.equal(calls, stats.messages, 'one classify call per received message');
    assert.ok(sink.frames <= stats.messages);
    // Frames carry their own first record's symbol; the sink saw both symbols.
    const symbols = new Set(sink.batches.flat().map((f: DataFrame) => splitRecords(f)[0]));
    assert.deepEqual([...symbols].sort(), ['000660', '005930']);
    assert.ok(stats.records >= sink.records);
    assert.ok(stats.bytes > 0);
    assert.ok(stats.lastTickAt['005930'] > 0 && stats.lastTickAt['000660'] > 0);
  });

  it('hands frames over once per event-loop turn (one push per batch, not per frame)', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.records > 0, 'the stream started');
    const before = { frames: sink.frames, pushes: sink.batches.length, records: sink.records };
    await sim.blast({ trId: 'H0STCNT0', symbol: '005930', records: 2000, recordsPerFrame: 1 });
    await waitFor(() => sink.records >= before.records + 2000, 'the blast arrived');
    const frames = sink.frames - before.frames;
    const pushes = sink.batches.length - before.pushes;
    assert.ok(pushes < frames, `${frames} frames in ${pushes} pushes`);
    assert.equal(agent.stats().records, sink.records, 'every record reached the sink');
  });

  it('a sink that throws increments handlerErrors and the next batch is still handed over', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 100 });
    let calls = 0;
    let delivered = 0;
    const sink = {
      push(frames: readonly DataFrame[]): void {
        calls += 1;
        if (calls === 1) throw new Error('handler bug');
        delivered += frames.length;
      },
    };
    agent = makeAgent(sim, sink);
    const logs: string[] = [];
    agent.on('log', (l) => logs.push(l.message));
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => delivered > 0, 'a batch after the throwing one');
    assert.equal(agent.stats().handlerErrors, 1);
    assert.equal(agent.state, 'open');
    assert.match(logs.join('\n'), /Record sink threw \(1 so far\); continuing: handler bug/);
  });

  it('echoes every PINGPONG as the exact text from the receive loop', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1, pingIntervalMs: 30, pingFrom: 'connect' });
    agent = makeAgent(sim, new CollectingSink(), { pingIntervalMs: 30 });
    await agent.connect();
    await waitFor(() => sim.pingLog.filter((p) => p.via === 'text').length >= 3, 'three echoed PINGPONGs');
    const stats = agent.stats();
    assert.ok(stats.pingpongs >= 3);
    assert.ok(stats.lastPingEchoMs !== undefined && stats.lastPingEchoMs >= 0);
    assert.ok(sim.pingLog.filter((p) => p.via !== undefined).every((p) => p.via === 'text'));
  });

  it('invalid UTF-8 in a text frame does not kill the session', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 20 });
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.records > 0, 'first records');
    const before = agent.stats().messages;
    sim.sendInvalidUtf8();
    await waitFor(() => agent!.stats().messages > before + 2, 'messages after the bad bytes');
    const recordsAfter = sink.records;
    await waitFor(() => sink.records > recordsAfter, 'records keep flowing');
    assert.equal(agent.state, 'open');
    assert.equal(agent.stats().reconnects, 0);
    assert.equal(sim.sessionIds().length, 1, 'still the same single session');
    const withReplacement = sink.batches.flat().filter((f) => f.payload.includes('\uFFFD'));
    assert.equal(withReplacement.length, 1, 'the bad bytes arrived as U+FFFD in one frame');
  });

  it('counts every malformed message in parseErrors, logs it, and keeps the session', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 5 });
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink);
    const logs: string[] = [];
    agent.on('log', (l) => logs.push(l.message));
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    for (const kind of MALFORMED_KINDS) sim.sendMalformed(kind);
    await waitFor(
      () => agent!.stats().parseErrors >= MALFORMED_KINDS.length,
      `parseErrors reach ${MALFORMED_KINDS.length}`,
    );
    assert.equal(agent.stats().parseErrors, MALFORMED_KINDS.length);
    assert.equal(agent.state, 'open');
    assert.match(logs.join('\n'), /Malformed message from KIS/);
    const recordsAfter = sink.records;
    await waitFor(() => sink.records > recordsAfter, 'records keep flowing');
  });

  it('decrypts execution notices with the key/iv of their own ack', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink);
    await agent.connect();
    const ack = nextEvent<{ trId: string; encrypt: boolean }>(agent, 'ack', (a) => a.trId === 'H0STCNI0');
    await agent.subscribe('H0STCNI0', 'htsuser1');
    assert.equal((await ack).encrypt, true);
    sim.sendNotice('htsuser1');
    await waitFor(() => sink.batches.some((b) => b.some((f) => f.trId === 'H0STCNI0')), 'a decrypted notice');
    const frame = sink.batches.flat().find((f) => f.trId === 'H0STCNI0') as DataFrame;
    assert.equal(frame.encrypted, false);
    const notice = readNotice(splitRecords(frame), 0, frame.width);
    assert.equal(notice.customerId, 'htsuser1', 'the plaintext reads as a notice for our HTS ID');
    assert.equal(agent.stats().parseErrors, 0);
  });

  it('counts an encrypted frame before its key, or one that does not decrypt, as a parse error', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    // 16 bytes of base64 that are not a ciphertext under any key we hold.
    sim.sendRaw('1|H0STCNI0|001|QUJDREVGR0hJSktMTU5PUA==');
    await waitFor(() => agent!.stats().parseErrors === 1, 'the keyless notice counted');
    await agent.subscribe('H0STCNI0', 'htsuser1');
    sim.sendRaw('1|H0STCNI0|001|QUJDREVGR0hJSktMTU5PUA==');
    await waitFor(() => agent!.stats().parseErrors === 2, 'the undecryptable notice counted');
    assert.equal(agent.state, 'open');
    assert.ok(!sink.batches.flat().some((f) => f.trId === 'H0STCNI0'));
  });
});
