import { strict as assert } from 'node:assert';
import { FrameQueue } from '../../../src/worker/frameQueue';
import { restartDelay, RESTART_BACKOFF_DEFAULTS } from '../../../src/worker/restartPolicy';
import { book, frame, tradeOf } from './helpers';

const bookOf = (symbol: string, time: string) => frame('H0STASP0', [book({ 0: symbol, 1: time })]);
const tradeFrame = (symbol: string, price: number) => frame('H0STCNT0', [tradeOf(symbol, price)]);

describe('worker host frame queue', () => {
  it('is FIFO and hands out at most the asked number of frames', () => {
    const q = new FrameQueue(10);
    const frames = [tradeFrame('A', 1), tradeFrame('A', 2), tradeFrame('B', 3)];
    for (const f of frames) assert.equal(q.enqueue(f), 'queued');
    assert.equal(q.length, 3);
    assert.deepEqual(q.take(2), frames.slice(0, 2));
    assert.deepEqual(q.take(5), frames.slice(2));
    assert.equal(q.length, 0);
    assert.deepEqual(q.take(5), []);
  });

  it('replaces a queued order-book frame of the same symbol in place (latest wins)', () => {
    const q = new FrameQueue(10);
    const t = tradeFrame('005930', 1);
    q.enqueue(bookOf('005930', '090000'));
    q.enqueue(t);
    q.enqueue(bookOf('000660', '090000'));
    const newer = bookOf('005930', '090001');
    assert.equal(q.enqueue(newer), 'coalesced');
    assert.equal(q.length, 3);
    const out = q.take(3);
    assert.equal(out[0], newer);
    assert.equal(out[1], t);
    // Once taken, a new book of that symbol queues again.
    assert.equal(q.enqueue(bookOf('005930', '090002')), 'queued');
  });

  it('refuses frames other than order books beyond the cap, but still takes one book per symbol', () => {
    const q = new FrameQueue(2);
    q.enqueue(tradeFrame('A', 1));
    q.enqueue(tradeFrame('A', 2));
    assert.equal(q.enqueue(tradeFrame('A', 3)), 'refused');
    assert.equal(q.enqueue(bookOf('A', '090000')), 'queued');
    assert.equal(q.enqueue(bookOf('A', '090001')), 'coalesced');
    assert.equal(q.length, 3);
  });

  it('never coalesces multi-record book frames', () => {
    const q = new FrameQueue(10);
    const two = frame('H0STASP0', [book(), book()]);
    q.enqueue(two);
    assert.equal(q.enqueue(frame('H0STASP0', [book(), book()])), 'queued');
    assert.equal(q.length, 2);
  });

  it('stays consistent across compaction of a long-running queue', () => {
    const q = new FrameQueue(5000);
    const b = bookOf('005930', '090000');
    let taken = 0;
    for (let i = 0; i < 3000; i++) q.enqueue(tradeFrame('A', i));
    q.enqueue(b);
    taken += q.take(2500).length;
    const newer = bookOf('005930', '090009');
    assert.equal(q.enqueue(newer), 'coalesced');
    const rest = q.clear();
    taken += rest.length;
    assert.equal(taken, 3001);
    assert.equal(rest[rest.length - 1], newer);
    assert.equal(q.length, 0);
  });
});

describe('worker restart backoff', () => {
  it('grows from base toward the cap, with jitter in the upper half of the ceiling', () => {
    const o = { baseMs: 100, capMs: 1000 };
    assert.equal(
      restartDelay(0, o, () => 0),
      50,
    );
    assert.equal(
      restartDelay(0, o, () => 0.999999),
      99,
    );
    assert.equal(
      restartDelay(3, o, () => 0),
      400,
    );
    assert.equal(
      restartDelay(10, o, () => 0),
      500,
    );
    assert.equal(
      restartDelay(2000, o, () => 0.5),
      750,
    );
  });

  it('survives a broken random source and uses the defaults', () => {
    assert.equal(
      restartDelay(0, {}, () => Number.NaN),
      RESTART_BACKOFF_DEFAULTS.baseMs / 2,
    );
    assert.equal(
      restartDelay(-4, {}, () => 2),
      RESTART_BACKOFF_DEFAULTS.baseMs / 2,
    );
    const d = restartDelay(1);
    assert.ok(d >= 100 && d < 200);
  });
});
