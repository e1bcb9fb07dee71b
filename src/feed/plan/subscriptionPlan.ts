/**
 * Which (tr_id, tr_key) registrations the watchlist needs, within the KIS budget of 41 registrations per
 * session (kis-protocol.md §9). Pure.
 *
 * Policy (simple on purpose): trades (H0STCNT0) for every watchlist symbol come first, in watchlist order;
 * order books (H0STASP0) fill what is left of the budget, the preferred symbol (the one open in the
 * ticker) first, then the watchlist order. So 20 symbols get both TRs (40 registrations), 30 symbols get
 * trades plus 11 books, and 41 symbols get trades only.
 */

import type { Registration, RegistrationsOf } from './dayPlan';
import { symbolMarket } from '../../market/symbols';

export const TRADE_TR = 'H0STCNT0';
export const BOOK_TR = 'H0STASP0';
/** The index TR (kis-ws-more.md §6) and the US trade/book TRs (§7): they share the budget with KRX symbols. */
export const INDEX_TR = 'H0UPCNT0';
export const US_TRADE_TR = 'HDFSCNT0';
export const US_BOOK_TR = 'HDFSASP0';

/** The trade (or index) TR of a symbol, by its market. */
export function tradeTrOf(symbol: string): string {
  const market = symbolMarket(symbol);
  return market === 'index' ? INDEX_TR : market === 'us' ? US_TRADE_TR : TRADE_TR;
}

/** The book TR of a symbol, or undefined for an index (indices have no book). */
export function bookTrOf(symbol: string): string | undefined {
  const market = symbolMarket(symbol);
  return market === 'index' ? undefined : market === 'us' ? US_BOOK_TR : BOOK_TR;
}

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
  registrations: RegistrationsOf = byMarket,
): PlannedSubscription[] {
  const order =
    prefer !== undefined && symbols.includes(prefer) ? [prefer, ...symbols.filter((s) => s !== prefer)] : symbols;
  const of = withMarkets(registrations);
  const all = order.flatMap((s, i) =>
    of(s, s === prefer).map((r) => ({ r, i: symbols.indexOf(s), focus: s === prefer ? 0 : 1, o: i })),
  );
  // Trades (rank 0) keep the watchlist order; other ranks go focused symbol first.
  all.sort((a, b) => a.r.rank - b.r.rank || (a.r.rank === 0 ? a.i - b.i : a.o - b.o));
  return all.slice(0, budget).map(({ r }) => ({ trId: r.trId, trKey: r.trKey }));
}

/**
 * `registrations` for KRX symbols; indices and US symbols have their own TRs whatever the exchange choice
 * (the whole-day plan is KRX/NXT only).
 */
export function withMarkets(registrations: RegistrationsOf = byMarket): RegistrationsOf {
  return (s, focused) => (symbolMarket(s) === 'krx' ? registrations(s, focused) : byMarket(s, focused));
}

/** The default plan: each symbol's trade (or index) TR, then its book where it has one, by its market. */
const byMarket: RegistrationsOf = (symbol) => {
  const trade: Registration = { trId: tradeTrOf(symbol), trKey: symbol, kind: 'trade', rank: 0 };
  const book = bookTrOf(symbol);
  return book === undefined ? [trade] : [trade, { trId: book, trKey: symbol, kind: 'book', rank: 1 }];
};

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
