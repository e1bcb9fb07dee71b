/**
 * A per-app-key limiter: at most `perSecond` request starts in any sliding one-second window, shared by
 * every caller of the same key. Callers wait rather than fail. After an EGW00201 the whole key pauses
 * (backoff), because KIS counts the key, not the caller.
 */

/** Options of a limiter. `now`/`sleep` are injectable for the simulator-free unit tests. */
export interface RateLimiterOptions {
  perSecond: number;
  /** Pause after an EGW00201, ms; doubles on each one in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The sliding-window limiter of one app key. */
export class RateLimiter {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private backoffStep = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Total ms callers spent waiting for a slot. */
  waitedMs = 0;

  constructor(private readonly options: RateLimiterOptions) {}

  /** The configured rate. */
  get perSecond(): number {
    return this.options.perSecond;
  }

  /** Resolves when the caller may start one request. FIFO: callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.waitForSlot());
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    const began = Date.now();
    for (;;) {
      const now = Date.now();
      while (this.starts.length > 0 && now - this.starts[0] >= 1000) this.starts.shift();
      let wait = this.pausedUntil - now;
      // A small margin keeps a window that KIS measures from a slightly later clock under the limit too.
      if (this.starts.length >= this.options.perSecond) wait = Math.max(wait, this.starts[0] + 1000 + 5 - now);
      if (wait <= 0) break;
      await sleep(wait);
    }
    this.starts.push(Date.now());
    this.waitedMs += Date.now() - began;
  }

  /** KIS said EGW00201: pause the key, longer each time in a row. Returns the pause in ms. */
  backoff(): number {
    const base = this.options.backoffMs ?? 1000;
    const pause = Math.min(base * 2 ** this.backoffStep, this.options.maxBackoffMs ?? 8000);
    this.backoffStep += 1;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
    return pause;
  }

  /** A request went through: the next EGW00201 starts the backoff afresh. */
  succeeded(): void {
    this.backoffStep = 0;
  }
}
