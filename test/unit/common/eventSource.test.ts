import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { KisAgent } from '../../../src/agent';
import { Disposable, EventSource, toDisposable } from '../../../src/common/lifecycle';
import { Hub } from '../../../src/hub/hub';
import { HubFollower } from '../../../src/hub/follower';
import { HubLeader } from '../../../src/hub/leader';
import { RecordingWriter } from '../../../src/recorder/writer';
import { DaySim, KisSimulator, ReplayFeed } from '../../../src/simulator';
import { WorkerHost } from '../../../src/worker/host';

interface TestEvents {
  value: [number];
  pair: [string, number];
  none: [];
  error: [Error];
}

/** A source whose owner side is reachable from the test: it registers items and emits. */
class Source extends EventSource<TestEvents> {
  own(fn: () => void): void {
    this._register(toDisposable(fn));
  }
}

describe('EventSource', () => {
  let source: Source;

  beforeEach(() => {
    source = new Source();
  });

  afterEach(() => {
    source.dispose();
  });

  it('calls listeners with the emitted arguments, in the order they were added', () => {
    const seen: string[] = [];
    source.on('pair', (name, n) => seen.push(`a:${name}${n}`));
    source.addListener('pair', (name, n) => seen.push(`b:${name}${n}`));
    source.prependListener('pair', (name, n) => seen.push(`first:${name}${n}`));
    assert.equal(source.emit('pair', 'x', 1), true);
    assert.deepEqual(seen, ['first:x1', 'a:x1', 'b:x1']);
    assert.equal(source.emit('none'), false, 'no listener: emit says so');
    assert.equal(source.listenerCount('pair'), 3);
  });

  it('calls a once listener a single time, and off removes it by the function that was added', () => {
    const seen: number[] = [];
    const kept = (n: number): void => void seen.push(n);
    const removed = (n: number): void => void seen.push(-n);
    source.once('value', kept);
    source.prependOnceListener('value', removed);
    source.off('value', removed);
    source.emit('value', 1);
    source.emit('value', 2);
    assert.deepEqual(seen, [1]);
    assert.equal(source.listenerCount('value'), 0);
  });

  it('lists listeners unwrapped, and raw listeners as stored (calling a once wrapper removes it)', () => {
    const seen: number[] = [];
    const listener = (n: number): void => void seen.push(n);
    source.once('value', listener);
    assert.deepEqual(source.listeners('value'), [listener]);
    assert.equal(source.listenerCount('value', listener), 1);
    const [raw] = source.rawListeners('value');
    assert.notEqual(raw, listener);
    raw(7);
    assert.deepEqual(seen, [7]);
    assert.equal(source.listenerCount('value'), 0);
    source.on('none', () => undefined);
    assert.deepEqual(source.eventNames(), ['none']);
    source.removeListener('none', source.listeners('none')[0]);
    assert.deepEqual(source.eventNames(), []);
  });

  it('removes the listeners of one event or of all', () => {
    source.on('value', () => undefined);
    source.on('none', () => undefined);
    source.removeAllListeners('value');
    assert.equal(source.listenerCount('value'), 0);
    assert.equal(source.listenerCount('none'), 1);
    source.removeAllListeners();
    assert.deepEqual(source.eventNames(), []);
  });

  it('keeps the leak-warning threshold of EventEmitter', () => {
    assert.equal(source.getMaxListeners(), EventEmitter.defaultMaxListeners);
    assert.equal(source.setMaxListeners(50), source);
    assert.equal(source.getMaxListeners(), 50);
  });

  it('works with events.once(), which resolves with the arguments and rejects on an error event', async () => {
    const next = once(source, 'pair');
    source.emit('pair', 'a', 2);
    assert.deepEqual(await next, ['a', 2]);
    const failed = once(source, 'value');
    source.emit('error', new Error('broken'));
    await assert.rejects(failed, /broken/);
    assert.equal(source.listenerCount('value'), 0, 'events.once cleaned up after itself');
  });

  it("throws an 'error' emitted with no listener, as EventEmitter does", () => {
    assert.throws(() => source.emit('error', new Error('nobody listens')), /nobody listens/);
    source.on('error', () => undefined);
    assert.equal(source.emit('error', new Error('heard')), true);
  });

  it('removes every listener on dispose, after releasing what it registered, once', () => {
    const seen: number[] = [];
    let released = 0;
    source.on('value', (n) => seen.push(n));
    source.once('none', () => seen.push(-1));
    // A registered item that emits while being released is still heard: listeners go last.
    source.own(() => {
      released += 1;
      source.emit('value', 1);
    });
    source.dispose();
    source.dispose();
    assert.equal(released, 1);
    assert.deepEqual(seen, [1]);
    assert.equal(source.listenerCount('value'), 0);
    assert.equal(source.listenerCount('none'), 0);
    assert.deepEqual(source.eventNames(), []);
    assert.equal(source.emit('value', 2), false);
    assert.deepEqual(seen, [1]);
  });

  it('is the one base of every long-lived owner with events', () => {
    for (const owner of [
      KisAgent,
      WorkerHost,
      Hub,
      HubFollower,
      HubLeader,
      KisSimulator,
      ReplayFeed,
      DaySim,
      RecordingWriter,
    ]) {
      assert.ok(owner.prototype instanceof EventSource, `${owner.name} extends EventSource`);
      assert.ok(owner.prototype instanceof Disposable, `${owner.name} extends Disposable`);
      assert.ok(!(owner.prototype instanceof EventEmitter), `${owner.name} no longer extends EventEmitter`);
    }
  });

  it('releases the listeners of a DaySim on dispose', () => {
    const day = new DaySim(
      () => {
        throw new Error('no model needed');
      },
      1,
      false,
    );
    const ticks: number[] = [];
    day.on('tick', (n) => ticks.push(n));
    day.tick();
    day.dispose();
    day.tick();
    assert.deepEqual(ticks, [1]);
    assert.equal(day.listenerCount('tick'), 0);
  });
});
