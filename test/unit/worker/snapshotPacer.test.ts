import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../../src/shared/snapshot';
import { SnapshotPacer } from '../../../src/worker/snapshotPacer';

function snap(seq: number, quotes: Array<[string, number]>, extra: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    at: seq * 10,
    quotes: quotes.map(([symbol, last]) => ({ symbol, last }) as Snapshot['quotes'][number]),
    bars: [],
    books: [],
    alerts: [],
    counters: { records: seq, handlerErrors: 0, parseErrors: 0 },
    ...extra,
  };
}

describe('worker SnapshotPacer', () => {
  let emitted: Snapshot[];
  let pacer: SnapshotPacer;
  afterEach(() => pacer.dispose());

  it('emits the first snapshot at once and merges the ones inside the interval: latest quote, book and bar per key, every alert, newest counters', () => {
    emitted = [];
    pacer = new SnapshotPacer(60_000, (s) => emitted.push(s));
    pacer.offer(snap(1, [['A', 1]]), 1000);
    assert.equal(emitted.length, 1);
    const bar = (symbol: string, time: number, close: number) => ({ symbol, time, close }) as Snapshot['bars'][number];
    const book = (symbol: string, t: number) =>
      ({ symbol, asks: [], bids: [], t }) as unknown as Snapshot['books'][number];
    const alert = (ruleId: string) => ({ ruleId, symbol: 'A', price: 1 }) as Snapshot['alerts'][number];
    pacer.offer(
      snap(
        2,
        [
          ['A', 2],
          ['B', 5],
        ],
        { bars: [bar('A', 60, 1)], books: [book('A', 1)], alerts: [alert('r1')] },
      ),
      1010,
    );
    pacer.offer(
      snap(3, [['A', 3]], { bars: [bar('A', 60, 2), bar('A', 0, 9)], books: [book('A', 2)], alerts: [alert('r2')] }),
      1020,
    );
    assert.equal(emitted.length, 1, 'held until the interval has passed');
    pacer.flush();
    assert.equal(emitted.length, 2);
    const merged = emitted[1];
    assert.equal(merged.seq, 3);
    assert.deepEqual(
      merged.quotes.map((q) => [q.symbol, q.last]),
      [
        ['A', 3],
        ['B', 5],
      ],
    );
    assert.deepEqual(
      merged.bars.map((b) => [b.time, b.close]),
      [
        [0, 9],
        [60, 2],
      ],
    );
    assert.deepEqual(
      merged.books.map((b) => (b as unknown as { t: number }).t),
      [2],
    );
    assert.deepEqual(
      merged.alerts.map((a) => a.ruleId),
      ['r1', 'r2'],
    );
    assert.equal(merged.counters.records, 3);
    pacer.flush();
    assert.equal(emitted.length, 2, 'nothing pending: nothing emitted');
  });

  it('keeps every fill of the merged snapshots, in order, once each', () => {
    emitted = [];
    pacer = new SnapshotPacer(60_000, (s) => emitted.push(s));
    const fill = (orderNo: string) => ({ orderNo }) as NonNullable<Snapshot['fills']>[number];
    pacer.offer(snap(1, [], { fills: [fill('1')] }), 1000);
    pacer.offer(snap(2, [], { fills: [fill('2')] }), 1010);
    pacer.offer(snap(3, [['A', 1]]), 1015);
    pacer.offer(snap(4, [], { fills: [fill('3'), fill('4')] }), 1020);
    pacer.flush();
    assert.deepEqual(
      emitted.map((s) => s.fills?.map((f) => f.orderNo)),
      [['1'], ['2', '3', '4']],
    );
  });

  it('releases a held snapshot by its timer once the interval has passed', async () => {
    emitted = [];
    let released: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (released = resolve));
    pacer = new SnapshotPacer(20, (s) => {
      emitted.push(s);
      if (emitted.length === 2) released();
    });
    pacer.offer(snap(1, [['A', 1]]));
    pacer.offer(snap(2, [['A', 2]]));
    assert.equal(emitted.length, 1);
    await second;
    assert.deepEqual(
      emitted.map((s) => s.seq),
      [1, 2],
    );
  });

  it('emits nothing after dispose', () => {
    emitted = [];
    pacer = new SnapshotPacer(60_000, (s) => emitted.push(s));
    pacer.dispose();
    pacer.offer(snap(1, [['A', 1]]));
    assert.equal(emitted.length, 0);
  });
});
