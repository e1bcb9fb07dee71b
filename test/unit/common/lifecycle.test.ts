import assert from 'node:assert/strict';
import { Disposable, disposeAll, Emitter, toDisposable } from '../../../src/common/lifecycle';
import { Throttle, type TimerApi } from '../../../src/common/throttle';

class Owner extends Disposable {
  add(fn: () => void): void {
    this._register(toDisposable(fn));
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

/** Timers driven by hand: `tick()` runs what is due. */
function manualTimers(): TimerApi & { pending: number; tick(): void } {
  const queue = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout(fn) {
      queue.set(next, fn);
      return next++;
    },
    clearTimeout(handle) {
      queue.delete(handle as number);
    },
    get pending() {
      return queue.size;
    },
    tick() {
      const due = [...queue.values()];
      queue.clear();
      for (const fn of due) fn();
    },
  };
}

describe('lifecycle', () => {
  it('disposes registered items newest first, once', () => {
    const order: number[] = [];
    const owner = new Owner();
    owner.add(() => order.push(1));
    owner.add(() => order.push(2));
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, [2, 1]);
    assert.equal(owner.disposed, true);
  });

  it('disposes an item registered after the owner died, at once', () => {
    const owner = new Owner();
    owner.dispose();
    let released = false;
    owner.add(() => (released = true));
    assert.equal(released, true);
  });

  it('keeps disposing when one item throws, then rethrows the first error', () => {
    const released: string[] = [];
    const items = [
      toDisposable(() => released.push('a')),
      toDisposable(() => {
        throw new Error('boom');
      }),
      toDisposable(() => released.push('c')),
    ];
    assert.throws(() => disposeAll(items), /boom/);
    assert.deepEqual(released, ['c', 'a']);
    assert.equal(items.length, 0);
  });

  it('emits to every listener even when one throws', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((e) => errors.push(e));
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('bad listener');
    });
    const sub = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    sub.dispose();
    emitter.fire(2);
    assert.deepEqual(seen, [1]);
    assert.equal(errors.length, 2);
    emitter.dispose();
    assert.equal(emitter.size, 0);
  });
});

describe('throttle', () => {
  it('merges calls inside the window into one trailing run', () => {
    const timers = manualTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, undefined, timers);
    throttle.schedule();
    throttle.schedule();
    throttle.schedule();
    assert.equal(timers.pending, 1);
    assert.equal(throttle.isPending, true);
    timers.tick();
    assert.equal(runs, 1);
    throttle.schedule();
    timers.tick();
    assert.equal(runs, 2);
  });

  it('flushes a pending run immediately and does nothing when idle', () => {
    const timers = manualTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, undefined, timers);
    throttle.flush();
    assert.equal(runs, 0);
    throttle.schedule();
    throttle.flush();
    assert.equal(runs, 1);
    assert.equal(timers.pending, 0);
  });

  it('reports an exception from the work and keeps working', () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = new Throttle(
      () => {
        calls++;
        if (calls === 1) throw new Error('render failed');
      },
      10,
      (e) => errors.push(e),
      timers,
    );
    throttle.schedule();
    timers.tick();
    throttle.schedule();
    timers.tick();
    assert.equal(calls, 2);
    assert.equal(errors.length, 1);
  });

  it('cancels its timer on dispose and ignores later requests', () => {
    const timers = manualTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 10, undefined, timers);
    throttle.schedule();
    throttle.dispose();
    assert.equal(timers.pending, 0);
    throttle.schedule();
    assert.equal(timers.pending, 0);
    assert.equal(runs, 0);
  });

  it('uses real timers by default', async () => {
    let resolveRun: () => void = () => undefined;
    const ran = new Promise<void>((resolve) => (resolveRun = resolve));
    const throttle = new Throttle(() => resolveRun(), 1);
    throttle.schedule();
    await ran;
    throttle.dispose();
  });
});
