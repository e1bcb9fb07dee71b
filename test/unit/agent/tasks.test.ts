import * as assert from 'node:assert/strict';
import { AbortError, TaskTracker } from '../../../src/agent/tasks';

describe('agent TaskTracker', () => {
  let tracker: TaskTracker;
  beforeEach(() => {
    tracker = new TaskTracker();
  });
  afterEach(async () => {
    await tracker.cancelAll('test end');
    assert.equal(tracker.size, 0);
  });

  it('holds a tracked promise until it settles, and returns the same promise', async () => {
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => (resolve = r));
    assert.equal(tracker.track(p), p);
    assert.equal(tracker.size, 1);
    resolve(7);
    assert.equal(await p, 7);
    await Promise.resolve();
    assert.equal(tracker.size, 0);
  });

  it('does not turn a rejected tracked promise into an unhandled rejection, and the caller still sees it', async () => {
    const p = tracker.run(async () => {
      throw new Error('boom');
    });
    await assert.rejects(p, /boom/);
    assert.equal(tracker.size, 0);
  });

  it('reports a synchronous throw of run() as a rejected promise', async () => {
    await assert.rejects(
      tracker.run(() => {
        throw new Error('sync');
      }),
      /sync/,
    );
  });

  it('cancelAll aborts the shared signal and awaits every task, including ones that take time to unwind', async () => {
    const order: string[] = [];
    const longTask = tracker.run(async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await new Promise<void>((resolve) => setImmediate(resolve));
      order.push('task unwound');
    });
    const waiting = tracker.delay(60_000);
    const timerFired: string[] = [];
    tracker.timer(60_000, () => timerFired.push('fired'));
    assert.equal(tracker.size, 3);
    await tracker.cancelAll('stop');
    order.push('cancelAll returned');
    assert.deepEqual(order, ['task unwound', 'cancelAll returned']);
    assert.equal(tracker.size, 0);
    await assert.rejects(waiting, (e: unknown) => e instanceof AbortError);
    await longTask;
    assert.deepEqual(timerFired, [], 'a cancelled timer never fires');
  });

  it('arms a fresh signal after cancelAll so the tracker can be used again', async () => {
    const first = tracker.signal;
    await tracker.cancelAll();
    assert.equal(first.aborted, true);
    assert.equal(tracker.signal.aborted, false);
    await tracker.delay(1);
    assert.equal(tracker.size, 0);
  });

  it('abort() without waiting, then renew() gives new tasks a live signal', async () => {
    const old = tracker.delay(60_000);
    tracker.abort('fatal');
    await assert.rejects(old, AbortError);
    assert.equal(tracker.signal.aborted, true);
    const refused = tracker.delay(1);
    await assert.rejects(refused, AbortError, 'an aborted tracker refuses new waits');
    tracker.renew();
    assert.equal(tracker.signal.aborted, false);
    await tracker.delay(1);
  });

  it('delay also rejects when its own extra signal aborts', async () => {
    const controller = new AbortController();
    const p = tracker.delay(60_000, controller.signal);
    controller.abort();
    await assert.rejects(p, AbortError);
    assert.equal(tracker.size, 0);
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(tracker.delay(1, pre.signal), AbortError);
  });

  it('runs a timer callback once, settles it, and can cancel it before it fires', async () => {
    let runs = 0;
    await new Promise<void>((resolve) => {
      tracker.timer(1, () => {
        runs++;
        resolve();
      });
    });
    await Promise.resolve();
    assert.equal(runs, 1);
    assert.equal(tracker.size, 0);
    const handle = tracker.timer(60_000, () => runs++);
    assert.equal(tracker.size, 1);
    handle.cancel();
    handle.cancel();
    await Promise.resolve();
    assert.equal(tracker.size, 0);
    assert.equal(runs, 1);
  });

  it('soon() runs after the current turn; an exception goes to onError and the task still settles', async () => {
    const errors: unknown[] = [];
    const local = new TaskTracker((e) => errors.push(e));
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      local.soon(() => {
        order.push('soon');
        resolve();
        throw new Error('handler bug');
      });
      order.push('sync');
    });
    assert.deepEqual(order, ['sync', 'soon']);
    await local.cancelAll();
    assert.equal(local.size, 0);
    assert.equal(errors.length, 1);
  });

  it('a timer scheduled on an aborted tracker never runs and is not tracked', async () => {
    tracker.abort();
    let ran = false;
    const handle = tracker.timer(0, () => (ran = true));
    handle.cancel();
    assert.equal(tracker.size, 0);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(ran, false);
  });

  it('dispose() aborts the shared signal with an AbortError and clears every timer without running it', async () => {
    let ran = false;
    tracker.timer(1, () => (ran = true));
    tracker.soon(() => (ran = true));
    const waiting = tracker.delay(60_000);
    const signal = tracker.signal;
    tracker.dispose();
    assert.equal(signal.aborted, true);
    assert.ok(signal.reason instanceof AbortError);
    await assert.rejects(waiting, AbortError);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    assert.equal(ran, false);
    assert.equal(tracker.size, 0);
  });
});
