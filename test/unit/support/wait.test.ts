import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { anyOf, emitted, emittedArgs, nextEvent, poll, until } from '../../support/wait';
import { EventEmitter as VscodeEmitter } from './vscode';

describe('test support: the one wait', () => {
  it('until: answers at once when the condition already holds, else at the event that makes it hold', async () => {
    const changed = new VscodeEmitter<number>();
    assert.equal(await until(() => 'now', changed.event, 'a value'), 'now');
    let n = 0;
    const waiting = until(() => n >= 2 && n, changed.event, 'n to reach 2', 1000);
    n = 1;
    changed.fire(1);
    n = 2;
    changed.fire(2);
    assert.equal(await waiting, 2);
    assert.equal(changed.listenerCount, 0, 'the wait stops listening once answered');
  });

  it('until: names what it waited for when the deadline passes, and rejects with the error a check throws', async () => {
    const changed = new VscodeEmitter<void>();
    await assert.rejects(
      until(() => false, changed.event, 'a thing that never comes', 20),
      /timed out after 20 ms waiting for a thing that never comes/,
    );
    assert.equal(changed.listenerCount, 0);
    const broken = until(
      () => {
        throw new Error('broken check');
      },
      changed.event,
      'anything',
    );
    await assert.rejects(broken, /broken check/);
  });

  it('until: an async check is awaited, and a change during it is looked at again', async () => {
    const changed = new VscodeEmitter<void>();
    let state = 0;
    let asked = 0;
    const waiting = until(
      async () => {
        asked++;
        const now = state;
        await Promise.resolve();
        return now === 1 && 'seen';
      },
      changed.event,
      'the state',
      1000,
    );
    state = 1;
    changed.fire();
    assert.equal(await waiting, 'seen');
    assert.ok(asked >= 2, 'asked again after the change that came while it was looking');
  });

  it('nextEvent: the first value that matches; adapters for Node emitters; anyOf and poll wake a wait', async () => {
    const node = new EventEmitter();
    const second = nextEvent(emitted<number>(node, 'n'), 'an even n', (v) => v % 2 === 0, 1000);
    node.emit('n', 1);
    node.emit('n', 4);
    assert.equal(await second, 4);
    assert.equal(node.listenerCount('n'), 0);
    const args = nextEvent(emittedArgs<[string, number]>(node, 'pair'), 'a pair', undefined, 1000);
    node.emit('pair', 'a', 1);
    assert.deepEqual(await args, ['a', 1]);
    await assert.rejects(
      nextEvent(emitted(node, 'never'), 'a never event', undefined, 10),
      /waiting for a never event/,
    );
    const vs = new VscodeEmitter<void>();
    let flag = false;
    const either = until(() => flag, anyOf(vs.event, emitted(node, 'x')), 'the flag', 1000);
    flag = true;
    node.emit('x');
    assert.equal(await either, true);
    let polled = 0;
    assert.equal(await until(() => ++polled >= 3, poll(1), 'three looks', 1000), true);
  });
});
