/**
 * ReplayFeed through a real simulator and agent: pacing by speed, `from HH:MM`, a recording cut short or
 * damaged, streams nobody subscribed, close() mid-way, bad input; and the `record` / `replay` commands.
 * Recordings are written with a fake clock so their recorded times are exact.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../../src/cli/main';
import { parseRecordArgs } from '../../src/cli/record';
import { describeReplayEnd } from '../../src/cli/replay';
import { buildAck } from '../../src/kis';
import { RecordingError, RecordingReader, RecordingWriter } from '../../src/recorder';
import { KisSimulator, ReplayFeed, SymbolModel, fromInstant, type ReplayOptions } from '../../src/simulator';
import { CollectingSink, makeAgent, waitFor } from './agent/helpers';

const T0 = Date.UTC(2026, 11, 4, 0, 0, 0); // 09:00:00 KST
const model = new SymbolModel('005930', {
  prevClose: 70_000,
  seed: 1,
  volatilityTicks: 1,
  tradeWidth: 46,
  bookWidth: 59,
});
const other = new SymbolModel('000660', {
  prevClose: 200_000,
  seed: 2,
  volatilityTicks: 1,
  tradeWidth: 46,
  bookWidth: 59,
});

/** `count` trade frames of 005930 (and every 5th of 000660), one per `stepMs` from 09:00:00 KST. */
async function recording(
  file: string,
  count: number,
  stepMs: number,
  extra: (writer: RecordingWriter) => void = () => undefined,
): Promise<string[]> {
  const writer = await RecordingWriter.open({ file, source: 'simulator', now: () => T0 });
  const sent: string[] = [];
  writer.record({ type: 'open', at: T0 });
  writer.record({
    type: 'message',
    at: T0 + 1,
    text: buildAck({
      trId: 'H0STCNT0',
      trKey: '005930',
      msgCd: 'OPSP0000',
      encrypt: false,
      iv: 'a'.repeat(16),
      key: 'b'.repeat(32),
    }),
  });
  writer.record({
    type: 'message',
    at: T0 + 1,
    text: buildAck({
      trId: 'H0STCNT0',
      trKey: '000660',
      msgCd: 'OPSP0000',
      encrypt: false,
      iv: 'a'.repeat(16),
      key: 'b'.repeat(32),
    }),
  });
  writer.record({ type: 'message', at: T0 + 2, text: '{"header":{"tr_id":"PINGPONG","datetime":"20261204090000"}}' });
  extra(writer);
  for (let i = 0; i < count; i++) {
    const m = i % 5 === 4 ? other : model;
    const text = `0|H0STCNT0|001|${m.nextTrade('090000', '20261204')}`;
    writer.record({ type: 'message', at: T0 + 10 + i * stepMs, text });
    sent.push(text);
  }
  await writer.close();
  return sent;
}

describe('replay through the simulator', function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-replay-'));
  let n = 0;
  const tmp = (): string => path.join(dir, `r${++n}.kisrec`);
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function play(
    file: string,
    options: Omit<ReplayOptions, 'file'>,
    symbols = ['005930', '000660'],
  ): Promise<{ sim: KisSimulator; feed: ReplayFeed; sink: CollectingSink; agent: ReturnType<typeof makeAgent> }> {
    const sim = await KisSimulator.start({ port: 0, synthetic: false });
    cleanup.push(() => sim.close());
    const feed = await ReplayFeed.start(sim, { file, ...options });
    cleanup.push(() => feed.close());
    const sink = new CollectingSink();
    const agent = makeAgent(sim, sink);
    cleanup.push(() => agent.dispose());
    await agent.connect();
    for (const s of symbols) await agent.subscribe('H0STCNT0', s);
    return { sim, feed, sink, agent };
  }

  const payloads = (sink: CollectingSink): string[] => sink.batches.flat().map((f) => `0|${f.trId}|001|${f.payload}`);

  it('sends nothing of its own with synthetic: false, and every recorded frame in order at max speed', async () => {
    const file = tmp();
    const sent = await recording(file, 200, 1);
    const { feed, sink, agent } = await play(file, { speed: 'max' });
    const end = await feed.done;
    assert.deepEqual(
      { state: end.state, frames: end.frames, skipped: end.skipped, truncated: end.truncated },
      { state: 'ended', frames: 200, skipped: 0, truncated: false },
    );
    await waitFor(() => sink.records === 200, 'all 200 records');
    assert.deepEqual(payloads(sink), sent);
    assert.equal(agent.stats().parseErrors, 0);
    assert.equal(end.recordedAt, T0 + 10 + 199);
  });

  it('keeps the recorded pace divided by the speed (a lower bound: 3 s recorded at 10× takes at least 0.29 s)', async () => {
    const file = tmp();
    await recording(file, 31, 100); // 3 s between the first and the last frame
    const { feed, sink } = await play(file, { speed: 10 });
    await waitFor(() => sink.records >= 1, 'the first frame');
    const first = performance.now();
    assert.equal(feed.progress().speed, 10);
    assert.equal(feed.progress().state, 'playing');
    await feed.done;
    await waitFor(() => sink.records === 31, 'every frame');
    assert.ok(performance.now() - first >= 290, `took ${performance.now() - first} ms`);
  });

  it('starts at --from HH:MM (KST): earlier frames are skipped and counted', async () => {
    const file = tmp();
    const sent = await recording(file, 120, 1000); // 09:00:00.010 … 09:01:59
    assert.equal(fromInstant(T0 + 5, '09:01'), T0 + 60_000);
    const { feed, sink } = await play(file, { speed: 'max', from: '09:01' });
    const end = await feed.done;
    assert.equal(end.skipped, 60);
    assert.equal(end.frames, 60);
    await waitFor(() => sink.records === 60, 'the frames from 09:01');
    assert.deepEqual(payloads(sink), sent.slice(60));
  });

  it('plays a recording cut at a random byte up to the cut, and says it was cut', async () => {
    const file = tmp();
    const sent = await recording(file, 3000, 1);
    const bytes = fs.readFileSync(file);
    const cut = tmp();
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * (0.3 + 0.5 * Math.random()))));
    const { feed, sink } = await play(cut, { speed: 'max' });
    const end = await feed.done;
    assert.equal(end.state, 'ended');
    assert.equal(end.truncated, true);
    assert.ok(end.frames > 0 && end.frames < 3000, `${end.frames} frames`);
    await waitFor(() => sink.records === end.frames, 'every frame up to the cut');
    assert.deepEqual(payloads(sink), sent.slice(0, end.frames));
  });

  it('fails with CORRUPT at a damaged part after playing what came before it', async () => {
    const file = tmp();
    await recording(file, 3000, 1);
    const bytes = fs.readFileSync(file);
    for (let i = 0; i < 8; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0xa5;
    fs.writeFileSync(file, bytes);
    const { feed } = await play(file, { speed: 'max' });
    const end = await feed.done;
    assert.equal(end.state, 'failed');
    assert.equal(end.error?.code, 'CORRUPT');
  });

  it('skips the frames of a stream nobody registered, after waiting at most subscribeWaitMs for it', async () => {
    const file = tmp();
    await recording(file, 50, 1);
    const { feed, sink } = await play(file, { speed: 'max', subscribeWaitMs: 50 }, ['005930']);
    const end = await feed.done;
    assert.equal(end.skipped, 10, 'every 5th frame is 000660');
    assert.equal(end.frames, 40);
    await waitFor(() => sink.records === 40, 'the 005930 frames');
  });

  it('re-sends a message that is neither a frame nor JSON as it is, so the client counts the same parse error', async () => {
    const file = tmp();
    await recording(file, 5, 1, (w) => w.record({ type: 'message', at: T0 + 5, text: 'garbage|that|is|not' }));
    const { feed, agent, sink } = await play(file, { speed: 'max' });
    await feed.done;
    await waitFor(() => sink.records === 5 && agent.stats().parseErrors === 1, 'the frames and one parse error');
  });

  it('close() stops a replay mid-way and ends every wait', async () => {
    const file = tmp();
    await recording(file, 100, 60_000); // 100 minutes
    const { feed, sink } = await play(file, { speed: 1 });
    await waitFor(() => sink.records === 1, 'the first frame');
    const end = await feed.close();
    assert.equal(end.frames, 1);
    assert.equal(end.state, 'ended');
  });

  it('waits without limit while nobody has registered anything', async () => {
    const file = tmp();
    await recording(file, 3, 1);
    const sim = await KisSimulator.start({ port: 0, synthetic: false });
    cleanup.push(() => sim.close());
    const feed = await ReplayFeed.start(sim, { file, speed: 'max', subscribeWaitMs: 1 });
    cleanup.push(() => feed.close());
    await waitFor(() => feed.progress().state === 'waiting', 'waiting');
    const end = await feed.close();
    assert.equal(end.frames, 0);
  });

  it('refuses a bad file, a bad speed and a bad --from with a RecordingError', async () => {
    const sim = await KisSimulator.start({ port: 0, synthetic: false });
    cleanup.push(() => sim.close());
    const notRecording = tmp();
    fs.writeFileSync(notRecording, 'plain text');
    await assert.rejects(
      ReplayFeed.start(sim, { file: notRecording }),
      (e: unknown) => e instanceof RecordingError && e.code === 'BAD_MAGIC',
    );
    const file = tmp();
    await recording(file, 1, 1);
    for (const speed of [0, -1, Number.NaN]) {
      await assert.rejects(
        ReplayFeed.start(sim, { file, speed }),
        (e: unknown) => e instanceof RecordingError && e.code === 'INVALID_OPTIONS',
      );
    }
    for (const from of ['9:01', '24:00', '09:60', 'noon']) {
      await assert.rejects(ReplayFeed.start(sim, { file, from }), /from must be HH:MM/);
    }
  });
});

describe('kis-monitor record and replay', function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-cli-rec-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function io(signal: AbortSignal, extra: Record<string, unknown> = {}) {
    let out = '';
    let err = '';
    return {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      cwd: dir,
      signal,
      statsIntervalMs: 20,
      out: () => out,
      err: () => err,
      ...extra,
    };
  }

  it('records from an embedded simulator until stopped, then replays the file to a client', async () => {
    const stop = new AbortController();
    const recIo = io(stop.signal);
    const running = main(['record', '--out', 'cli.kisrec', '005930'], recIo);
    await waitFor(() => /"frames":([3-9]\d|\d{3,})/.test(recIo.out()), 'some recorded frames', 15_000);
    stop.abort();
    assert.equal(await running, 0);
    const last = JSON.parse(recIo.out().trim().split('\n').pop() as string) as { stopped: string; frames: number };
    assert.equal(last.stopped, 'stopped');
    const reader = await RecordingReader.open(path.join(dir, 'cli.kisrec'));
    assert.deepEqual(reader.header.meta, { trIds: ['H0STCNT0'], codes: ['005930'] });
    await reader.close();

    const stopReplay = new AbortController();
    let served: { sim: KisSimulator; feed: ReplayFeed } | undefined;
    const repIo = io(stopReplay.signal, {
      onReplayListening: (sim: KisSimulator, feed: ReplayFeed) => (served = { sim, feed }),
    });
    const replaying = main(['replay', 'cli.kisrec', '--speed', 'max', '--port', '0'], repIo);
    await waitFor(() => served !== undefined, 'the replay server');
    const sink = new CollectingSink();
    const server = served as unknown as { sim: KisSimulator; feed: ReplayFeed };
    const agent = makeAgent(server.sim, sink);
    try {
      await agent.connect();
      await agent.subscribe('H0STCNT0', '005930');
      const end = await server.feed.done;
      assert.equal(end?.frames, last.frames);
      await waitFor(() => sink.frames === last.frames, 'every recorded frame');
      await waitFor(() => /finished; still serving/.test(repIo.err()), 'the end line');
    } finally {
      await agent.dispose();
      stopReplay.abort();
    }
    assert.equal(await replaying, 0);
    assert.match(repIo.out(), /"type":"replay"/);
  });

  it('stops recording at --limit-minutes', async () => {
    const stop = new AbortController();
    const recIo = io(stop.signal);
    const code = await main(['record', '--out', 'limit.kisrec', '--limit-minutes', '0.005', '005930'], recIo);
    assert.equal(code, 0);
    assert.match(recIo.err(), /stopping at the time-limit/);
  });

  const bad: [string[], RegExp, number][] = [
    [['record', '005930'], /--out FILE is required/, 2],
    [['record', '--out', 'x'], /give at least one symbol code/, 2],
    [['record', '--out', 'x', '--source', 'live', '005930'], /--source must be simulator, paper or real/, 2],
    [
      ['record', '--out', 'x', '--source', 'paper', '005930'],
      /needs the environment variables KIS_APPKEY and KIS_APPSECRET/,
      2,
    ],
    [['record', '--out', 'x', '--url', 'http://x', '005930'], /--url must start with ws/, 2],
    [['record', '--out', 'x', '--tr', 'trade', '005930'], /--tr "trade" is not a TR id/, 2],
    [['record', '--out', 'x', 'ABC'], /"ABC" is not a KRX code/, 2],
    [['record', '--out', 'x', '--limit-mb', '0', '005930'], /--limit-mb must be a positive number/, 2],
    [['record', '--out', 'x', '--frob', '005930'], /Unknown option/, 2],
    [['record', '--out', 'no/such/dir/x.kisrec', '005930'], /Cannot create the recording/, 1],
    [['replay'], /give exactly one recording FILE/, 2],
    [['replay', 'x', '--speed', 'fast'], /speed must be a positive number or "max"/, 2],
    [['replay', 'x', '--from', '9am'], /from must be HH:MM/, 2],
    [['replay', 'x', '--port', '70000'], /--port must be an integer from 0 to 65535/, 2],
    [['replay', 'x', '--bogus'], /Unknown option/, 2],
  ];
  for (const [argv, message, exit] of bad) {
    it(`exits ${exit} with a clear message for ${argv.join(' ')}`, async () => {
      const c = new AbortController();
      c.abort();
      const cio = io(c.signal);
      assert.equal(await main(argv, cio), exit);
      assert.match(cio.err(), message);
    });
  }

  it('plans paper and real from the environment, an external simulator from --url, notices by HTS ID', () => {
    const env = { KIS_APPKEY: 'k-from-env', KIS_APPSECRET: 's-from-env' };
    const paper = parseRecordArgs(
      ['--out', 'p.kisrec', '--source', 'paper', '--limit-mb', '1.5', '--limit-minutes', '2', '005930'],
      env,
      dir,
    );
    assert.deepEqual(
      {
        ws: paper.wsUrl,
        rest: paper.restUrl,
        key: paper.appkey,
        bytes: paper.limitBytes,
        ms: paper.limitMs,
        out: paper.out,
      },
      {
        ws: 'ws://ops.koreainvestment.com:31000',
        rest: 'https://openapivts.koreainvestment.com:29443',
        key: 'k-from-env',
        bytes: 1_572_864,
        ms: 120_000,
        out: path.join(dir, 'p.kisrec'),
      },
    );
    assert.equal(
      parseRecordArgs(['--out', 'r', '--source', 'real', '005930'], env, dir).wsUrl,
      'ws://ops.koreainvestment.com:21000',
    );
    const external = parseRecordArgs(['--out', 'e', '--url', 'wss://sim.example:9000', '005930'], {}, dir);
    assert.deepEqual(
      [external.source, external.restUrl, external.appkey],
      ['simulator', 'https://sim.example:9000', 'SIMULATOR-APPKEY'],
    );
    assert.deepEqual(parseRecordArgs(['--out', 'n', '--tr', 'H0STCNI0', 'my.hts-id'], {}, dir).codes, ['my.hts-id']);
    assert.throws(() => parseRecordArgs(['--out', 'n', '--tr', 'H0STCNI0', 'bad id!'], {}, dir), /is not a HTS ID/);
  });

  it('says how a replay ended: finished, cut short, or stopped at damage', () => {
    const base = {
      speed: 'max' as const,
      recordingStartedAt: T0,
      recordedAt: T0,
      frames: 1,
      skipped: 0,
      truncated: false,
    };
    assert.equal(describeReplayEnd({ ...base, state: 'ended' }), 'finished');
    assert.match(describeReplayEnd({ ...base, state: 'ended', truncated: true }), /cut short; played up to the cut/);
    assert.equal(
      describeReplayEnd({ ...base, state: 'failed', error: { code: 'CORRUPT', message: 'x is damaged' } }),
      'stopped: x is damaged',
    );
    assert.match(describeReplayEnd({ ...base, state: 'failed' }), /could not be read/);
  });

  it('records from an external simulator given by --url', async () => {
    const sim = await KisSimulator.start({ port: 0, ratePerSymbol: 100 });
    try {
      const c = new AbortController();
      const cio = io(c.signal);
      const running = main(
        ['record', '--out', 'ext.kisrec', '--url', sim.wsUrl, '--tr', 'H0STCNT0,H0STASP0', '--limit-mb', '5', '005930'],
        cio,
      );
      await waitFor(() => /"frames":[1-9]/.test(cio.out()), 'recorded frames', 15_000);
      c.abort();
      assert.equal(await running, 0);
      assert.doesNotMatch(cio.err(), /embedded simulator/);
    } finally {
      await sim.close();
    }
  });

  it('replays at 10× from a given time until stopped', async () => {
    const file = path.join(dir, 'ten.kisrec');
    await recording(file, 3, 1);
    const c = new AbortController();
    const cio = io(c.signal, { onReplayListening: () => c.abort() });
    assert.equal(await main(['replay', file, '--speed', '10', '--from', '09:00', '--port', '0'], cio), 0);
    assert.match(cio.err(), /at 10× on ws:\/\/127\.0\.0\.1:\d+/);
  });

  it('exits 2 naming the problem for a file that is not a recording', async () => {
    const file = path.join(dir, 'not.kisrec');
    fs.writeFileSync(file, 'hello');
    const c = new AbortController();
    const cio = io(c.signal);
    assert.equal(await main(['replay', file, '--port', '0'], cio), 2);
    assert.match(cio.err(), /is not a KIS Market Monitor recording/);
  });
});
