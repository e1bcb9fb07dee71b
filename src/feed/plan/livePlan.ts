/**
 * Which watchlist symbols stream live and which are refreshed by REST: KIS allows 41
 * registrations per session (kis-protocol.md §9), the watchlist takes any number. Pure.
 *
 * The budget counts REGISTRATIONS, not symbols: a symbol's registrations come from `registrationsFor`
 * (the day plan makes it phase-dependent, e.g. trade + book +
 * expected execution in an auction), and a symbol goes live only when all of them fit. Priority: the
 * focused symbol (open in the ticker), then pinned symbols in watchlist order, then the watchlist order.
 * A symbol that does not fit is skipped, not the rest: a smaller one further down may still fit.
 */
import { planSubscriptions, TRADE_TR, withMarkets, type PlannedSubscription } from './subscriptionPlan';
import type { RegistrationsOf } from './dayPlan';

/** The registrations one symbol needs while it is live. */
export type RegistrationsFor = (symbol: string) => readonly PlannedSubscription[];

/** Today's default: one trade registration per symbol. */
export const tradeOnly: RegistrationsFor = (symbol) => [{ trId: TRADE_TR, trKey: symbol }];

/** What the planner is asked. */
export interface LivePlanInput {
  /** The watchlist in display order. */
  symbols: readonly string[];
  /** The budget of registrations (SESSION_BUDGET). */
  budget: number;
  /** The symbol open in the ticker, first in line. */
  focused?: string;
  /** Symbols the user pinned to live ("Pin to live"), ahead of the rest of the watchlist. */
  pinned?: ReadonlySet<string>;
  registrationsFor?: RegistrationsFor;
}

/** The plan: live registrations, and which symbols are live or refreshed by REST (both in watchlist order). */
export interface LivePlan {
  registrations: PlannedSubscription[];
  live: string[];
  rest: string[];
}

/** Splits the watchlist between the live budget and the REST round-robin (see the file comment). */
export function planLive(input: LivePlanInput): LivePlan {
  const registrationsFor = input.registrationsFor ?? tradeOnly;
  const symbols = [...new Set(input.symbols)];
  const pinned = input.pinned ?? new Set<string>();
  const order = [
    ...(input.focused !== undefined && symbols.includes(input.focused) ? [input.focused] : []),
    ...symbols.filter((s) => s !== input.focused && pinned.has(s)),
    ...symbols.filter((s) => s !== input.focused && !pinned.has(s)),
  ];
  let room = input.budget;
  const liveSet = new Set<string>();
  const registrations: PlannedSubscription[] = [];
  for (const symbol of order) {
    if (room <= 0) break;
    const regs = registrationsFor(symbol);
    if (regs.length > room) continue;
    room -= regs.length;
    liveSet.add(symbol);
    registrations.push(...regs);
  }
  return {
    registrations,
    live: symbols.filter((s) => liveSet.has(s)),
    rest: symbols.filter((s) => !liveSet.has(s)),
  };
}

/** What the feed plans with: its watchlist, focus and pins, and the day plan's registrations now. */
export interface WatchlistPlanInput {
  symbols: readonly string[];
  budget: number;
  focused?: string;
  pinned?: ReadonlySet<string>;
  /** The ranked registrations of one symbol now (dayPlan.ts `registrationsAt`); default: trade and book. */
  registrations?: RegistrationsOf;
  /** No live registration at all (a holiday: nothing trades, every row keeps its REST price). */
  closedDay?: boolean;
  /** The execution-notice registrations (noticePlan.ts): taken from the budget first, kept on a holiday. */
  notices?: readonly PlannedSubscription[];
}

/**
 * The feed's whole plan. A symbol is live when its rank-0 registrations (the ones every live symbol needs
 * in this phase: its trade TR) fit, in the order of `planLive`; the budget left over then goes to the
 * live symbols' extra registrations by rank (books, auction feeds, status: `planSubscriptions`). So up to
 * 41 symbols behave as before (20 symbols: trades and books), and symbol 42 onwards is refreshed by REST.
 */
export function planWatchlist(input: WatchlistPlanInput): LivePlan {
  const symbols = [...new Set(input.symbols)];
  const notices = (input.notices ?? []).slice(0, Math.max(0, input.budget));
  if (input.closedDay === true) return { registrations: [...notices], live: [], rest: symbols };
  const budget = input.budget - notices.length;
  const of = withMarkets(input.registrations);
  const split = planLive({
    symbols,
    budget,
    focused: input.focused,
    pinned: input.pinned,
    registrationsFor: (s) => of(s, s === input.focused).filter((r) => r.rank === 0),
  });
  const registrations = planSubscriptions(split.live, budget, input.focused, input.registrations);
  return { registrations: [...notices, ...registrations], live: split.live, rest: split.rest };
}
