/**
 * The registrations one symbol needs at an instant of the trading day, ranked, and the words that explain
 * the plan. Pure. This is the seam with the subscription plan (subscriptionPlan.ts): the plan asks
 * `registrationsFor` for each symbol it keeps live and takes registrations by rank within the budget, so
 * the planner of the live set and the day's phases change independently.
 *
 * Ranks (lower first; within a rank, the focused symbol, then watchlist order):
 *   0 the trade TR of every symbol — always, so the first trade after a phase change needs no re-registration
 *   1 the focused symbol's auction feed (expected execution) and its market status
 *   2 the focused symbol's order book
 *   3 the others' auction feed (budget permitting)
 *   4 the others' order books
 *   5 the others' market status (VI and halt badges)
 * Paper serves only the KRX trade and book TRs (`PAPER_TRS`): a paper plan never lists another TR.
 */
import { PAPER_TRS } from '../../kis/layouts/day';
import { NOTICE_TRS } from '../../kis/layouts/notice';
import type { SessionState, ExchangeChoice, VenuePhase } from '../../market/sessionClock';
import { registrationsFor as sessionRegistrations, trFor } from '../../market/sessionClock';
import type { DataSource } from '../../market/sources';

/** What one registration is for. */
export type RegistrationKind = 'trade' | 'book' | 'expected' | 'status';

/** One registration a symbol needs, with its rank (lower = more important). */
export interface Registration {
  readonly trId: string;
  readonly trKey: string;
  readonly kind: RegistrationKind;
  readonly rank: number;
}

/** The function the subscription plan takes: the ranked registrations of one symbol. */
export type RegistrationsOf = (symbol: string, focused: boolean) => Registration[];

/** Why paper uses KRX (status tooltip, Connection Details). */
export const PAPER_REASON = 'the paper server serves only the KRX trade and book TRs';

/** The exchange choice a source actually uses: paper always KRX. */
export function effectiveExchange(asked: ExchangeChoice, source: DataSource): ExchangeChoice {
  return source === 'paper' ? 'krx' : asked;
}

function kindOf(trId: string, choice: ExchangeChoice): RegistrationKind {
  if (trId === trFor(choice, 'book')) return 'book';
  if (trId === trFor(choice, 'expected')) return 'expected';
  if (trId === trFor(choice, 'trade')) return 'trade';
  return 'status';
}

const RANKS: Readonly<Record<RegistrationKind, readonly [focused: number, other: number]>> = {
  trade: [0, 0],
  expected: [1, 3],
  status: [1, 5],
  book: [2, 4],
};

/**
 * The ranked registrations of `symbol` now, from the session clock's phases of the chosen exchange.
 *
 * @param session the session state now (`sessionAt(now, holidays)`)
 * @param exchange the exchange asked for in the settings (paper uses KRX whatever it says)
 * @param source the data source; the embedded simulator serves every TR
 * @param focused whether the symbol is the one open in the ticker
 */
export function registrationsFor(
  symbol: string,
  session: SessionState,
  exchange: ExchangeChoice,
  source: DataSource,
  focused: boolean,
): Registration[] {
  const paper = source === 'paper';
  const { choice, trIds } = sessionRegistrations(session, effectiveExchange(exchange, source), paper);
  return trIds
    .filter((trId) => !paper || PAPER_TRS.has(trId))
    .map((trId) => {
      const kind = kindOf(trId, choice);
      return { trId, trKey: symbol, kind, rank: RANKS[kind][focused ? 0 : 1] };
    });
}

/** A registration function bound to one instant, exchange and source (what the subscription plan takes). */
export function registrationsAt(session: SessionState, exchange: ExchangeChoice, source: DataSource): RegistrationsOf {
  return (symbol, focused) => registrationsFor(symbol, session, exchange, source, focused);
}

/** Every trade TR (a refused trade registration means the symbol cannot be served). */
export const TRADE_TRS: ReadonlySet<string> = new Set(['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0']);

/** One line per kind of the plan, for Connection Details: "expected (H0UNANC0): 005930, 000660". */
export function describePlan(plan: ReadonlyArray<{ trId: string; trKey: string }>): string[] {
  const byTr = new Map<string, string[]>();
  for (const p of plan) {
    const keys = byTr.get(p.trId) ?? [];
    // A notice's key is the HTS ID: the plan says it is there, never what it is.
    keys.push(NOTICE_TRS.has(p.trId) ? 'HTS ID' : p.trKey);
    byTr.set(p.trId, keys);
  }
  return [...byTr].map(([trId, keys]) => `${trId} ×${keys.length}: ${keys.join(', ')}`);
}

/** The trading day as the feed sees it: what the status bar, rows and Connection Details say. */
export interface DayStatus {
  readonly session: SessionState;
  /** False for the demo simulator, which streams at any hour (no phase is closed). */
  readonly calendar: boolean;
  /** The exchange asked for in the settings. */
  readonly asked: ExchangeChoice;
  /** The exchange used (paper: always KRX). */
  readonly exchange: ExchangeChoice;
  /** Why `exchange` differs from `asked`. */
  readonly reason?: string;
  /** The registrations the planner wants now, in plan order. */
  readonly plan: ReadonlyArray<{ trId: string; trKey: string }>;
}

/** Builds a `DayStatus`. */
export function dayStatusOf(
  session: SessionState,
  calendar: boolean,
  asked: ExchangeChoice,
  source: DataSource,
  plan: ReadonlyArray<{ trId: string; trKey: string }>,
): DayStatus {
  const exchange = effectiveExchange(asked, source);
  const base = { session, calendar, asked, exchange, plan };
  return exchange !== asked ? { ...base, reason: PAPER_REASON } : base;
}

/** The venues of the chosen exchange (unified: both). */
export function venuesOf(day: Pick<DayStatus, 'exchange' | 'session'>): VenuePhase[] {
  const { krx, nxt } = day.session;
  return day.exchange === 'krx' ? [krx] : day.exchange === 'nxt' ? [nxt] : [krx, nxt];
}

/** True when data is expected now from the chosen exchange (silence in a closed phase is not staleness). */
export function dataExpectedNow(day: Pick<DayStatus, 'exchange' | 'session' | 'calendar'>): boolean {
  return !day.calendar || venuesOf(day).some((v) => v.streams.length > 0);
}
