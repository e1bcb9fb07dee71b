import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { AlertEvent, AlertRule, AlertRuleState, Snapshot } from '../../../src/shared/snapshot';
import { defaultWorkerScript, WorkerHost, type RestartEvent, type WorkerHostOptions } from '../../../src/worker/host';
import { buildDataFrame } from '../../../src/kis';
import { packRawBatch, type RawBatch } from '../../../src/shared/rawBatch';
import { book, frame, HandlerDir, tradeOf, waitForEvent, waitUntil } from './helpers';
import { poll, until } from '../../support/wait';

/** A raw batch of one-record trade frames of `symbol`, as the agent hands them over. */
function rawTrades(symbol: string, n: number, start = 1000, receivedAt = 1): RawBatch {
  const chunks = Array.from({ length: n }, (_, i) =>
    Buffer.from(buildDataFrame('H0STCNT0', [tradeOf(symbol, start + i)])),
  );
  const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
  return { buffer: packRawBatch(chunks, bytes), frames: n, bytes, receivedAt };
}

function timeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

function exited(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}

const trades = (symbol: string, n: number, start = 1000) =>
  frame(
    'H0STCNT0',
    Array.from({ length: n }, (_, i) => tradeOf(symbol, start + i)),
  );

describe('worker host (real worker thread)', function () {
  this.timeout(20_000);
  let host: WorkerHost | undefined;
  let handlers: HandlerDir;
  const make = (options: WorkerHostOptions = {}): WorkerHost => {
    host = new WorkerHost({ snapshotIntervalMs: 20, ...options });
    return host;
  };

  beforeEach(() => {
    handlers = new HandlerDir();
  });
  afterEach(async () => {
    await host?.dispose();
    host = undefined;
    handlers.cleanup();
  });

  it('starts lazily: no thread until the first push, then snapshots with the merged state', async () => {
    const h = make();
    assert.equal(h.currentWorker, undefined);
    assert.equal(h.stats().running, false);
    const ready = waitForEvent(h, 'ready', () => true, 'ready');
    h.push([trades('005930', 3), frame('H0STASP0', [book()])]);
    assert.ok(h.currentWorker, 'thread started by push');
    await ready;
    await waitUntil(h, 'snapshot', () => h.latest('005930')?.trades === 3, '3 trades in state');
    const q = h.latest('005930');
    assert.equal(q?.last, 1002);
    assert.deepEqual([q?.bestAsk, q?.bestBid], [71900, 71800], 'best bid/ask from the book');
    assert.deepEqual(
      h.quotes().map((x) => x.symbol),
      ['005930'],
    );
    assert.equal(h.book('005930')?.asks.length, 10);
    assert.equal(h.bars('005930').length, 1);
    assert.equal(h.bars('000000').length, 0);
    const s = h.stats();
    assert.equal(s.running, true);
    assert.equal(s.records, 4);
    assert.equal(s.dropped, 0);
    assert.ok(s.snapshots >= 1);
  });

  it('start() starts the thread without data and is idempotent', async () => {
    const h = make();
    const ready = waitForEvent(h, 'ready', () => true, 'ready');
    h.start();
    const first = h.currentWorker;
    h.start();
    assert.equal(h.currentWorker, first);
    await ready;
    assert.equal(h.stats().running, true);
  });

  it('numbers snapshots monotonically and emits each alert once per crossing, re-armed past the band', async () => {
    // 99 is below 100 × (1 − 0.005) = 99.5: re-armed; no cooldown, so 100 fires again.
    const h = make({
      alerts: [{ id: 'hi', symbol: 'A', kind: 'priceAbove', threshold: 100 }],
      alertQuiet: { rearmPercent: 0.5, cooldownMs: 0 },
    });
    const alerts: AlertEvent[] = [];
    const seqs: number[] = [];
    h.on('alert', (a) => alerts.push(a));
    h.on('snapshot', (s: Snapshot) => seqs.push(s.seq));
    h.push([frame('H0STCNT0', [tradeOf('A', 90), tradeOf('A', 101), tradeOf('A', 102)])]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 3, 'first trades');
    h.push([frame('H0STCNT0', [tradeOf('A', 99), tradeOf('A', 100)])]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 5, 'second trades');
    assert.deepEqual(
      alerts.map((a) => a.price),
      [101, 100],
    );
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
    );
    h.setAlerts([{ id: 'lo', symbol: 'A', kind: 'priceBelow', threshold: 50 }]);
    h.push([frame('H0STCNT0', [tradeOf('A', 40)])]);
    const [lo] = await waitForEvent<[AlertEvent]>(h, 'alert', () => true, 'the new rule');
    assert.equal(lo.ruleId, 'lo');
  });

  it('keeps what a fired alert rule remembers across a worker restart and into a new host (a reconnect)', async () => {
    const rule: AlertRule = { id: 'hi', symbol: 'A', kind: 'priceAbove', threshold: 100 };
    const h = make({ alerts: [rule], alertQuiet: { rearmPercent: 0.5, cooldownMs: 0 } });
    const alerts: AlertEvent[] = [];
    h.on('alert', (a) => alerts.push(a));
    const remembered = waitForEvent<[AlertRuleState[]]>(
      h,
      'alertStates',
      (states) => states.some((s) => s.id === 'hi' && !s.armed),
      'the fired state',
    );
    h.push([frame('H0STCNT0', [tradeOf('A', 101)])]);
    await remembered;
    const old = h.currentWorker;
    assert.ok(old);
    const ready = waitForEvent(h, 'ready', () => true, 'ready again');
    await old.terminate();
    await ready;
    h.push([frame('H0STCNT0', [tradeOf('A', 102)])]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 2, 'the trade after the restart');
    assert.deepEqual(
      alerts.map((a) => a.price),
      [101],
      'still at or above 100 after the restart: the same crossing',
    );
    const states = h.alertStates();
    await h.dispose();
    const next = make({ alerts: [rule], alertQuiet: { rearmPercent: 0.5, cooldownMs: 0 }, alertStates: states });
    next.on('alert', (a) => alerts.push(a));
    next.push([frame('H0STCNT0', [tradeOf('A', 103), tradeOf('A', 99), tradeOf('A', 100)])]);
    await waitUntil(next, 'snapshot', () => next.latest('A')?.trades === 3, 'the trades of the new host');
    assert.deepEqual(
      alerts.map((a) => a.price),
      [101, 100],
      'not at 103 (same crossing); at 100 after going below 99.5',
    );
  });

  it('applies a new band and cooldown to the running worker', async () => {
    const h = make({
      alerts: [{ id: 'hi', symbol: 'A', kind: 'priceAbove', threshold: 100 }],
      alertQuiet: { rearmPercent: 0, cooldownMs: 0 },
    });
    const alerts: AlertEvent[] = [];
    h.on('alert', (a) => alerts.push(a));
    h.push([frame('H0STCNT0', [tradeOf('A', 101), tradeOf('A', 99), tradeOf('A', 101)])]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 3, 'first trades');
    h.setAlertQuiet({ rearmPercent: 0, cooldownMs: 3_600_000 });
    h.push([frame('H0STCNT0', [tradeOf('A', 99), tradeOf('A', 101)])]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 5, 'second trades');
    assert.deepEqual(
      alerts.map((a) => a.price),
      [101, 101],
      'two crossings without a cooldown, then none within an hour',
    );
  });

  it('applies alert rules and handlers given while the worker is still starting', async () => {
    const h = make();
    h.start();
    h.setAlerts([{ id: 'early', symbol: 'A', kind: 'priceAbove', threshold: 10 }]);
    h.addHandler(handlers.write(`module.exports = () => { throw new Error('early handler'); };`));
    const alert = waitForEvent<[AlertEvent]>(h, 'alert', () => true, 'the early rule');
    h.push([frame('H0STCNT0', [tradeOf('A', 11)])]);
    assert.equal((await alert)[0].ruleId, 'early');
    await waitUntil(h, 'snapshot', () => h.stats().handlerErrors === 1, 'the early handler ran');
  });

  it('counts a throwing user handler and keeps the stream going', async () => {
    const thrower = handlers.write(
      `module.exports = (r) => { if (r.symbol === 'BAD') throw new Error('handler says no'); };`,
    );
    const h = make({ userHandlers: [thrower] });
    const reported = waitForEvent<[{ message: string; handler: string }]>(
      h,
      'handlerError',
      () => true,
      'handlerError',
    );
    h.push([frame('H0STCNT0', [tradeOf('BAD', 1), tradeOf('OK', 2)])]);
    h.push([frame('H0STCNT0', [tradeOf('BAD', 3), tradeOf('OK', 4)])]);
    await waitUntil(
      h,
      'snapshot',
      () => h.stats().handlerErrors === 2 && h.latest('OK')?.trades === 2,
      'both errors and all trades',
    );
    const { stack, ...event } = (await reported)[0] as { message: string; handler: string; stack?: string };
    assert.deepEqual(event, { message: 'handler says no', handler: thrower });
    assert.ok(
      stack?.startsWith('Error: handler says no\n') && stack.includes(`${thrower}:1:`),
      `the handler's own stack: ${stack}`,
    );
    assert.equal(h.latest('BAD')?.trades, 2, 'the built-in state saw the records the handler threw on');
    assert.equal(h.stats().workerRestarts, 0);
  });

  it('adds a handler to the running worker and to its successors', async () => {
    const h = make();
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    const thrower = handlers.write(`module.exports = () => { throw new Error('added'); };`);
    h.addHandler(thrower);
    h.push([trades('A', 2)]);
    await waitUntil(h, 'snapshot', () => h.stats().handlerErrors === 2, 'errors of the added handler');
    const worker = h.currentWorker;
    assert.ok(worker);
    void worker.terminate();
    await waitForEvent(h, 'ready', () => true, 'ready after restart');
    h.push([trades('A', 1)]);
    await waitUntil(h, 'snapshot', () => h.stats().handlerErrors === 3, 'the successor runs it too');
  });

  it('brings back a worker terminated from outside, with its symbols state', async () => {
    const h = make();
    h.push([trades('005930', 5), trades('000660', 2)]);
    await waitUntil(
      h,
      'snapshot',
      () => h.latest('005930')?.trades === 5 && h.latest('000660')?.trades === 2,
      'first state',
    );
    const old = h.currentWorker;
    assert.ok(old);
    const restarted = waitForEvent<[RestartEvent]>(h, 'restart', () => true, 'restart');
    const ready = waitForEvent(h, 'ready', () => true, 'ready again');
    await old.terminate();
    const [event] = await restarted;
    assert.match(event.reason, /exited with code 1/);
    await ready;
    assert.notEqual(h.currentWorker, old);
    assert.equal(h.stats().workerRestarts, 1);
    h.push([trades('005930', 1)]);
    await waitUntil(h, 'snapshot', () => h.latest('005930')?.trades === 6, 'state continued');
    assert.equal(h.latest('000660')?.trades, 2);
    assert.equal(h.stats().records, 8, 'counters continue across the restart');
  });

  it('replays batches the dead worker never acknowledged, so no trade is lost or counted twice', async () => {
    const h = make({ snapshotIntervalMs: 60_000 }); // no snapshot (no ack) before the kill
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    for (let i = 0; i < 10; i++) h.push([trades('A', 10, i * 10)]);
    assert.equal(h.stats().inFlight, 10);
    const old = h.currentWorker as Worker;
    const ready = waitForEvent(h, 'ready', () => true, 'ready again');
    await old.terminate();
    await ready;
    assert.equal(h.stats().replayedFrames, 10);
    // The replacement has the same (long) interval; dispose flushes its last snapshot.
    await h.dispose();
    assert.equal(h.latest('A')?.trades, 100);
    assert.equal(h.stats().dropped, 0);
  });

  it('takes raw batches: decoded in the worker, counted in receiveCounters, merged into the state', async () => {
    const h = make();
    assert.deepEqual(h.receiveCounters(), { records: 0, parseErrors: 0, lastTickAt: {} });
    // The bad frame first: the snapshot that carries the trades then carries its count too (an ack alone emits no event).
    const bad = Buffer.from('0|H0STCNT0|001|too^short');
    h.pushRaw({ buffer: packRawBatch([bad], bad.length), frames: 1, bytes: bad.length, receivedAt: 43 });
    h.pushRaw(rawTrades('A', 3, 1000, 42));
    h.pushRaw({ buffer: packRawBatch([], 0), frames: 0, bytes: 0, receivedAt: 44 });
    await waitUntil(
      h,
      'snapshot',
      () => h.latest('A')?.trades === 3 && h.receiveCounters().parseErrors === 1,
      'three trades and one bad frame',
    );
    assert.deepEqual(h.receiveCounters(), { records: 3, parseErrors: 1, lastTickAt: { A: 42 } });
    assert.equal(h.latest('A')?.last, 1002);
    assert.equal(h.stats().records, 3);
    await waitUntil(h, 'snapshot', () => h.stats().inFlightBytes === 0, 'every raw batch acknowledged', 5000);
  });

  it('replays raw batches the dead worker never acknowledged, and receive counters continue across the restart', async () => {
    const h = make({ snapshotIntervalMs: 60_000 }); // no snapshot (no ack) before the kill
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    for (let i = 0; i < 10; i++) h.pushRaw(rawTrades('A', 10, i * 10));
    assert.ok((h.stats().inFlightBytes ?? 0) > 0);
    const old = h.currentWorker as Worker;
    const ready = waitForEvent(h, 'ready', () => true, 'ready again');
    await old.terminate();
    await ready;
    assert.equal(h.stats().replayedFrames, 100);
    await h.dispose();
    assert.equal(h.latest('A')?.trades, 100);
    assert.equal(h.receiveCounters().records, 100);
    assert.equal(h.stats().dropped, 0);
    h.pushRaw(rawTrades('A', 4));
    assert.equal(h.stats().dropped, 4, 'raw batches after dispose are counted, not processed');
  });

  it('acknowledges raw batches at half the byte window, so a small window does not stall or drop at full speed', async () => {
    // 2 KB window: ~4 one-record frames; with acks only at the (long) snapshot interval this would queue everything.
    const h = make({ snapshotIntervalMs: 60_000, maxInFlightBytes: 2048, maxQueuedBytes: 1 << 30 });
    for (let i = 0; i < 200; i++) h.pushRaw(rawTrades('A', 1, i));
    // The host paces snapshot events to the (long) interval, so the acks are watched in its stats.
    await until(() => h.stats().records === 200, poll(5), 'all 200 records handled before any timed snapshot', 10_000);
    assert.equal(h.stats().dropped, 0);
    assert.equal(h.stats().queued, 0);
  });

  it('restarts a worker whose handler blocks longer than the heartbeat timeout (watchdog)', async () => {
    const blocker = handlers.write(
      `module.exports = (r) => { if (r.symbol === 'BLOCK') { const end = Date.now() + 6000; while (Date.now() < end) {} } };`,
    );
    const h = make({ userHandlers: [blocker], heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1500 });
    h.push([trades('A', 2)]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 2, 'before the block');
    const restarted = waitForEvent<[RestartEvent]>(h, 'restart', () => true, 'watchdog restart');
    h.push([frame('H0STCNT0', [tradeOf('BLOCK', 1)])]);
    h.push([trades('A', 3)]);
    const [event] = await restarted;
    assert.match(event.reason, /no heartbeat for 1500 ms/);
    assert.match(h.stats().lastRestartReason ?? '', /no heartbeat/);
    // The blocking record is replayed to the built-in handlers only: it is in the state, and it does not
    // block the new worker.
    await waitUntil(
      h,
      'snapshot',
      () => h.latest('BLOCK')?.trades === 1 && h.latest('A')?.trades === 5,
      'state after restart',
    );
    assert.ok(h.stats().workerRestarts >= 1);
    assert.ok((h.stats().replayedFrames ?? 0) >= 1);
  });

  it('restarts a worker that does not get ready within startTimeoutMs', async () => {
    const slowLoad = handlers.write(
      `const end = Date.now() + 3000; while (Date.now() < end) {} module.exports = () => {};`,
    );
    const h = make({
      userHandlers: [slowLoad],
      startTimeoutMs: 300,
      heartbeatTimeoutMs: 60_000,
      restartBackoff: { baseMs: 60_000 },
    });
    const restarted = waitForEvent<[RestartEvent]>(h, 'restart', () => true, 'start timeout');
    h.start();
    const [event] = await restarted;
    assert.match(event.reason, /did not get ready within 300 ms/);
  });

  it('restarts a crashed worker and reports the crash', async () => {
    const crasher = handlers.write(
      `module.exports = (r) => { if (r.symbol === 'CRASH') setImmediate(() => { throw new Error('uncaught in worker'); }); };`,
    );
    const h = make({ userHandlers: [crasher] });
    const errors: Error[] = [];
    h.on('error', (e) => errors.push(e));
    const restarted = waitForEvent<[RestartEvent]>(h, 'restart', () => true, 'restart');
    h.push([frame('H0STCNT0', [tradeOf('CRASH', 1)])]);
    const [event] = await restarted;
    assert.match(event.reason, /worker crashed: uncaught in worker/);
    assert.equal(errors[0]?.message, 'uncaught in worker');
    h.push([trades('A', 1)]);
    await waitUntil(
      h,
      'snapshot',
      () => h.latest('A')?.trades === 1 && h.latest('CRASH')?.trades === 1,
      'after the crash',
    );
  });

  it('restarts on a fatal message and ignores (counts) malformed ones', async () => {
    const talker = handlers.write(
      `const { parentPort } = require('node:worker_threads');
       module.exports = (r) => {
         if (r.symbol === 'BOGUS') { parentPort.postMessage({ type: 'bogus' }); parentPort.postMessage({ type: 'snapshot', snapshot: 1 }); }
         if (r.symbol === 'FATAL') parentPort.postMessage({ type: 'fatal', message: 'handler gave up' });
       };`,
    );
    const h = make({ userHandlers: [talker] });
    h.push([frame('H0STCNT0', [tradeOf('BOGUS', 1)])]);
    await waitUntil(h, 'snapshot', () => h.latest('BOGUS') !== undefined, 'bogus processed');
    assert.equal(h.stats().invalidMessages, 2);
    const restarted = waitForEvent<[RestartEvent]>(h, 'restart', () => true, 'restart');
    h.push([frame('H0STCNT0', [tradeOf('FATAL', 1)])]);
    assert.match((await restarted)[0].reason, /worker fatal: handler gave up/);
  });

  it('counts listener exceptions instead of letting them into the message loop', async () => {
    const h = make();
    h.on('snapshot', () => {
      throw new Error('view bug');
    });
    h.push([trades('A', 1)]);
    await waitUntil(h, 'snapshot', () => h.latest('A') !== undefined, 'snapshot');
    h.push([trades('A', 1)]);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 2, 'second snapshot');
    assert.ok((h.stats().listenerErrors ?? 0) >= 2);
  });

  it('bounds the queue: books coalesce latest-wins, trades beyond the cap are counted as dropped', async () => {
    const blocker = handlers.write(
      `let first = true; module.exports = () => { if (first) { first = false; const end = Date.now() + 1500; while (Date.now() < end) {} } };`,
    );
    const h = make({ userHandlers: [blocker], maxInFlightFrames: 2, maxQueuedFrames: 5, heartbeatTimeoutMs: 60_000 });
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    h.push([trades('A', 1), trades('A', 1)]); // fills the window; the first record blocks the worker
    for (let i = 0; i < 20; i++) h.push([frame('H0STASP0', [book({ 1: `0900${String(i).padStart(2, '0')}` })])]);
    for (let i = 0; i < 8; i++) h.push([trades('A', 1)]);
    const s = h.stats();
    assert.equal(s.coalesced, 19);
    assert.equal(s.queued, 5, 'one book + four trades: the cap counts every queued frame');
    assert.equal(s.dropped, 4);
    assert.equal(s.inFlight, 2);
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 6 && h.stats().queued === 0, 'queue drained');
    assert.equal(h.book('005930')?.time, '090019', 'the latest book won');
    assert.equal(h.stats().dropped, 4);
  });

  it('counts drops per record, not per frame: multi-record frames refused by a full queue or pushed after dispose', async () => {
    const blocker = handlers.write(
      `let first = true; module.exports = () => { if (first) { first = false; const end = Date.now() + 1500; while (Date.now() < end) {} } };`,
    );
    const h = make({ userHandlers: [blocker], maxInFlightFrames: 1, maxQueuedFrames: 2, heartbeatTimeoutMs: 60_000 });
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    h.push([trades('A', 1)]); // fills the window; the first record blocks the worker
    h.push([trades('A', 3), trades('A', 2)]); // queued: the cap is two frames
    h.push([trades('A', 3), trades('A', 4), trades('A', 1)]); // refused: 3 frames, 8 records
    assert.equal(h.stats().queued, 2);
    assert.equal(h.stats().dropped, 8, 'every record of a refused frame counts');
    await waitUntil(h, 'snapshot', () => h.latest('A')?.trades === 1 + 5 && h.stats().queued === 0, 'queue drained');
    assert.equal(h.stats().dropped, 8);
    h.push([trades('A', 3), trades('A', 2)]);
    await h.dispose();
    h.push([trades('A', 4), trades('A', 3)]);
    assert.equal(h.stats().dropped, 8 + 7, 'every record of a frame pushed after dispose counts');
  });

  it('posts at most one snapshot per interval at 50,000 records/s and drops nothing', async () => {
    const interval = 100;
    const h = make({ snapshotIntervalMs: interval });
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    const symbols = Array.from({ length: 10 }, (_, i) => `00593${i}`);
    const frames = symbols.map((x) => trades(x, 10));
    // The worker's own build times: arrival times on this thread bunch up when its event loop is busy.
    const at: number[] = [];
    h.on('snapshot', (snapshot: Snapshot) => void at.push(snapshot.at));
    // Load generator: 50,000 records/s in ten-record frames for two seconds, paced by the clock.
    const rate = 50_000;
    let pushed = 0;
    const t0 = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - t0;
        const due = Math.min(Math.floor((elapsed * rate) / 1000), (rate * 2000) / 1000);
        const batch = [];
        while (pushed < due) {
          batch.push(frames[(pushed / 10) % 10]);
          pushed += 10;
        }
        if (batch.length > 0) h.push(batch);
        if (elapsed >= 2000) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    // At most one per interval, as an ordering property of the worker's own clock (no wall-clock bound
    // on how many fit into the run): each snapshot is built at least one interval after the one before.
    assert.ok(at.length >= 2, `${at.length} snapshots`);
    // `at` is read when the snapshot is built, a little after the tick that decided it was due, so two may
    // stand a little closer than one interval; a worker posting per batch would put them ~0 ms apart.
    for (let i = 1; i < at.length; i++)
      assert.ok(at[i] - at[i - 1] >= interval / 2, `snapshots ${i - 1} and ${i} only ${at[i] - at[i - 1]} ms apart`);
    await waitUntil(h, 'snapshot', () => h.stats().records === pushed, 'every record handled', 15_000);
    const total = symbols.reduce((n, x) => n + (h.latest(x)?.trades ?? 0), 0);
    assert.equal(total, pushed);
    assert.equal(h.stats().dropped, 0);
    assert.equal(h.stats().coalesced, 0);
  });

  it('dispose stops the worker, its timers and everything after it', async () => {
    await Promise.resolve(); // mocha arms its own test timer once the test function has returned its promise
    const before = timeouts();
    const h = make();
    h.push([trades('A', 1)]);
    await waitUntil(h, 'snapshot', () => h.latest('A') !== undefined, 'snapshot');
    const worker = h.currentWorker as Worker;
    const exit = exited(worker);
    let snapshotsAfter = 0;
    await h.dispose();
    h.on('snapshot', () => snapshotsAfter++);
    assert.equal(await exit, 0, 'the worker ended on its own (stop message)');
    assert.equal(h.currentWorker, undefined);
    assert.equal(h.stats().running, false);
    if (timeouts() !== before)
      console.log(
        [
          ...((globalThis as unknown as { __timerStacks: Map<number, string> }).__timerStacks ?? new Map()).values(),
        ].join('\n---\n'),
      );
    assert.equal(timeouts(), before, 'no timer left');
    h.push([trades('A', 2)]);
    assert.equal(h.stats().dropped, 2, 'pushes after dispose are counted, not processed');
    assert.equal(h.currentWorker, undefined);
    await h.dispose();
    assert.equal(snapshotsAfter, 0);
  });

  it('dispose terminates a worker that does not stop in time', async () => {
    const blocker = handlers.write(
      `module.exports = () => { const end = Date.now() + 5000; while (Date.now() < end) {} };`,
    );
    const h = make({ userHandlers: [blocker], stopTimeoutMs: 100, heartbeatTimeoutMs: 60_000 });
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    const worker = h.currentWorker as Worker;
    const exit = exited(worker);
    h.push([trades('A', 1)]);
    await h.dispose();
    assert.equal(await exit, 1, 'terminated');
    assert.equal(h.currentWorker, undefined);
  });

  it('dispose during a restart waits for the old thread and starts no new one', async () => {
    const h = make({ restartBackoff: { baseMs: 60_000, capMs: 60_000 } });
    h.start();
    await waitForEvent(h, 'ready', () => true, 'ready');
    h.push([trades('A', 3)]);
    const restarted = waitForEvent(h, 'restart', () => true, 'restart');
    await (h.currentWorker as Worker).terminate();
    await restarted;
    assert.equal(h.currentWorker, undefined);
    // dispose() must cancel the 60 s backoff, not wait it out: the 20 s test timeout is what catches a
    // wait (no wall-clock assertion here); afterwards no restart may follow.
    let readyAfter = 0;
    h.on('ready', () => readyAfter++);
    await h.dispose();
    assert.equal(readyAfter, 0);
    assert.equal(h.currentWorker, undefined);
  });

  it('keeps restarting with backoff when the worker script cannot load, and reports why', async () => {
    const h = make({
      workerScript: path.join(handlers.dir, 'missing-worker.js'),
      restartBackoff: { baseMs: 10, capMs: 20 },
    });
    const errors: Error[] = [];
    h.on('error', (e) => errors.push(e));
    h.start();
    await waitUntil(h, 'restart', () => h.stats().workerRestarts >= 3, 'three restarts');
    assert.match(errors[0]?.message ?? '', /Cannot find module/);
    h.push([trades('A', 1)]);
    assert.equal(h.stats().queued, 1, 'frames wait for a worker that is ready');
  });

  it('picks the bundled worker.js beside it when present, else the tsc entry.js', () => {
    assert.equal(defaultWorkerScript(handlers.dir), path.join(handlers.dir, 'entry.js'));
    fs.writeFileSync(path.join(handlers.dir, 'worker.js'), '');
    assert.equal(defaultWorkerScript(handlers.dir), path.join(handlers.dir, 'worker.js'));
  });
});
