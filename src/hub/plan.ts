/**
 * The leader's registration plan: the union of every window's wants within the session budget.
 * Pure, so the budget rule is testable without sockets.
 */
import type { HubWant } from '../shared/hubProtocol';
import type { Snapshot } from '../shared/snapshot';

/** `trId|trKey`: the identity of a registration. */
export function wantKey(want: HubWant): string {
  return `${want.trId}|${want.trKey}`;
}

/**
 * Plans the union of `lists` (the leader's own first, then followers in the order they joined) within
 * `max` registrations (41 per KIS session, kis-protocol.md §9). Earlier lists win the budget, so a window
 * that joins later cannot push out rows another window already shows.
 */
export function planUnion(
  lists: readonly (readonly HubWant[])[],
  max: number,
): { registered: HubWant[]; over: Set<string> } {
  const seen = new Set<string>();
  const registered: HubWant[] = [];
  const over = new Set<string>();
  for (const list of lists) {
    for (const want of list) {
      const key = wantKey(want);
      if (seen.has(key)) continue;
      seen.add(key);
      if (registered.length < max) registered.push(want);
      else over.add(key);
    }
  }
  return { registered, over };
}

/** The part of a snapshot about `symbols` (undefined when nothing in it concerns them). */
export function filterSnapshot(snapshot: Snapshot, symbols: ReadonlySet<string>): Snapshot | undefined {
  const quotes = snapshot.quotes.filter((q) => symbols.has(q.symbol));
  const bars = snapshot.bars.filter((b) => symbols.has(b.symbol));
  const books = snapshot.books.filter((b) => symbols.has(b.symbol));
  const alerts = snapshot.alerts.filter((a) => symbols.has(a.symbol));
  if (quotes.length + bars.length + books.length + alerts.length === 0) return undefined;
  return { ...snapshot, quotes, bars, books, alerts };
}

/**
 * Folds `next` into `pending` for a follower that is not reading: the latest state per symbol (and per
 * bar minute) survives, so the follower catches up with one message instead of a backlog.
 */
export function mergeSnapshots(pending: Snapshot, next: Snapshot): Snapshot {
  const quotes = new Map(pending.quotes.map((q) => [q.symbol, q]));
  for (const q of next.quotes) quotes.set(q.symbol, q);
  const bars = new Map(pending.bars.map((b) => [`${b.symbol}|${b.time}`, b]));
  for (const b of next.bars) bars.set(`${b.symbol}|${b.time}`, b);
  const books = new Map(pending.books.map((b) => [b.symbol, b]));
  for (const b of next.books) books.set(b.symbol, b);
  // Alerts are events, not state: keep them, but not without bound.
  const alerts = [...pending.alerts, ...next.alerts].slice(-100);
  return {
    seq: next.seq,
    at: next.at,
    quotes: [...quotes.values()],
    bars: [...bars.values()],
    books: [...books.values()],
    alerts,
    counters: next.counters,
  };
}
