import { strict as assert } from 'node:assert';
import type { DataFrame } from '../../../src/kis/types';
import type { AlertRule } from '../../../src/shared/snapshot';
import type {
  HandlerErrorMessage,
  InitMessage,
  SnapshotMessage,
  WorkerToHost,
} from '../../../src/shared/workerProtocol';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { formatFrame } from '../../../src/kis';
import { packRawBatch } from '../../../src/shared/rawBatch';
import { book, frame, HandlerDir, tradeOf } from './helpers';

/** Timers driven by the test: `advance(ms)` moves the clock and runs every interval once. */
class ManualTimers implements RuntimeTimers {
  readonly intervals = new Map<number, () => void>();
  private next = 0;
  time = 1_000_000;
  setInterval(fn: () => void): unknown {
    this.intervals.set(++this.next, fn);
    return this.next;
  }
  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
    for (const fn of [...this.intervals.values()]) fn();
  }
}

const SNAP = 100;
const BEAT = 1000;

function init(extra: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    snapshotIntervalMs: SNAP,
    heartbeatIntervalMs: BEAT,
    bookDepth: 10,
    userHandlers: [],
    alerts: [],
    ...extra,
  };
}

describe('worker runtime (in-process)', () => {
  let posted: WorkerToHost[];
  let timers: ManualTimers;
  let stopped: number;
  let runtime: WorkerRuntime;
  let handlers: HandlerDir;
  let batch = 0;

  const frames = (list: DataFrame[], replay = false): void =>
    runtime.handle({ type: 'frames', batchId: ++batch, frames: list, ...(replay ? { replay } : {}) });
  const ofType = <T extends WorkerToHost['type']>(type: T) =>
    posted.filter((m): m is Extract<WorkerToHost, { type: T }> => m.type === type);
  const lastSnapshot = (): SnapshotMessage => {
    const list = ofType('snapshot');
    assert.ok(list.length > 0, 'no snapshot posted');
    return list[list.length - 1];
  };

  beforeEach(() => {
    posted = [];
    timers = new ManualTimers();
    stopped = 0;
    runtime = new WorkerRuntime(
      (m) => posted.push(m),
      () => stopped++,
      timers,
    );
    handlers = new HandlerDir();
  });
  afterEach(() => {
    runtime.handle({ type: 'stop' });
    handlers.cleanup();
  });

  it('answers init with ready and starts the snapshot and heartbeat timers', () => {
    runtime.handle(init());
    assert.deepEqual(posted, [{ type: 'ready', handlers: [] }]);
    assert.equal(timers.intervals.size, 1);
    timers.advance(BEAT);
    timers.advance(BEAT);
    assert.deepEqual(ofType('heartbeat'), [
      { type: 'heartbeat', seq: 1 },
      { type: 'heartbeat', seq: 2 },
    ]);
  });

  it('posts one coalesced snapshot per interval with only the changed symbols, and nothing when idle', () => {
    runtime.handle(init());
    frames([frame('H0STCNT0', [tradeOf('005930', 100), tradeOf('005930', 101)])]);
    frames([frame('H0STCNT0', [tradeOf('000660', 200)]), frame('H0STASP0', [book()])]);
    timers.advance(SNAP);
    const first = lastSnapshot();
    assert.equal(first.ackBatchId, 2);
    assert.deepEqual(
      first.snapshot.quotes.map((q) => [q.symbol, q.last, q.trades]),
      [
        ['005930', 101, 2],
        ['000660', 200, 1],
      ],
    );
    assert.equal(first.snapshot.books.length, 1);
    assert.equal(first.snapshot.bars.length, 2);
    assert.deepEqual(first.snapshot.counters, { records: 4, handlerErrors: 0, parseErrors: 0 });
    timers.advance(SNAP);
    assert.equal(ofType('snapshot').length, 1, 'nothing changed, nothing posted');
    frames([frame('H0STCNT0', [tradeOf('000660', 201)])]);
    timers.advance(SNAP);
    assert.deepEqual(
      lastSnapshot().snapshot.quotes.map((q) => q.symbol),
      ['000660'],
    );
  });

  it('posts the due snapshot and heartbeat after a batch even when its timer is starved by a flood', () => {
    runtime.handle(init());
    frames([frame('H0STCNT0', [tradeOf('A', 1)])]);
    assert.equal(ofType('snapshot').length, 0, 'not due yet');
    timers.time += SNAP; // time passes, but the timer never gets to run
    frames([frame('H0STCNT0', [tradeOf('A', 2)])]);
    assert.equal(lastSnapshot().snapshot.quotes[0].trades, 2);
    assert.equal(ofType('heartbeat').length, 0);
    timers.time += BEAT;
    frames([frame('H0STCNT0', [tradeOf('A', 3)])]);
    assert.equal(ofType('heartbeat').length, 1);
    assert.equal(ofType('snapshot').length, 2);
  });

  it('acknowledges batches that changed nothing visible with a bare ack', () => {
    runtime.handle(init());
    // A notice record without a readable symbol: counted and dropped, nothing visible changes.
    frames([frame('H0STCNI0', [Array.from({ length: 26 }, (_, i) => `f${i}`)])]);
    timers.advance(SNAP);
    assert.deepEqual(ofType('ack'), [
      {
        type: 'ack',
        ackBatchId: batch,
        counters: { records: 1, handlerErrors: 0, parseErrors: 0, noticeErrors: 1 },
      },
    ]);
    timers.advance(SNAP);
    assert.equal(ofType('ack').length, 1);
  });

  it('counts a throwing user handler and goes on with the next record and the next handler', () => {
    const thrower = handlers.write(
      `let n = 0; module.exports = (r) => { if (++n % 2) throw new Error('odd ' + r.symbol); };`,
    );
    const seen = handlers.write(
      `const seen = []; module.exports = (r) => { seen.push(r.symbol + ':' + r.trade.price); }; module.exports.seen = seen;`,
    );
    runtime.handle(init({ userHandlers: [thrower, seen] }));
    frames([frame('H0STCNT0', [tradeOf('A', 1), tradeOf('B', 2), tradeOf('C', 3)])]);
    timers.advance(SNAP);
    assert.deepEqual(lastSnapshot().snapshot.counters, { records: 3, handlerErrors: 2, parseErrors: 0 });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.deepEqual((require(seen) as { seen: string[] }).seen, ['A:1', 'B:2', 'C:3']);
    // Reports are rate-limited per handler: the first error of the second goes unreported.
    const reports = ofType('handlerError');
    assert.equal(reports.length, 1);
    const { stack, ...report } = reports[0] as HandlerErrorMessage;
    assert.deepEqual(report, { type: 'handlerError', handler: thrower, message: 'odd A' });
    // The handler's own frames only: its file and position, none of the worker's.
    assert.match(
      stack ?? '',
      new RegExp(`^Error: odd A\\n\\s+at .*${thrower.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+`),
    );
    assert.doesNotMatch(stack ?? '', /runtime\.js|handlerSet\.js/);
    timers.time += 1500;
    frames([frame('H0STCNT0', [tradeOf('D', 4), tradeOf('E', 5)])]);
    assert.equal(ofType('handlerError').length, 2);
    assert.equal(ofType('handlerError')[1].message, 'odd E');
  });

  it('gives handlers the record fields, the parsed trade or book, and nothing parsed for other TRs', () => {
    const probe = handlers.write(
      `const out = []; module.exports = { default: (r) => { out.push([r.trId, r.symbol, r.fields.length, r.fields[2], r.trade && r.trade.price, r.book && r.book.asks[0].price, Object.isFrozen(r.fields), r.trade === r.trade]); } }; module.exports.out = out;`,
    );
    runtime.handle(init({ userHandlers: [probe] }));
    frames([
      frame('H0STCNT0', [tradeOf('A', 7), tradeOf('B', 8)]),
      frame('H0STASP0', [book()]),
      frame('XTEST001', [['Z', 'y']]),
    ]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.deepEqual((require(probe) as { default: unknown; out: unknown[] }).out, [
      ['H0STCNT0', 'A', 46, '7', 7, undefined, true, true],
      ['H0STCNT0', 'B', 46, '8', 8, undefined, true, true],
      ['H0STASP0', '005930', 59, '0', undefined, 71900, true, true],
      ['XTEST001', 'Z', 2, undefined, undefined, undefined, true, true],
    ]);
  });

  it('observes promises from async handlers: a rejection is counted, the loop does not wait', async () => {
    const asyncHandler = handlers.write(
      `module.exports = (r) => r.symbol === 'BAD' ? Promise.reject(new Error('async boom')) : new Promise((res) => setImmediate(res));`,
    );
    runtime.handle(init({ userHandlers: [asyncHandler] }));
    frames([frame('H0STCNT0', [tradeOf('BAD', 1), tradeOf('OK', 2)])]);
    assert.equal(runtime.pendingAsync, 2, 'both promises held while pending');
    timers.advance(SNAP);
    assert.equal(lastSnapshot().snapshot.quotes.length, 2, 'records processed without awaiting the handlers');
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(runtime.pendingAsync, 0);
    frames([frame('H0STCNT0', [tradeOf('OK', 3)])]);
    timers.advance(SNAP);
    assert.equal(lastSnapshot().snapshot.counters.handlerErrors, 1);
    assert.equal(ofType('handlerError')[0].message, 'async boom');
  });

  it('waits (bounded) for pending async handlers on stop, then ends', async () => {
    const slow = handlers.write(`module.exports = () => new Promise((res) => setTimeout(res, 20));`);
    runtime.handle(init({ userHandlers: [slow] }));
    frames([frame('H0STCNT0', [tradeOf('A', 1)])]);
    runtime.handle({ type: 'stop' });
    assert.equal(timers.intervals.size, 0, 'timers cleared at once');
    assert.equal(stopped, 0, 'not ended while a handler promise is pending');
    assert.equal(lastSnapshot().snapshot.quotes[0].symbol, 'A', 'last changes flushed on stop');
    await new Promise<void>((resolve) => {
      const check = (): void => (stopped > 0 ? resolve() : void setImmediate(check));
      check();
    });
    assert.equal(runtime.pendingAsync, 0);
    const count = posted.length;
    runtime.handle({ type: 'frames', batchId: 99, frames: [frame('H0STCNT0', [tradeOf('A', 1)])] });
    runtime.flush();
    assert.equal(posted.length, count, 'frames after stop are ignored');
    assert.equal(runtime.market?.quote('A')?.trades, 1);
  });

  it('passes replayed batches to the built-in handlers only', () => {
    const counter = handlers.write(`let n = 0; module.exports = () => { n++; }; module.exports.count = () => n;`);
    runtime.handle(init({ userHandlers: [counter] }));
    frames([frame('H0STCNT0', [tradeOf('A', 1)])], true);
    frames([frame('H0STCNT0', [tradeOf('A', 2)])]);
    timers.advance(SNAP);
    assert.equal(lastSnapshot().snapshot.quotes[0].trades, 2);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.equal((require(counter) as { count(): number }).count(), 1);
  });

  it('reports handlers that cannot be loaded and runs the others', () => {
    const noExport = handlers.write(`module.exports = { notAFunction: 1 };`);
    const broken = handlers.write(`throw new Error('syntax or top-level failure');`);
    const fine = handlers.write(`module.exports = () => {};`);
    runtime.handle(init({ userHandlers: ['relative/handler.js', noExport, broken, '/nonexistent/handler.js', fine] }));
    const ready = ofType('ready')[0];
    assert.deepEqual(ready.handlers, [fine]);
    const errors = ofType('handlerError');
    assert.equal(errors.length, 4);
    assert.match(errors[0].message, /must be absolute/);
    assert.match(errors[1].message, /no default export function/);
    assert.match(errors[2].message, /syntax or top-level failure/);
    assert.match(errors[3].message, /cannot load handler/);
    runtime.handle({ type: 'addHandler', modulePath: handlers.write(`module.exports = null;`) });
    assert.equal(ofType('handlerError').length, 5);
    frames([frame('H0STCNT0', [tradeOf('A', 1)])]);
    timers.advance(SNAP);
    assert.equal(lastSnapshot().snapshot.counters.handlerErrors, 5);
  });

  it('adds a handler at run time', () => {
    runtime.handle(init());
    const added = handlers.write(`let n = 0; module.exports = () => { n++; }; module.exports.count = () => n;`);
    runtime.handle({ type: 'addHandler', modulePath: added });
    frames([frame('H0STCNT0', [tradeOf('A', 1)])]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.equal((require(added) as { count(): number }).count(), 1);
  });

  it('counts frames it cannot split into records as parse errors', () => {
    runtime.handle(init());
    frames([
      { encrypted: true, trId: 'H0STCNI0', count: 1, width: 0, payload: 'AAAA' },
      { encrypted: false, trId: 'H0STCNT0', count: 2, width: 46, payload: tradeOf('A', 1).join('^') },
      frame('H0STCNT0', [tradeOf('B', 2)]),
    ]);
    timers.advance(SNAP);
    const s = lastSnapshot().snapshot;
    assert.deepEqual(s.counters, { records: 1, handlerErrors: 0, parseErrors: 2 });
    assert.deepEqual(
      s.quotes.map((q) => q.symbol),
      ['B'],
    );
    assert.match(ofType('handlerError')[0].message, /still encrypted/);
  });

  it('counts order-book frames with a wrong field count as parse errors, and reads too-narrow trade records field by field', () => {
    runtime.handle(init());
    frames([
      { encrypted: false, trId: 'H0STASP0', count: 2, width: 59, payload: book().join('^') },
      // 20-field "trades" never pass the agent; they still go through the split path as before.
      { encrypted: false, trId: 'H0STCNT0', count: 2, width: 20, payload: tradeOf('N', 5).slice(0, 40).join('^') },
      frame('H0STASP0', [book()]),
    ]);
    timers.advance(SNAP);
    const s = lastSnapshot().snapshot;
    assert.deepEqual(s.counters, { records: 3, handlerErrors: 0, parseErrors: 1 });
    assert.deepEqual(
      s.books.map((b) => [b.symbol, b.asks[0].price]),
      [['005930', 71900]],
    );
    assert.deepEqual(
      s.quotes.map((q) => q.symbol),
      ['N', '1159996'], // the second record's "symbol" is field 20 of the fixture
    );
  });

  it('counts a failing built-in handler and keeps going', () => {
    runtime.handle(init());
    const market = runtime.market;
    assert.ok(market);
    // Without user handlers, trade records reach the state as ticks (one pass over the payload).
    const original = market.applyTradeTick.bind(market);
    market.applyTradeTick = (t, now) => {
      if (t.symbol === 'BOOM') throw new Error('built-in failure');
      return original(t, now);
    };
    frames([frame('H0STCNT0', [tradeOf('BOOM', 1), tradeOf('A', 2)])]);
    timers.advance(SNAP);
    assert.equal(lastSnapshot().snapshot.counters.handlerErrors, 1);
    assert.equal(ofType('handlerError')[0].handler, 'builtin');
    assert.deepEqual(
      lastSnapshot().snapshot.quotes.map((q) => [q.symbol, q.last]),
      [['A', 2]],
    );
  });

  it('with a user handler (split path) still counts field-count mismatches and built-in failures, and a failing book counts too', () => {
    const seen = handlers.write(
      `const got = []; module.exports = (r) => { got.push(r.symbol); }; module.exports.got = got;`,
    );
    runtime.handle(init({ userHandlers: [seen] }));
    const market = runtime.market;
    assert.ok(market);
    const trade = market.applyTrade.bind(market);
    market.applyTrade = (fields, o, now) => {
      if (fields[o] === 'BOOM') throw new Error('built-in failure');
      return trade(fields, o, now);
    };
    frames([
      { encrypted: false, trId: 'H0STCNT0', count: 2, width: 46, payload: tradeOf('X', 1).join('^') },
      frame('H0STCNT0', [tradeOf('BOOM', 1), tradeOf('A', 2)]),
    ]);
    assert.deepEqual(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(seen) as { got: string[] }).got,
      ['BOOM', 'A'],
      'user handlers run after a failing built-in',
    );
    runtime.handle({ type: 'addHandler', modulePath: '/nonexistent/handler.js' }); // counted as a handler error
    const bookTick = market.applyBookTick.bind(market);
    market.applyBookTick = () => {
      throw new Error('book failure');
    };
    const replayed = frame('H0STASP0', [book()]);
    frames([replayed], true); // a replay skips user handlers, so the book takes the tick path
    market.applyBookTick = bookTick;
    timers.advance(SNAP);
    const s = lastSnapshot().snapshot;
    assert.deepEqual(s.counters, { records: 3, handlerErrors: 3, parseErrors: 1 });
    assert.deepEqual(
      s.quotes.map((q) => q.symbol),
      ['A'],
    );
    assert.deepEqual(s.books, []);
  });

  it('fires alerts into the snapshot and sends the rule states when they change', () => {
    const rule: AlertRule = { id: 'r1', symbol: 'A', kind: 'priceAbove', threshold: 10 };
    runtime.handle(init({ alerts: [rule] }));
    const firedAt = timers.now(); // the worker's clock, not the record's exchange time
    frames([frame('H0STCNT0', [tradeOf('A', 5), tradeOf('A', 11), tradeOf('A', 12)])]);
    timers.advance(SNAP);
    const s = lastSnapshot();
    assert.deepEqual(
      s.snapshot.alerts.map((a) => [a.ruleId, a.price]),
      [['r1', 11]],
    );
    assert.deepEqual(s.alertStates, [{ id: 'r1', armed: false, firedAt }]);
    frames([frame('H0STCNT0', [tradeOf('A', 13)])]);
    timers.advance(SNAP);
    assert.equal(lastSnapshot().alertStates, undefined, 'unchanged states not resent');
    runtime.handle({
      type: 'setAlerts',
      alerts: [rule, { ...rule, id: 'r2', threshold: 50 }, { bogus: true } as unknown as AlertRule],
    });
    assert.match(ofType('handlerError')[0].message, /1 malformed alert rule/);
    timers.advance(SNAP);
    assert.deepEqual(
      ofType('ack')
        .pop()
        ?.alertStates?.map((a) => [a.id, a.armed]),
      [['r1', false]],
    );
  });

  it('restores state, counters and alert rule states from init', () => {
    const rule: AlertRule = { id: 'r1', symbol: 'A', kind: 'priceAbove', threshold: 10 };
    runtime.handle(
      init({
        alerts: [rule],
        alertStates: [{ id: 'r1', armed: false, firedAt: timers.now() }],
        restore: {
          quotes: [{ ...emptyQuote('A'), last: 20, trades: 41 }],
          bars: [],
          books: [],
          counters: { records: 100, handlerErrors: 3, parseErrors: 1 },
        },
      }),
    );
    timers.advance(SNAP);
    assert.equal(posted.length, 1, 'a restore alone is not a change');
    frames([frame('H0STCNT0', [tradeOf('A', 30)])]);
    timers.advance(SNAP);
    const s = lastSnapshot().snapshot;
    assert.equal(s.quotes[0].trades, 42);
    assert.deepEqual(s.alerts, []);
    assert.deepEqual(s.counters, { records: 101, handlerErrors: 3, parseErrors: 1 });
  });

  /** A raw batch of the given wire texts. */
  const raw = (texts: string[], receivedAt = 5000): void => {
    const chunks = texts.map((t) => Buffer.from(t, 'utf8'));
    const buffer = packRawBatch(
      chunks,
      chunks.reduce((n, c) => n + c.length, 0),
    );
    runtime.handle({ type: 'raw', batchId: ++batch, buffer, receivedAt });
  };
  const wire = (records: string[][]): string =>
    formatFrame('H0STCNT0', records.length, records.map((r) => r.join('^')).join('^'));

  it('decodes raw batches: records, parse errors and the newest frame time per symbol travel with the snapshot', () => {
    runtime.handle(init());
    raw([wire([tradeOf('A', 10)]), '0|H0STCNT0|002|not^enough', wire([tradeOf('B', 20), tradeOf('B', 21)])], 7000);
    raw([wire([tradeOf('A', 11)])], 8000);
    timers.advance(SNAP);
    const message = lastSnapshot();
    assert.deepEqual(message.received, { records: 4, parseErrors: 1, lastTickAt: { A: 8000, B: 7000 } });
    assert.equal(message.ackBatchId, batch);
    assert.deepEqual(message.snapshot.quotes.map((q) => [q.symbol, q.last, q.trades]).sort(), [
      ['A', 11, 2],
      ['B', 21, 2],
    ]);
    assert.equal(message.snapshot.counters.records, 4, 'the handled records count as before');
    assert.equal(
      message.snapshot.counters.parseErrors,
      0,
      'a frame that failed to decode is a receive error, not a split error',
    );
    assert.deepEqual(
      ofType('handlerError').map((m) => m.handler),
      ['receive'],
      'the first decode failure is reported',
    );
  });

  it('counts a raw buffer without the layout as one parse error', () => {
    runtime.handle(init());
    runtime.handle({ type: 'raw', batchId: ++batch, buffer: new SharedArrayBuffer(2), receivedAt: 1 });
    timers.advance(SNAP);
    assert.deepEqual(ofType('ack')[0].received, { records: 0, parseErrors: 1, lastTickAt: {} });
  });

  it('acknowledges raw batches as soon as half the window was processed, without waiting for the snapshot timer', () => {
    runtime.handle(init({ ackEveryBytes: 600 }));
    raw([wire([tradeOf('A', 10)])]);
    assert.equal(ofType('snapshot').length, 0, 'under half the window: no ack yet');
    raw([wire([tradeOf('A', 11)])]);
    raw([wire([tradeOf('A', 12)])]);
    const early = ofType('snapshot');
    assert.equal(early.length, 1, 'acknowledged at once, with the changes the batches made');
    assert.equal(early[0].ackBatchId, batch);
    assert.equal(early[0].snapshot.quotes[0].trades, 3);
    raw([wire([tradeOf('A', 13)])]);
    assert.equal(ofType('snapshot').length, 1, 'the count starts again after each ack');
  });

  it('passes raw replays to the built-in handlers only, and continues restored receive counters', () => {
    const counter = handlers.write('module.exports = () => { throw new Error("a user handler saw a replay"); };');
    runtime.handle(
      init({
        userHandlers: [counter],
        restore: {
          quotes: [],
          bars: [],
          books: [],
          counters: { records: 5, handlerErrors: 0, parseErrors: 0 },
          received: { records: 5, parseErrors: 2, lastTickAt: { Z: 1 } },
        },
      }),
    );
    const chunks = [Buffer.from(wire([tradeOf('A', 10)]))];
    runtime.handle({
      type: 'raw',
      batchId: ++batch,
      buffer: packRawBatch(chunks, chunks[0].length),
      receivedAt: 9,
      replay: true,
    });
    timers.advance(SNAP);
    const message = lastSnapshot();
    assert.deepEqual(message.received, { records: 6, parseErrors: 2, lastTickAt: { Z: 1, A: 9 } });
    assert.equal(message.snapshot.counters.handlerErrors, 0, 'the user handler did not see the replay');
  });

  it('answers protocol misuse with fatal instead of throwing', () => {
    runtime.handle({ type: 'frames', batchId: 1, frames: [] });
    runtime.handle({ type: 'raw', batchId: 1, buffer: new SharedArrayBuffer(4), receivedAt: 0 });
    runtime.handle(init());
    runtime.handle(init());
    runtime.handle({ type: 'nonsense' } as unknown as InitMessage);
    assert.deepEqual(
      ofType('fatal').map((m) => m.message),
      ['frames before init', 'frames before init', 'init received twice', 'unknown message type "nonsense"'],
    );
  });
});

function emptyQuote(symbol: string) {
  return {
    symbol,
    last: 0,
    change: 0,
    rate: 0,
    sign: '3' as const,
    volume: 0,
    value: 0,
    open: 0,
    high: 0,
    low: 0,
    vwap: 0,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '',
    businessDate: '',
    lastUpdateAt: 0,
    halted: false,
    trades: 0,
  };
}
