/**
 * Which watchlist symbols stream live and which are refreshed by REST (issue 15): KIS allows 41
 * registrations per session (kis-protocol.md §9), the watchlist takes any number. Pure.
 *
 * The budget counts REGISTRATIONS, not symbols: a symbol's registrations come from `registrationsFor`
 * (today one trade registration; issue 14's day plan makes it phase-dependent, e.g. trade + book +
 * expected execution in an auction), and a symbol goes live only when all of them fit. Priority: the
 * focused symbol (open in the ticker), then pinned symbols in watchlist order, then the watchlist order.
 * A symbol that does not fit is skipped, not the rest: a smaller one further down may still fit.
 */
import { TRADE_TR, type PlannedSubscription } from './subscriptionPlan';

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
