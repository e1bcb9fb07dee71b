/**
 * The merged market state on the extension-host side of the worker: the latest quote, book and bars of
 * every symbol as of the last snapshot, the worker's counters and what its alert rules remember. It serves `latest()`,
 * `quotes()`, `bars()`, `book()` and rebuilds a restarted worker (`restoreState`).
 */
import type { AlertRuleState, Bar, OrderBookTop, QuoteState, Snapshot, WorkerCounters } from '../shared/snapshot';
import { emptyReceiveCounters, type ReceiveCounters } from '../shared/rawBatch';
import type { WorkerRestoreState } from '../shared/workerProtocol';

const EMPTY_COUNTERS: WorkerCounters = { records: 0, handlerErrors: 0, parseErrors: 0 };

/** The host's copy of the worker's state; see the module comment. */
export class MergedMarketState {
  private readonly quoteMap = new Map<string, QuoteState>();
  private readonly barMap = new Map<string, Bar[]>();
  private readonly bookMap = new Map<string, OrderBookTop>();
  /** What the worker's fired alert rules remember (armed, when they fired), as last reported. */
  alertStates: AlertRuleState[] = [];
  /** The worker's counters as of its last snapshot or ack. */
  counters: WorkerCounters = { ...EMPTY_COUNTERS };
  /** The worker's receive counters of raw batches, as of its last snapshot or ack. */
  received: ReceiveCounters | undefined;
  private snapshotCount = 0;

  constructor(private readonly maxBarsPerSymbol: number) {}

  /** Snapshots merged so far. */
  get snapshots(): number {
    return this.snapshotCount;
  }

  /** Merges a snapshot and numbers it (`seq`, monotonic across worker restarts). */
  merge(snapshot: Snapshot, alertStates: AlertRuleState[] | undefined): void {
    this.snapshotCount++;
    snapshot.seq = this.snapshotCount; // monotonic across worker restarts
    for (const q of snapshot.quotes) this.quoteMap.set(q.symbol, q);
    for (const b of snapshot.books) this.bookMap.set(b.symbol, b);
    for (const bar of snapshot.bars) this.mergeBar(bar);
    this.counters = snapshot.counters;
    if (alertStates !== undefined) this.alertStates = alertStates;
  }

  /** The merged current state of one symbol (undefined when nothing is known). */
  latest(symbol: string): QuoteState | undefined {
    return this.quoteMap.get(symbol);
  }

  /** The merged current state of every symbol seen. */
  quotes(): QuoteState[] {
    return [...this.quoteMap.values()];
  }

  /** The most recent one-minute bars of a symbol, oldest first. */
  bars(symbol: string): Bar[] {
    return [...(this.barMap.get(symbol) ?? [])];
  }

  /** The latest order-book top of a symbol. */
  book(symbol: string): OrderBookTop | undefined {
    return this.bookMap.get(symbol);
  }

  /** What a restarted worker starts from: the last quote, bar and book of every symbol, and the counters. */
  restoreState(): WorkerRestoreState {
    const bars: Bar[] = [];
    for (const list of this.barMap.values()) if (list.length > 0) bars.push(list[list.length - 1]);
    return {
      quotes: [...this.quoteMap.values()],
      bars,
      books: [...this.bookMap.values()],
      counters: { ...this.counters },
      ...(this.received !== undefined ? { received: this.received } : {}),
    };
  }

  /** The receive counters so far (zeros before the first raw batch). */
  receiveCounters(): ReceiveCounters {
    return this.received ?? emptyReceiveCounters();
  }

  private mergeBar(bar: Bar): void {
    let list = this.barMap.get(bar.symbol);
    if (list === undefined) this.barMap.set(bar.symbol, (list = []));
    const last = list[list.length - 1];
    if (last !== undefined && last.time === bar.time) list[list.length - 1] = bar;
    else if (last === undefined || bar.time > last.time) {
      list.push(bar);
      if (list.length > this.maxBarsPerSymbol) list.shift();
    }
  }
}
