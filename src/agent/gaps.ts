/**
 * Data gaps: for each wanted subscription, the stretch of time in which a lost session could not have
 * delivered its data, from the last message of the lost session to the resubscribe ack on the next one.
 *
 * KIS does not replay what was sent while a client was away (kis-protocol.md §9), so the honest thing a
 * monitor can do is say exactly which symbols missed which interval; the user (or a REST backfill) can
 * then decide what to do about it. Everything sent after the resubscribe ack arrives, so `to` is exact;
 * `from` is the last inbound message of the dead session, so a stall is reported from when traffic
 * stopped, not from when the watchdog noticed.
 */
import type { DataGap } from '../shared/stats';
import { subscriptionKey, type Subscription } from './subscriptions';

/** How many closed gaps are kept for stats (the newest win). */
const RECENT_LIMIT = 50;

/** Open and recently closed gaps of one agent (no I/O, no timers). */
export class GapTracker {
  private readonly open = new Map<string, DataGap>();
  private readonly recentGaps: DataGap[] = [];
  private closedCount = 0;

  /**
   * A session with `lost` wanted subscriptions ended unexpectedly; data stopped at `from` (epoch ms).
   * A subscription already in a gap (a second drop before its resubscribe) keeps its earlier start.
   */
  sessionLost(lost: readonly Subscription[], from: number, reason: string): void {
    for (const { trId, trKey } of lost) {
      const key = subscriptionKey(trId, trKey);
      if (!this.open.has(key)) this.open.set(key, { trId, trKey, from, reason });
    }
  }

  /** The subscription is registered again at `to`: returns the closed gap, or undefined if none was open. */
  resubscribed(trId: string, trKey: string, to: number): DataGap | undefined {
    const key = subscriptionKey(trId, trKey);
    const gap = this.open.get(key);
    if (gap === undefined) return undefined;
    this.open.delete(key);
    const closed: DataGap = { ...gap, to };
    this.closedCount += 1;
    this.recentGaps.push(closed);
    if (this.recentGaps.length > RECENT_LIMIT) this.recentGaps.shift();
    return closed;
  }

  /** The subscription is no longer wanted (unsubscribed or refused): its gap will never close. */
  forget(trId: string, trKey: string): void {
    this.open.delete(subscriptionKey(trId, trKey));
  }

  /** The user disconnected or the agent stopped: a deliberate pause is not a gap. */
  clearOpen(): void {
    this.open.clear();
  }

  /** Gaps closed so far. */
  get closed(): number {
    return this.closedCount;
  }

  /** Gaps still open (no `to`), oldest first. */
  openGaps(): DataGap[] {
    return [...this.open.values()];
  }

  /** The newest closed gaps, oldest first (at most 50). */
  recent(): DataGap[] {
    return [...this.recentGaps];
  }
}
