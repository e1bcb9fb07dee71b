import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { HandlerErrorMessage, HandlerStatsMessage, WorkerToHost } from '../../../src/shared/workerProtocol';
import type { HandlerStat } from '../../../src/shared/stats';
import { HandlerSet, SAMPLE_SIZE } from '../../../src/worker/handlerSet';
import { WorkerHost } from '../../../src/worker/host';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { LazyRecord } from '../../../src/worker/userHandlers';
import { frame, HandlerDir, tradeOf, waitForEvent, waitUntil } from './helpers';

const timers: RuntimeTimers = { setInterval: () => 0, clearInterval: () => undefined, now: () => 1_000_000 };

/** A handler that appends "<tag>:<price>" to a file, one line per record. */
const appender = (out: string, tag: string): string =>
  `const fs = require('node:fs');
   module.exports = (r) => { fs.appendFileSync(${JSON.stringify(out)}, ${JSON.stringify(tag)} + ':' + r.fields[2] + '\\n'); };`;

const trades = (from: number, n: number) =>
  frame(
    'H0STCNT0',
    Array.from({ length: n }, (_, i) => tradeOf('005930', from + i)),
  );

describe('user handlers: reload in place', () => {
  let dir: HandlerDir;
  beforeEach(() => {
    dir = new HandlerDir();
  });
  afterEach(() => dir.cleanup());

  describe('in-process runtime', () => {
    let posted: WorkerToHost[];
    let runtime: WorkerRuntime;
    let batch = 0;
    const send = (from: number, n: number): void =>
      runtime.handle({ type: 'frames', batchId: ++batch, frames: [trades(from, n)] });
    const errors = () => posted.filter((m): m is HandlerErrorMessage => m.type === 'handlerError');
    const lastStats = (): HandlerStat[] => {
      const list = posted.filter((m): m is HandlerStatsMessage => m.type === 'handlerStats');
      assert.ok(list.length > 0, 'no handlerStats posted');
      return list[list.length - 1].handlers;
    };

    beforeEach(() => {
      posted = [];
      runtime = new WorkerRuntime(
        (m) => posted.push(m),
        () => undefined,
        timers,
      );
      runtime.handle({
        type: 'init',
        snapshotIntervalMs: 100,
        heartbeatIntervalMs: 1000,
        bookDepth: 10,
        userHandlers: [],
        alerts: [],
      });
    });
    afterEach(() => runtime.handle({ type: 'stop' }));

    it('a handler edited on disk is reloaded between two batches: every record once, in order, no gap', () => {
      const out = `${dir.dir}/seen.txt`;
      const file = dir.write(appender(out, 'v1'));
      runtime.handle({ type: 'setHandlers', modulePaths: [file] });
      send(1, 50);
      fs.writeFileSync(file, appender(out, 'v2'));
      runtime.handle({ type: 'setHandlers', modulePaths: [file] });
      send(51, 50);
      const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
      const expected = Array.from({ length: 100 }, (_, i) => `${i < 50 ? 'v1' : 'v2'}:${i + 1}`);
      assert.deepEqual(lines, expected);
      const [stat] = lastStats();
      assert.equal(stat.path, file);
      assert.equal(stat.version, 2);
      // The counters span both versions (the stats posted after the second setHandlers say 50; ask again).
      runtime.handle({ type: 'setHandlers', modulePaths: [file] });
      assert.equal(lastStats()[0].calls, 100);
      assert.equal(lastStats()[0].version, 3);
    });

    it('a new version with a syntax error keeps the old one running and reports the position', () => {
      const out = `${dir.dir}/seen.txt`;
      const file = dir.write(appender(out, 'v1'));
      runtime.handle({ type: 'setHandlers', modulePaths: [file] });
      fs.writeFileSync(file, 'module.exports = (r) => {\n  if (r.symbol === ) return;\n};\n');
      runtime.handle({ type: 'setHandlers', modulePaths: [file] });
      send(1, 3);
      assert.deepEqual(fs.readFileSync(out, 'utf8').trim().split('\n'), ['v1:1', 'v1:2', 'v1:3']);
      const [error] = errors();
      assert.equal(error.handler, file);
      assert.match(error.message, /cannot load handler/);
      assert.ok(error.stack?.includes(`${file}:2`), `stack names the file and line: ${error.stack}`);
      assert.equal(lastStats()[0].version, 1);
    });

    it('a new path that fails to load is left out; the others run', () => {
      const good = dir.write('module.exports = () => undefined;');
      const bad = dir.write('throw new Error("top-level boom");');
      runtime.handle({ type: 'setHandlers', modulePaths: [bad, good] });
      send(1, 2);
      assert.deepEqual(
        lastStats().map((s) => s.path),
        [good],
      );
      assert.match(errors()[0].message, /top-level boom/);
    });

    it('removing a path from the set stops calling it', () => {
      const out = `${dir.dir}/seen.txt`;
      const a = dir.write(appender(out, 'a'));
      const b = dir.write(appender(out, 'b'));
      runtime.handle({ type: 'setHandlers', modulePaths: [a, b] });
      send(1, 1);
      runtime.handle({ type: 'setHandlers', modulePaths: [b] });
      send(2, 1);
      assert.deepEqual(fs.readFileSync(out, 'utf8').trim().split('\n'), ['a:1', 'b:1', 'b:2']);
    });

    it("a throw counts against that handler and carries the handler's own stack", () => {
      const thrower = dir.write(
        'module.exports = (r) => {\n  if (r.fields[2] === "2") throw new Error("bad two");\n};\n',
      );
      const quiet = dir.write('module.exports = () => undefined;');
      runtime.handle({ type: 'setHandlers', modulePaths: [thrower, quiet] });
      send(1, 3);
      runtime.handle({ type: 'setHandlers', modulePaths: [thrower, quiet] });
      const [t, q] = lastStats();
      assert.deepEqual([t.calls, t.errors, q.calls, q.errors], [3, 1, 3, 0]);
      const [error] = errors();
      assert.equal(error.message, 'bad two');
      assert.ok(error.stack?.includes(`${thrower}:2`), `stack: ${error.stack}`);
    });

    it('an async rejection counts against its handler', async () => {
      const rejecter = dir.write('module.exports = async () => { throw new Error("later"); };');
      runtime.handle({ type: 'setHandlers', modulePaths: [rejecter] });
      send(1, 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
      runtime.handle({ type: 'setHandlers', modulePaths: [rejecter] });
      assert.equal(lastStats()[0].errors, 1);
      assert.equal(errors()[0].message, 'later');
    });
  });

  describe('HandlerSet', () => {
    it('keeps the time of the last calls for p50 and p99', () => {
      const set = new HandlerSet();
      const file = dir.write(
        'let n = 0; module.exports = () => { if (++n % 50 === 0) { const end = Date.now() + 2; while (Date.now() < end); } };',
      );
      set.add(file);
      const fields = tradeOf('005930', 1);
      for (let i = 0; i < SAMPLE_SIZE + 200; i++)
        set.list[0].invoke(new LazyRecord('H0STCNT0', '005930', fields, 0, fields.length));
      const [stat] = set.stats();
      assert.equal(stat.calls, SAMPLE_SIZE + 200);
      assert.ok(stat.p50Ms >= 0 && stat.p50Ms < 1, `p50 of mostly empty calls: ${stat.p50Ms}`);
      assert.ok(stat.p99Ms >= 1, `p99 sees the 2 % of slow calls: ${stat.p99Ms}`);
    });

    it('has zero percentiles before the first call', () => {
      const set = new HandlerSet();
      set.add(dir.write('module.exports = () => undefined;'));
      assert.deepEqual([set.stats()[0].p50Ms, set.stats()[0].p99Ms], [0, 0]);
    });
  });

  describe('real worker thread', function () {
    this.timeout(20_000);
    let host: WorkerHost | undefined;
    afterEach(async () => {
      await host?.dispose();
      host = undefined;
    });

    it('setHandlers swaps the handler while frames flow: no restart, no record missed or repeated', async () => {
      const out = `${dir.dir}/seen.txt`;
      const file = dir.write(appender(out, 'v1'));
      const h = (host = new WorkerHost({ snapshotIntervalMs: 20, heartbeatIntervalMs: 50, userHandlers: [file] }));
      const seen = (): number => h.stats().handlers?.reduce((sum, s) => sum + s.calls, 0) ?? 0;
      // Frames wait in the host until the worker is ready while control messages go at once; from then
      // on both share the port's queue, which is what orders the swap after the frames pushed before it.
      const ready = waitForEvent(h, 'ready', () => true, 'ready');
      h.start();
      await ready;
      for (let i = 0; i < 20; i++) h.push([trades(i * 10 + 1, 10)]);
      // Rewrite and swap while the first batches may still be in flight: the swap is queued behind them.
      fs.writeFileSync(file, appender(out, 'v2'));
      h.setHandlers([file]);
      for (let i = 20; i < 40; i++) h.push([trades(i * 10 + 1, 10)]);
      await waitUntil(h, 'handlerStats', () => seen() === 400, '400 handler calls');
      const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
      assert.deepEqual(
        lines.map((l) => Number(l.split(':')[1])),
        Array.from({ length: 400 }, (_, i) => i + 1),
        'every price once, in order',
      );
      assert.deepEqual(
        lines.map((l) => l.split(':')[0]),
        Array.from({ length: 400 }, (_, i) => (i < 200 ? 'v1' : 'v2')),
      );
      assert.equal(h.stats().workerRestarts, 0);
      assert.equal(h.stats().handlers?.[0].version, 2);
    });
  });
});
