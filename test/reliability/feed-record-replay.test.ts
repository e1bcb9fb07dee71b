/**
 * Record and replay through the extension's path: "KIS: Start Recording" is the feed's recorder
 * on the running agent's tap; the `replay` data source plays the file through the simulator's server into a
 * fresh feed (agent, worker, read model), exactly the live path. A session with a reconnect, recorded from
 * its first subscription, replayed at max speed, ends in the same read-model state as live did; a recording
 * started mid-session replays too (its seeded acks are the replay's cues, so no frame is skipped).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MarketFeed, type WatchlistStore } from '../../src/feed';
import type { ReplayStatus } from '../../src/feed';
import { Logger, type LogChannel } from '../../src/common/logger';
import { parseFrame, splitRecords } from '../../src/kis';
import { RecordingReader } from '../../src/recorder';
import { parseSettings, type RawSettings } from '../../src/settings';
import { waitFor } from './agent/helpers';

const SYMBOLS = ['005930', '000660'];

function silentLog(): Logger {
  const none = (): void => undefined;
  const channel: LogChannel = { trace: none, debug: none, info: none, warn: none, error: none };
  return new Logger(channel);
}

function store(initial: string[]): WatchlistStore {
  let current: readonly unknown[] = initial;
  return { load: () => current, save: async (symbols) => void (current = symbols) };
}

function makeFeed(raw: RawSettings, symbols: string[] = []): MarketFeed {
  return new MarketFeed({
    settings: () => parseSettings(raw).settings,
    credentials: async () => undefined,
    store: store(symbols),
    log: silentLog(),
    simulator: { tickIntervalMs: 10, ratePerSymbol: 100, seed: 11 },
    agent: { ackTimeoutMs: 3000 },
  });
}

/** Trade records per symbol in a recording (what the worker's `trades` count must reach). */
async function recordedTrades(file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const reader = await RecordingReader.open(file);
  for await (const entry of reader.entries()) {
    if (entry.kind !== 'message' || !entry.text.startsWith('0|H0STCNT0|')) continue;
    const frame = parseFrame(entry.text);
    const fields = splitRecords(frame);
    for (let i = 0; i < frame.count; i++) {
      const symbol = fields[i * frame.width];
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
  }
  return counts;
}

/** The read model's state of the symbols, without the local receive times (those differ by nature). */
function modelState(feed: MarketFeed): unknown {
  return SYMBOLS.map((symbol) => {
    const quote = feed.model.quote(symbol);
    const { lastUpdateAt: _local, ...rest } = quote ?? { lastUpdateAt: 0 };
    return { symbol, quote: rest, book: feed.model.book(symbol), bars: feed.model.bars(symbol) };
  });
}

function caughtUp(feed: MarketFeed, counts: Map<string, number>): boolean {
  return [...counts].every(([symbol, n]) => feed.model.quote(symbol)?.trades === n);
}

function replayEnd(feed: MarketFeed): Promise<ReplayStatus> {
  return new Promise((resolve) => {
    const sub = feed.onReplayEnd((status) => {
      sub.dispose();
      resolve(status);
    });
  });
}

describe('record and replay through the feed (KIS: Start Recording, the replay source)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-feedrec-'));
  const feeds: MarketFeed[] = [];
  const track = (feed: MarketFeed): MarketFeed => (feeds.push(feed), feed);

  afterEach(async () => {
    for (const feed of feeds.splice(0)) await feed.dispose();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a session recorded across a reconnect replays at max speed into the same read-model state', async () => {
    const file = path.join(dir, 'reconnect.kisrec');
    const live = track(makeFeed({ exchange: 'krx' }));
    await live.connect();
    await waitFor(() => live.agentStats()?.state === 'open', 'the live session to open');
    // From before the first subscription: every record the live worker applies is in the file.
    assert.deepEqual(await live.recorder.start(file, { maxMegabytes: 100, maxMinutes: 10 }), { ok: true, file });
    await live.add(SYMBOLS);
    await waitFor(() => (live.agentStats()?.records ?? 0) >= 200, 'trades before the reconnect');
    const sim = live.embeddedSimulator;
    assert.ok(sim);
    sim.closeAll(4000, 'bye');
    await waitFor(() => live.agentStats()?.reconnects === 1 && live.agentStats()?.state === 'open', 'the reconnect');
    const before = live.agentStats()?.records ?? 0;
    await waitFor(() => (live.agentStats()?.records ?? 0) >= before + 200, 'trades after the reconnect');
    assert.ok(live.recorder.current(), 'the recording survived the reconnect');
    sim.stall();
    const end = await live.recorder.stop();
    assert.equal(end?.reason, 'stopped');
    assert.equal(end?.stats.dropped, 0);

    const counts = await recordedTrades(file);
    assert.deepEqual([...counts.keys()].sort(), [...SYMBOLS].sort());
    await waitFor(() => caughtUp(live, counts), 'the live model to apply every recorded trade', 15_000);
    const liveState = modelState(live);
    const reader = await RecordingReader.open(file);
    const opens: number[] = [];
    for await (const e of reader.entries()) if (e.kind === 'open') opens.push(e.session);
    assert.deepEqual(opens, [1, 2], 'the session seen at the start, then the reconnect');
    await live.dispose();

    const replay = track(
      makeFeed({ dataSource: 'replay', 'replay.file': file, 'replay.speed': 'max', exchange: 'krx' }, SYMBOLS),
    );
    const ended = replayEnd(replay);
    await replay.connect();
    assert.equal(replay.source, 'replay');
    const status = await ended;
    assert.equal(status.state, 'ended');
    assert.equal(status.truncated, false);
    await waitFor(() => caughtUp(replay, counts), 'the replay model to apply every recorded trade', 15_000);
    assert.deepEqual(modelState(replay), liveState);
    assert.equal(replay.agentStats()?.parseErrors, 0);
  });

  it('a recording started mid-session replays without skipping a frame (the seeded acks are its cues)', async () => {
    const file = path.join(dir, 'midsession.kisrec');
    const live = track(makeFeed({ exchange: 'krx' }, SYMBOLS));
    await live.connect();
    await waitFor(() => (live.agentStats()?.records ?? 0) >= 100, 'the session to stream');
    assert.equal((await live.recorder.start(file, { maxMegabytes: 100, maxMinutes: 10 })).ok, true);
    const at = live.agentStats()?.records ?? 0;
    await waitFor(() => (live.agentStats()?.records ?? 0) >= at + 200, 'trades while recording');
    live.embeddedSimulator?.stall();
    const end = await live.recorder.stop();
    assert.ok(end && end.stats.frames > 0);
    await live.dispose();

    const replay = track(
      makeFeed({ dataSource: 'replay', 'replay.file': file, 'replay.speed': 'max', exchange: 'krx' }, SYMBOLS),
    );
    const ended = replayEnd(replay);
    await replay.connect();
    const status = await ended;
    assert.equal(status.state, 'ended');
    assert.equal(status.skipped, 0, 'every recorded frame had a registration to go to');
    assert.equal(status.frames, end.stats.frames);
  });

  it('a file that is no recording fails the replay source with a clear problem; the feed stays usable', async () => {
    const file = path.join(dir, 'not-a-recording.kisrec');
    fs.writeFileSync(file, 'hello');
    const replay = track(makeFeed({ dataSource: 'replay', 'replay.file': file }, SYMBOLS));
    await replay.connect();
    assert.equal(replay.state, 'failed');
    assert.equal(replay.failureReason?.code, 'START_FAILED');
    assert.match(replay.failureReason?.message ?? '', /Cannot replay .*not-a-recording\.kisrec: /);
    const none = track(makeFeed({ dataSource: 'replay' }, SYMBOLS));
    await none.connect();
    assert.match(none.failureReason?.message ?? '', /No recording is chosen/);
    assert.deepEqual(replay.resources(), {
      socketOpen: false,
      workerRunning: false,
      simulatorRunning: false,
      trackedTasks: 0,
    });
  });
});
