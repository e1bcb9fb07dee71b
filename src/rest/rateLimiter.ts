/**
 * A per-app-key limiter shared by every caller of the key: a request may start only while fewer than
 * `perSecond` requests of the key are in flight or finished within the last second. Counting a request
 * until it *finishes* (not from when it started) keeps KIS's window under the limit even when requests
 * reach the server late and bunched (a slow connection, a busy event loop). Callers wait, never fail.
 * After an EGW00201 the key pauses (backoff) and halves its rate; each success wins one request/s back.
 */

/** Options of a limiter. */
export interface RateLimiterOptions {
  perSecond: number;
  /** Pause after an EGW00201, ms; doubles on each one in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** Call when the request has finished (answered or failed). */
export type ReleaseSlot = () => void;

const WINDOW_MS = 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The limiter of one app key. */
export class RateLimiter {
  /** Finish time of each recent request; Infinity while it is in flight. */
  private readonly slots: number[] = [];
  private pausedUntil = 0;
  private backoffStep = 0;
  private rate: number;
  private chain: Promise<void> = Promise.resolve();
  /** Total ms callers spent waiting for a slot. */
  waitedMs = 0;

  constructor(private readonly options: RateLimiterOptions) {
    this.rate = options.perSecond;
  }

  /** Resolves with a release function when the caller may start one request. FIFO. */
  acquire(): Promise<ReleaseSlot> {
    const turn = this.chain.then(() => this.waitForSlot());
    this.chain = turn.then(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<ReleaseSlot> {
    const began = Date.now();
    for (;;) {
      const now = Date.now();
      this.prune(now);
      let wait = this.pausedUntil - now;
      if (this.slots.length >= this.rate) {
        const finished = this.slots.filter((t) => t !== Infinity).sort((a, b) => a - b);
        // All in flight: poll shortly (a release will free one); else wait for the oldest to leave the window.
        wait = Math.max(wait, finished.length > 0 ? finished[0] + WINDOW_MS + 1 - now : 10);
      }
      if (wait <= 0) break;
      await sleep(wait);
    }
    this.waitedMs += Date.now() - began;
    this.slots.push(Infinity);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // In-flight entries are interchangeable: turn one of them into this finish time.
      this.slots[this.slots.indexOf(Infinity)] = Date.now();
    };
  }

  private prune(now: number): void {
    for (let i = this.slots.length - 1; i >= 0; i--)
      if (this.slots[i] !== Infinity && now - this.slots[i] >= WINDOW_MS) this.slots.splice(i, 1);
  }

  /** KIS said EGW00201: pause the key (longer each time in a row) and halve the rate. Returns the pause, ms. */
  backoff(): number {
    const base = this.options.backoffMs ?? 1000;
    const pause = Math.min(base * 2 ** this.backoffStep, this.options.maxBackoffMs ?? 8000);
    this.backoffStep += 1;
    this.rate = Math.max(1, Math.floor(this.rate / 2));
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
    return pause;
  }

  /** A request went through: reset the backoff and win back one request/s. */
  succeeded(): void {
    this.backoffStep = 0;
    this.rate = Math.min(this.options.perSecond, this.rate + 1);
  }
}
