/**
 * Keeps snapshots to the views at most one per `intervalMs`. The worker now also posts a
 * snapshot when it acknowledges half the raw window early, so at full speed snapshots reach the host
 * more often than the views should redraw; the host merges each into its state at once (the replay base
 * must hold every acknowledged batch) and the pacer coalesces what the views get: latest quote and book
 * per symbol, latest bar per symbol and minute, every alert, the newest counters.
 */
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Bar, OrderBookTop, QuoteState, Snapshot } from '../shared/snapshot';

/** Coalesces snapshots; see the module comment. */
export class SnapshotPacer extends Disposable {
  private pending: Snapshot | undefined;
  private quotes = new Map<string, QuoteState>();
  private books = new Map<string, OrderBookTop>();
  private bars = new Map<string, Bar>();
  private lastEmitAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param intervalMs the least spacing of two emitted snapshots
   * @param emit receives each coalesced snapshot
   */
  constructor(
    private readonly intervalMs: number,
    private readonly emit: (snapshot: Snapshot) => void,
  ) {
    super();
    this._register(toDisposable(() => clearTimeout(this.timer)));
  }

  /** Emits `snapshot` now when the interval has passed, else merges it into the one due next. */
  offer(snapshot: Snapshot, now = Date.now()): void {
    if (this.isDisposed) return;
    if (this.pending === undefined && now - this.lastEmitAt >= this.intervalMs) {
      this.lastEmitAt = now;
      this.emit(snapshot);
      return;
    }
    this.merge(snapshot);
    this.timer ??= setTimeout(() => this.release(), Math.max(0, this.intervalMs - (now - this.lastEmitAt)));
  }

  /** Emits what is pending now (dispose: the views get the last changes). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending !== undefined) this.release();
  }

  private merge(snapshot: Snapshot): void {
    const pending = (this.pending ??= {
      ...snapshot,
      quotes: [],
      books: [],
      bars: [],
      alerts: [],
      fills: undefined,
    });
    pending.seq = snapshot.seq;
    pending.at = snapshot.at;
    pending.counters = snapshot.counters;
    for (const q of snapshot.quotes) this.quotes.set(q.symbol, q);
    for (const b of snapshot.books) this.books.set(b.symbol, b);
    for (const bar of snapshot.bars) this.bars.set(`${bar.symbol}\u0000${bar.time}`, bar);
    pending.alerts.push(...snapshot.alerts);
    if (snapshot.fills !== undefined) (pending.fills ??= []).push(...snapshot.fills);
  }

  private release(): void {
    this.timer = undefined;
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    pending.quotes = [...this.quotes.values()];
    pending.books = [...this.books.values()];
    pending.bars = [...this.bars.values()].sort((a, b) => a.time - b.time);
    this.quotes = new Map();
    this.books = new Map();
    this.bars = new Map();
    this.lastEmitAt = Date.now();
    this.emit(pending);
  }
}
