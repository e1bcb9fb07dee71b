/**
 * Cheap statistics windows for the agent: a per-second message-rate ring and a bounded ack-RTT sample
 * window with percentiles. Both are O(1) per event on the hot path; the work happens when a snapshot is
 * taken (about once a second).
 */

/**
 * Nearest-rank percentile of an ascending array (`p` in [0, 100]); undefined for an empty array.
 * Nearest rank (not interpolation) so the answer is always a value that was actually observed.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  const n = sortedAscending.length;
  if (n === 0) return undefined;
  const clamped = Math.min(100, Math.max(0, p));
  const rank = Math.max(1, Math.ceil((clamped / 100) * n));
  return sortedAscending[rank - 1];
}

/**
 * Counts events per wall-clock second in a ring of `seconds + 1` buckets, so that the last `seconds`
 * COMPLETE seconds are always available next to the current, partial one.
 */
export class RateWindow {
  private readonly counts: Float64Array;
  /** The epoch second each bucket currently holds (a bucket from an older lap counts as empty). */
  private readonly stamps: Float64Array;

  constructor(private readonly seconds = 10) {
    this.counts = new Float64Array(seconds + 1);
    this.stamps = new Float64Array(seconds + 1).fill(-1);
  }

  /** Adds `n` events at epoch ms `nowMs`. */
  add(nowMs: number, n = 1): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.counts.length;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /** Events per second averaged over the last `span` complete seconds before `nowMs` (span ≤ seconds). */
  perSecond(nowMs: number, span: number): number {
    const width = Math.min(Math.max(1, Math.floor(span)), this.seconds);
    const current = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let back = 1; back <= width; back++) {
      const second = current - back;
      const slot = ((second % this.counts.length) + this.counts.length) % this.counts.length;
      if (this.stamps[slot] === second) sum += this.counts[slot];
    }
    return sum / width;
  }
}

/** The last `capacity` samples (a ring), with percentiles on demand. */
export class SampleWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 256) {
    this.samples = new Float64Array(Math.max(1, capacity));
  }

  /** Number of samples held (≤ capacity). */
  get size(): number {
    return this.filled;
  }

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled += 1;
  }

  /** Percentiles of the held samples, e.g. `percentiles(50, 99)`; undefined entries when empty. */
  percentiles(...ps: number[]): Array<number | undefined> {
    const sorted = Array.from(this.samples.subarray(0, this.filled)).sort((a, b) => a - b);
    return ps.map((p) => percentile(sorted, p));
  }
}
