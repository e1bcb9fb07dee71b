/**
 * Flow control between the agent and the worker: batches carry ids; the worker acknowledges them with
 * each snapshot (or a bare `ack`). At most `maxInFlightFrames` frames are unacknowledged; beyond that
 * frames wait in a bounded queue where order-book frames coalesce latest-wins per symbol (`coalesced`) and
 * other frames are refused past `maxQueuedFrames`, counted record by record in `dropped` (never silently).
 * The unacknowledged batches are the replay buffer: a restarted worker gets them again (`replay`).
 *
 * Raw batches have their own window in bytes (`maxInFlightBytes`; the worker acknowledges at
 * half of it) and their own queue (`maxQueuedBytes`; a batch beyond it is refused and its records are
 * counted in `dropped`). They are posted as they are (one shared buffer each, never split or merged, and
 * order-book frames in them do not coalesce). Both kinds share one batch id sequence.
 */
import type { DataFrame } from '../kis/types';
import { countRawRecords, type RawBatch } from '../shared/rawBatch';
import type { HostToWorker } from '../shared/workerProtocol';
import { FrameQueue } from './frameQueue';

interface Batch {
  id: number;
  /** A parsed batch (`push`)... */
  frames?: DataFrame[];
  /** ...or a raw one (`pushRaw`). */
  raw?: RawBatch;
}

/** The window's settings and how it reaches the worker. */
export interface FlowControlOptions {
  maxInFlightFrames: number;
  maxQueuedFrames: number;
  maxBatchFrames: number;
  /** Bytes of raw batches posted and not yet acknowledged, at most (one batch may exceed it alone). */
  maxInFlightBytes: number;
  /** Bytes of raw batches waiting beyond the window, at most. */
  maxQueuedBytes: number;
  /** True while a worker is ready for frames. */
  isReady: () => boolean;
  /** Posts to the current worker; false when nothing was posted. */
  post: (message: HostToWorker) => boolean;
}

/** The host's window, queue and replay buffer; see the module comment. */
export class FlowControl {
  private readonly queue: FrameQueue;
  /** Posted, not yet acknowledged: the replay buffer. */
  private batches: Batch[] = [];
  private inFlightFrames = 0;
  private inFlightRawBytes = 0;
  private readonly rawQueue: RawBatch[] = [];
  private queuedRawBytes = 0;
  private queuedRawFrames = 0;
  private nextBatchId = 0;
  private droppedRecords = 0;
  private coalescedFrames = 0;
  private replayed = 0;

  constructor(private readonly o: FlowControlOptions) {
    this.queue = new FrameQueue(o.maxQueuedFrames);
  }

  /** Records refused (queue full, or pushed after dispose). */
  get dropped(): number {
    return this.droppedRecords;
  }

  /** Order-book frames replaced by a newer one of the same symbol while queued. */
  get coalesced(): number {
    return this.coalescedFrames;
  }

  /** Frames waiting in the queues. */
  get queued(): number {
    return this.queue.length + this.queuedRawFrames;
  }

  /** Parsed frames posted and not yet acknowledged. */
  get inFlight(): number {
    return this.inFlightFrames;
  }

  /** Bytes of raw batches posted and not yet acknowledged. */
  get inFlightBytes(): number {
    return this.inFlightRawBytes;
  }

  /** Frames re-sent to a restarted worker. */
  get replayedFrames(): number {
    return this.replayed;
  }

  /** Takes a batch from the agent: posted at once when the window has room and nothing is queued, else queued. */
  push(frames: readonly DataFrame[]): void {
    if (
      this.o.isReady() &&
      this.queue.length === 0 &&
      this.inFlightFrames + frames.length <= this.o.maxInFlightFrames
    ) {
      // The common case: copy the array (the caller may reuse it) and post it as one batch.
      this.send(frames.slice());
      return;
    }
    for (const frame of frames) {
      const result = this.queue.enqueue(frame);
      if (result === 'coalesced') this.coalescedFrames++;
      else if (result === 'refused') this.droppedRecords += frame.count;
    }
    this.drain();
  }

  /** Takes a raw batch: posted at once when the byte window has room and nothing is queued, else queued or refused. */
  pushRaw(batch: RawBatch): void {
    const size = batch.buffer.byteLength;
    if (
      this.o.isReady() &&
      this.rawQueue.length === 0 &&
      (this.inFlightRawBytes === 0 || this.inFlightRawBytes + size <= this.o.maxInFlightBytes)
    ) {
      this.send(undefined, batch);
      return;
    }
    if (this.queuedRawBytes + size > this.o.maxQueuedBytes && this.rawQueue.length > 0) {
      this.dropRaw(batch);
      return;
    }
    this.rawQueue.push(batch);
    this.queuedRawBytes += size;
    this.queuedRawFrames += batch.frames;
    this.drain();
  }

  /** Counts the records of frames that will never reach a worker. */
  drop(frames: readonly DataFrame[]): void {
    for (const frame of frames) this.droppedRecords += frame.count;
  }

  /** Counts the records of a raw batch that will never reach a worker. */
  dropRaw(batch: RawBatch): void {
    this.droppedRecords += countRawRecords(batch.buffer);
  }

  /** A new worker is ready: batches the previous worker never acknowledged (their effect is not in the restored state), then the queue. */
  replay(): void {
    for (const batch of this.batches) {
      if (batch.raw !== undefined) {
        this.replayed += batch.raw.frames;
        this.o.post({
          type: 'raw',
          batchId: batch.id,
          buffer: batch.raw.buffer,
          receivedAt: batch.raw.receivedAt,
          replay: true,
        });
      } else if (batch.frames !== undefined) {
        this.replayed += batch.frames.length;
        this.o.post({ type: 'frames', batchId: batch.id, frames: batch.frames, replay: true });
      }
    }
    this.drain();
  }

  /** Releases every batch up to `batchId` from the replay buffer and refills the window. */
  acknowledge(batchId: number): void {
    let n = 0;
    while (n < this.batches.length && this.batches[n].id <= batchId) {
      const batch = this.batches[n];
      if (batch.raw !== undefined) this.inFlightRawBytes -= batch.raw.buffer.byteLength;
      else if (batch.frames !== undefined) this.inFlightFrames -= batch.frames.length;
      n++;
    }
    if (n > 0) this.batches.splice(0, n);
    this.drain();
  }

  /** Hands the whole queue to a worker about to stop, so it is not lost. */
  flushQueue(): void {
    const rest = this.queue.clear();
    if (rest.length > 0) this.send(rest);
    for (const batch of this.takeRawQueue()) this.send(undefined, batch);
  }

  /** After the last worker: what is still queued counts as dropped; the replay buffer is released. */
  close(): void {
    this.drop(this.queue.clear());
    for (const batch of this.takeRawQueue()) this.dropRaw(batch);
    this.batches = [];
    this.inFlightFrames = 0;
    this.inFlightRawBytes = 0;
  }

  private takeRawQueue(): RawBatch[] {
    const batches = this.rawQueue.splice(0);
    this.queuedRawBytes = this.queuedRawFrames = 0;
    return batches;
  }

  private send(frames: DataFrame[] | undefined, raw?: RawBatch): void {
    const id = ++this.nextBatchId;
    let posted: boolean;
    if (raw !== undefined) {
      this.batches.push({ id, raw });
      this.inFlightRawBytes += raw.buffer.byteLength;
      posted = this.o.post({ type: 'raw', batchId: id, buffer: raw.buffer, receivedAt: raw.receivedAt });
    } else {
      const list = frames ?? [];
      this.batches.push({ id, frames: list });
      this.inFlightFrames += list.length;
      posted = this.o.post({ type: 'frames', batchId: id, frames: list });
    }
    if (!posted) {
      // Not deliverable now (no ready worker, or a clone failure): the batch stays in the replay buffer
      // and goes out with the next worker's replay.
    }
  }

  /** Posts queued frames while the window has room. */
  private drain(): void {
    while (this.o.isReady() && this.queue.length > 0 && this.inFlightFrames < this.o.maxInFlightFrames) {
      const room = Math.min(this.o.maxInFlightFrames - this.inFlightFrames, this.o.maxBatchFrames);
      this.send(this.queue.take(room));
    }
    while (this.o.isReady() && this.rawQueue.length > 0) {
      const next = this.rawQueue[0];
      const size = next.buffer.byteLength;
      if (this.inFlightRawBytes > 0 && this.inFlightRawBytes + size > this.o.maxInFlightBytes) break;
      this.rawQueue.shift();
      this.queuedRawBytes -= size;
      this.queuedRawFrames -= next.frames;
      this.send(undefined, next);
    }
  }
}
