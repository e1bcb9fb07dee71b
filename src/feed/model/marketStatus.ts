/**
 * Market-status changes (VI on/off, halt on/off) as events: the worker publishes the state per symbol in
 * its snapshots; this tracker turns a change of that state into one `MarketStatusChange`, which the feed
 * fires as `onMarketStatus` (the alerts engineer's input). Pure.
 */
import type { QuoteState, Snapshot } from '../../shared/snapshot';

/** A symbol's VI or halt state changed. */
export interface MarketStatusChange {
  symbol: string;
  /** Volatility interruption in force now. */
  vi: boolean;
  /** Trading halted now. */
  halted: boolean;
  /** VI reference price where the feed gave one (0 when unknown). */
  viPrice: number;
  /** Halt reason ('' when none). */
  haltReason: string;
  /** What changed. */
  change: 'vi-on' | 'vi-off' | 'halt-on' | 'halt-off';
  /** Epoch ms of the snapshot that carried it. */
  at: number;
}

interface Seen {
  vi: boolean;
  halted: boolean;
}

/** Remembers each symbol's last status and reports changes. */
export class MarketStatusTracker {
  private readonly seen = new Map<string, Seen>();

  /** The changes a snapshot brings (a first sighting reports only a VI or halt in force). */
  update(snapshot: Snapshot): MarketStatusChange[] {
    const out: MarketStatusChange[] = [];
    for (const q of snapshot.quotes) this.updateQuote(q, snapshot.at, out);
    return out;
  }

  /** Forgets everything (the source changed). */
  clear(): void {
    this.seen.clear();
  }

  private updateQuote(q: QuoteState, at: number, out: MarketStatusChange[]): void {
    const prev = this.seen.get(q.symbol) ?? { vi: false, halted: false };
    const now: Seen = { vi: q.vi === true, halted: q.halted };
    this.seen.set(q.symbol, now);
    const base = {
      symbol: q.symbol,
      vi: now.vi,
      halted: now.halted,
      viPrice: q.viPrice ?? 0,
      haltReason: q.haltReason ?? '',
      at,
    };
    if (now.vi !== prev.vi) out.push({ ...base, change: now.vi ? 'vi-on' : 'vi-off' });
    if (now.halted !== prev.halted) out.push({ ...base, change: now.halted ? 'halt-on' : 'halt-off' });
  }
}
