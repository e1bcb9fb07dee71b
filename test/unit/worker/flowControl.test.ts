import { strict as assert } from 'node:assert';
import { packRawBatch, type RawBatch } from '../../../src/shared/rawBatch';
import type { HostToWorker } from '../../../src/shared/workerProtocol';
import { FlowControl } from '../../../src/worker/flowControl';

/** A raw batch of `n` one-record trade frames of 100 bytes each (plus the header). */
function rawBatch(n: number, records = 1): RawBatch {
  const frame = Buffer.from(`0|H0STCNT0|${String(records).padStart(3, '0')}|`.padEnd(100, 'x'));
  const chunks = Array.from({ length: n }, () => frame);
  return { buffer: packRawBatch(chunks, n * 100), frames: n, bytes: n * 100, receivedAt: 1 };
}

describe('worker FlowControl: raw batches', () => {
  let posted: HostToWorker[];
  let ready: boolean;
  let flow: FlowControl;
  const raws = () => posted.filter((m): m is Extract<HostToWorker, { type: 'raw' }> => m.type === 'raw');

  beforeEach(() => {
    posted = [];
    ready = true;
    flow = new FlowControl({
      maxInFlightFrames: 100,
      maxQueuedFrames: 100,
      maxBatchFrames: 10,
      // one 10-frame batch is 1,044 bytes: two fit in the window, three in the queue
      maxInFlightBytes: 2100,
      maxQueuedBytes: 3200,
      isReady: () => ready,
      post: (m) => {
        if (!ready) return false;
        posted.push(m);
        return true;
      },
    });
  });

  it('posts raw batches while the byte window has room, queues the rest, and refills on each ack', () => {
    for (let i = 0; i < 4; i++) flow.pushRaw(rawBatch(10));
    assert.equal(raws().length, 2);
    assert.equal(flow.inFlightBytes, 2 * 1044);
    assert.equal(flow.queued, 20);
    flow.acknowledge(raws()[0].batchId);
    assert.equal(raws().length, 3);
    flow.acknowledge(raws()[2].batchId);
    assert.equal(raws().length, 4);
    assert.equal(flow.queued, 0);
    assert.deepEqual(
      raws().map((m) => m.batchId),
      [1, 2, 3, 4],
    );
    assert.equal(flow.dropped, 0);
  });

  it('takes a batch larger than the whole window when nothing is in flight', () => {
    flow.pushRaw(rawBatch(30));
    assert.equal(raws().length, 1);
  });

  it('refuses a batch beyond the queue and counts its records as dropped', () => {
    for (let i = 0; i < 5; i++) flow.pushRaw(rawBatch(10, 2));
    assert.equal(raws().length, 2);
    assert.equal(flow.queued, 30);
    flow.pushRaw(rawBatch(10, 2));
    assert.equal(flow.dropped, 20);
  });

  it('replays unacknowledged raw batches to a new worker, flagged, then drains the queue', () => {
    ready = false;
    flow.pushRaw(rawBatch(10));
    assert.equal(raws().length, 0, 'nothing before ready');
    ready = true;
    flow.replay();
    assert.equal(raws().length, 1);
    flow.pushRaw(rawBatch(10));
    flow.pushRaw(rawBatch(10));
    // the worker dies; a new one gets the unacknowledged batches again
    posted = [];
    flow.replay();
    assert.deepEqual(
      raws().map((m) => [m.batchId, m.replay]),
      [
        [1, true],
        [2, true],
      ],
    );
    assert.equal(flow.replayedFrames, 20);
    assert.equal(flow.queued, 10, 'the window is full again');
    flow.acknowledge(2);
    assert.deepEqual(
      raws().map((m) => [m.batchId, m.replay]),
      [
        [1, true],
        [2, true],
        [3, undefined],
      ],
    );
  });

  it('hands the queue over on stop, and counts what is still queued after the last worker as dropped', () => {
    for (let i = 0; i < 3; i++) flow.pushRaw(rawBatch(10));
    flow.flushQueue();
    assert.equal(raws().length, 3);
    for (let i = 0; i < 3; i++) flow.pushRaw(rawBatch(10, 3));
    flow.close();
    assert.equal(flow.dropped, 90);
    assert.equal(flow.inFlightBytes, 0);
    flow.dropRaw(rawBatch(1, 7));
    assert.equal(flow.dropped, 97);
  });
});
