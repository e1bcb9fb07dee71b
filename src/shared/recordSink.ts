/**
 * The hand-off between the agent and whatever handles records: the worker host in the extension, a
 * printer in the CLI, a collector in tests. The agent does not know which.
 */
import type { DataFrame } from '../kis/types';
import type { RawBatch, ReceiveCounters } from './rawBatch';

/**
 * Where the agent hands data frames: once per event-loop turn, one batch of every frame received in that
 * turn. Never awaited; an exception is counted (`handlerErrors`) and the next batch is handed over as usual.
 */
export interface RecordSink {
  push(frames: readonly DataFrame[]): void;
}

/**
 * A sink that also takes raw batches (the worker host). The agent hands such a sink its data
 * frames as bytes and merges `receiveCounters()` into its stats; any other sink gets parsed frames.
 */
export interface RawRecordSink extends RecordSink {
  pushRaw(batch: RawBatch): void;
  /** What the sink counted in the raw frames it decoded so far (as of its last report). */
  receiveCounters(): ReceiveCounters;
}

/** True for a sink that takes raw batches. */
export function isRawSink(sink: RecordSink): sink is RawRecordSink {
  const raw = sink as Partial<RawRecordSink>;
  return typeof raw.pushRaw === 'function' && typeof raw.receiveCounters === 'function';
}
