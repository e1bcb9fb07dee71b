/**
 * The host's queue of frames not yet posted to the worker (the worker is starting or restarting, or the
 * in-flight window is full). Bounded:
 * - a single-record H0STASP0 frame replaces the queued frame of the same symbol in place (latest wins:
 *   a book record is a full picture of the top levels, so the older one has no information left);
 * - every other frame is kept up to `maxFrames`; beyond that it is refused and the caller counts its
 *   records in `dropped` (trades are never lost silently).
 * Book frames of a symbol not yet queued are accepted beyond the cap: there is at most one per symbol.
 */
import { TR } from '../kis/layouts/krx';
import type { DataFrame } from '../kis/types';

interface Slot {
  frame: DataFrame;
  /** Coalescing key of a book slot. */
  key?: string;
}

/** What `enqueue` did with a frame. */
export type EnqueueResult = 'queued' | 'coalesced' | 'refused';

/** The book symbol a frame coalesces under, or undefined when it never coalesces. */
function bookKey(frame: DataFrame): string | undefined {
  if (frame.trId !== TR.ORDER_BOOK || frame.count !== 1 || frame.encrypted) return undefined;
  const end = frame.payload.indexOf('^');
  return end > 0 ? frame.payload.slice(0, end) : undefined;
}

/** FIFO of frames with per-symbol coalescing of order-book frames. */
export class FrameQueue {
  private slots: Slot[] = [];
  private head = 0;
  private readonly books = new Map<string, Slot>();

  /** @param maxFrames frames kept before non-book frames are refused */
  constructor(private readonly maxFrames: number) {}

  /** Frames waiting. */
  get length(): number {
    return this.slots.length - this.head;
  }

  /** Adds a frame at the tail, or replaces the queued book of the same symbol. */
  enqueue(frame: DataFrame): EnqueueResult {
    const key = bookKey(frame);
    if (key !== undefined) {
      const queued = this.books.get(key);
      if (queued !== undefined) {
        queued.frame = frame;
        return 'coalesced';
      }
      const slot: Slot = { frame, key };
      this.books.set(key, slot);
      this.slots.push(slot);
      return 'queued';
    }
    if (this.length >= this.maxFrames) return 'refused';
    this.slots.push({ frame });
    return 'queued';
  }

  /** Removes and returns up to `max` frames from the head. */
  take(max: number): DataFrame[] {
    const n = Math.min(max, this.length);
    const out = new Array<DataFrame>(n);
    for (let i = 0; i < n; i++) {
      const slot = this.slots[this.head++];
      if (slot.key !== undefined) this.books.delete(slot.key);
      out[i] = slot.frame;
    }
    // Compact once the consumed prefix dominates, so the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    } else if (this.head === this.slots.length) {
      this.slots = [];
      this.head = 0;
    }
    return out;
  }

  /** Empties the queue and returns what was in it. */
  clear(): DataFrame[] {
    return this.take(this.length);
  }
}
