/**
 * Raw batches: the data frames of one event-loop turn as received, bytes only, in one
 * SharedArrayBuffer, so the agent's receive loop neither decodes them to strings nor clones strings into
 * `postMessage`. The worker decodes, validates, counts and parses them. Shared rather than transferred:
 * the host keeps the same memory as its replay buffer for a restarted worker, and posting it copies
 * nothing.
 *
 * Layout: `u32 n`, then `n` u32 end offsets (relative to the data), then the frames' bytes back to back.
 */

/** Bytes of one batch header entry. */
const U32 = 4;

/** A batch of raw data frames handed from the agent to a raw-capable sink. */
export interface RawBatch {
  /** See the module comment for the layout. */
  buffer: SharedArrayBuffer;
  /** Frames in the batch. */
  frames: number;
  /** Bytes of frame data (without the header). */
  bytes: number;
  /** Epoch ms when the batch's frames were received (the agent's clock, at the turn's first frame). */
  receivedAt: number;
}

/** What the worker counted in the raw frames it decoded: merged into the agent's `AgentStats`. */
export interface ReceiveCounters {
  /** Records in valid data frames. */
  records: number;
  /** Data frames that failed to decode or validate. */
  parseErrors: number;
  /** Per symbol (the first field of a frame), the `receivedAt` of its newest frame. */
  lastTickAt: Record<string, number>;
}

/** An empty set of receive counters. */
export function emptyReceiveCounters(): ReceiveCounters {
  return { records: 0, parseErrors: 0, lastTickAt: {} };
}

/** Copies `chunks` (one per frame) into a new raw batch buffer. */
export function packRawBatch(chunks: readonly Uint8Array[], bytes: number): SharedArrayBuffer {
  const n = chunks.length;
  const header = (n + 1) * U32;
  const buffer = new SharedArrayBuffer(header + bytes);
  const ends = new Uint32Array(buffer, 0, n + 1);
  const data = new Uint8Array(buffer, header, bytes);
  ends[0] = n;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const chunk = chunks[i];
    data.set(chunk, at);
    at += chunk.length;
    ends[i + 1] = at;
  }
  return buffer;
}

/** A read view of a raw batch buffer. */
export interface RawBatchView {
  /** Frames in the batch. */
  count: number;
  /** The frames' bytes (a Buffer over the shared memory, no copy). */
  data: Buffer;
  /** Start offset of frame `i` in `data`. */
  start(i: number): number;
  /** End offset (exclusive) of frame `i` in `data`. */
  end(i: number): number;
}

/**
 * Opens a raw batch buffer for reading. Returns undefined when the buffer does not have the layout (a
 * bug or a foreign message: the caller counts it instead of reading out of bounds).
 */
export function openRawBatch(buffer: SharedArrayBuffer): RawBatchView | undefined {
  if (buffer.byteLength < U32) return undefined;
  const n = new Uint32Array(buffer, 0, 1)[0];
  const header = (n + 1) * U32;
  if (header > buffer.byteLength) return undefined;
  const ends = new Uint32Array(buffer, 0, n + 1);
  const size = buffer.byteLength - header;
  let previous = 0;
  for (let i = 1; i <= n; i++) {
    if (ends[i] < previous || ends[i] > size) return undefined;
    previous = ends[i];
  }
  const data = Buffer.from(buffer, header, size);
  return {
    count: n,
    data,
    start: (i) => (i === 0 ? 0 : ends[i]),
    end: (i) => ends[i + 1],
  };
}

/**
 * Records in a raw batch, read from each frame's 3-digit count without decoding the frames (for
 * counting dropped records); a frame whose count is unreadable counts as one.
 */
export function countRawRecords(buffer: SharedArrayBuffer): number {
  const view = openRawBatch(buffer);
  if (view === undefined) return 0;
  let records = 0;
  for (let i = 0; i < view.count; i++) {
    const s = view.start(i);
    const e = view.end(i);
    const p1 = view.data.indexOf(124, s);
    const p2 = p1 < 0 || p1 >= e ? -1 : view.data.indexOf(124, p1 + 1);
    let n = 0;
    if (p2 >= 0 && p2 + 3 < e) {
      for (let k = p2 + 1; k <= p2 + 3; k++) {
        const c = view.data[k];
        n = c >= 48 && c <= 57 ? n * 10 + (c - 48) : -1e9;
      }
    }
    records += n > 0 ? n : 1;
  }
  return records;
}
