/**
 * Which (tr_id, tr_key) registrations the watchlist needs, within the KIS budget of 41 registrations per
 * session (kis-protocol.md §9). Pure.
 *
 * Policy (simple on purpose): trades (H0STCNT0) for every watchlist symbol come first, in watchlist order;
 * order books (H0STASP0) fill what is left of the budget, the preferred symbol (the one open in the
 * ticker) first, then the watchlist order. So 20 symbols get both TRs (40 registrations), 30 symbols get
 * trades plus 11 books, and 41 symbols get trades only.
 */

import type { RegistrationsOf } from './dayPlan';

export const TRADE_TR = 'H0STCNT0';
export const BOOK_TR = 'H0STASP0';

/** The KIS registration budget of one session. */
export const SESSION_BUDGET = 41;

/** One registration. */
export interface PlannedSubscription {
  trId: string;
  trKey: string;
}

/** The key of a registration (same shape the agent uses). */
export function registrationKey(trId: string, trKey: string): string {
  return `${trId}:${trKey}`;
}

/**
 * The registrations for `symbols` within `budget`, trades first. Symbols beyond the budget get nothing
 * (the session refuses to list them in the first place).
 *
 * @param registrations the ranked registrations of one symbol (dayPlan.ts `registrationsAt`); default:
 *   the KRX trade and book TRs. Registrations are taken by rank, then focused symbol, then watchlist order.
 */
export function planSubscriptions(
  symbols: readonly string[],
  budget = SESSION_BUDGET,
  prefer?: string,
  registrations: RegistrationsOf = krxOnly,
): PlannedSubscription[] {
  const order = prefer !== undefined && symbols.includes(prefer) ? [prefer, ...symbols.filter((s) => s !== prefer)] : symbols;
  const all = order.flatMap((s, i) => registrations(s, s === prefer).map((r) => ({ r, i: symbols.indexOf(s), focus: s === prefer ? 0 : 1, o: i })));
  // Trades (rank 0) keep the watchlist order; other ranks go focused symbol first.
  all.sort((a, b) => a.r.rank - b.r.rank || (a.r.rank === 0 ? a.i - b.i : a.o - b.o));
  return all.slice(0, budget).map(({ r }) => ({ trId: r.trId, trKey: r.trKey }));
}

/** The default: the KRX trade of every symbol, then books (the focused symbol first). */
const krxOnly: RegistrationsOf = (symbol) => [
  { trId: TRADE_TR, trKey: symbol, kind: 'trade', rank: 0 },
  { trId: BOOK_TR, trKey: symbol, kind: 'book', rank: 1 },
];

/** What to release and what to register to go from `current` to `target`. */
export function diffSubscriptions(
  current: readonly PlannedSubscription[],
  target: readonly PlannedSubscription[],
): { release: PlannedSubscription[]; register: PlannedSubscription[] } {
  const currentKeys = new Set(current.map((s) => registrationKey(s.trId, s.trKey)));
  const targetKeys = new Set(target.map((s) => registrationKey(s.trId, s.trKey)));
  return {
    release: current.filter((s) => !targetKeys.has(registrationKey(s.trId, s.trKey))),
    register: target.filter((s) => !currentKeys.has(registrationKey(s.trId, s.trKey))),
  };
}
