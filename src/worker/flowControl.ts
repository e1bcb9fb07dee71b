/**
 * Flow control between the agent and the worker: batches carry ids; the worker acknowledges them with
 * each snapshot (or a bare `ack`). At most `maxInFlightFrames` frames are unacknowledged; beyond that
 * frames wait in a bounded queue where order-book frames coalesce latest-wins per symbol (`coalesced`) and
 * other frames are refused past `maxQueuedFrames`, counted record by record in `dropped` (never silently).
 * The unacknowledged batches are the replay buffer: a restarted worker gets them again (`replay`).
 */
import type { DataFrame } from '../kis/types';
import type { HostToWorker } from '../shared/workerProtocol';
import { FrameQueue } from './frameQueue';

interface Batch {
  id: number;
  frames: DataFrame[];
}

/** The window's settings and how it reaches the worker. */
export interface FlowControlOptions {
  maxInFlightFrames: number;
  maxQueuedFrames: number;
  maxBatchFrames: number;
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

  /** Frames waiting in the queue. */
  get queued(): number {
    return this.queue.length;
  }

  /** Frames posted and not yet acknowledged. */
  get inFlight(): number {
    return this.inFlightFrames;
  }

  /** Frames re-sent to a restarted worker. */
  get replayedFrames(): number {
    return this.replayed;
  }

  /** Takes a batch from the agent: posted at once when the window has room and nothing is queued, else queued. */
  push(frames: readonly DataFrame[]): void {
    if (this.o.isReady() && this.queue.length === 0 && this.inFlightFrames + frames.length <= this.o.maxInFlightFrames) {
      // The common case: copy the array (the caller may reuse it) and post it as one batch.
      this.send(frames.slice(), false);
      return;
    }
    for (const frame of frames) {
      const result = this.queue.enqueue(frame);
      if (result === 'coalesced') this.coalescedFrames++;
      else if (result === 'refused') this.droppedRecords += frame.count;
    }
    this.drain();
  }

  /** Counts the records of frames that will never reach a worker. */
  drop(frames: readonly DataFrame[]): void {
    for (const frame of frames) this.droppedRecords += frame.count;
  }

  /** A new worker is ready: batches the previous worker never acknowledged (their effect is not in the restored state), then the queue. */
  replay(): void {
    for (const batch of this.batches) {
      this.replayed += batch.frames.length;
      this.o.post({ type: 'frames', batchId: batch.id, frames: batch.frames, replay: true });
    }
    this.drain();
  }

  /** Releases every batch up to `batchId` from the replay buffer and refills the window. */
  acknowledge(batchId: number): void {
    let n = 0;
    while (n < this.batches.length && this.batches[n].id <= batchId) {
      this.inFlightFrames -= this.batches[n].frames.length;
      n++;
    }
    if (n > 0) this.batches.splice(0, n);
    this.drain();
  }

  /** Hands the whole queue to a worker about to stop, so it is not lost. */
  flushQueue(): void {
    const rest = this.queue.clear();
    if (rest.length > 0) this.send(rest, false);
  }

  /** After the last worker: what is still queued counts as dropped; the replay buffer is released. */
  close(): void {
    this.drop(this.queue.clear());
    this.batches = [];
    this.inFlightFrames = 0;
  }

  private send(frames: DataFrame[], replay: boolean): void {
    const batch: Batch = { id: ++this.nextBatchId, frames };
    this.batches.push(batch);
    this.inFlightFrames += frames.length;
    if (!this.o.post({ type: 'frames', batchId: batch.id, frames, ...(replay ? { replay } : {}) })) {
      // Not deliverable now (no ready worker, or a clone failure): the batch stays in the replay buffer
      // and goes out with the next worker's replay.
    }
  }

  /** Posts queued frames while the window has room. */
  private drain(): void {
    while (this.o.isReady() && this.queue.length > 0 && this.inFlightFrames < this.o.maxInFlightFrames) {
      const room = Math.min(this.o.maxInFlightFrames - this.inFlightFrames, this.o.maxBatchFrames);
      this.send(this.queue.take(room), false);
    }
  }
}
