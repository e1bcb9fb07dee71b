/**
 * Bringing an agent's registrations in line with the watchlist: release first (to free budget, awaiting
 * the acks), then ask for every planned registration. `subscribe` is idempotent in the agent (a pending
 * request returns the same promise, a registered one resolves 'already' without traffic), so concurrent
 * reconciles, and an `add()` racing the start's own reconcile, all see the real acks.
 */
import type { KisAgent } from '../../agent';
import type { Logger } from '../../common/logger';
import { diffSubscriptions, type PlannedSubscription } from './subscriptionPlan';
import { isNoticeRegistration } from './noticePlan';
import { TRADE_TRS } from './dayPlan';
import { codeOf, errorMessage } from '../source/source';
import type { ProgressCallback } from '../types';

/** What one reconcile needs. */
export interface ReconcileInput {
  agent: Pick<KisAgent, 'wanted' | 'subscribe' | 'unsubscribe'>;
  /** The registrations wanted, in plan order (livePlan.ts `planWatchlist`: within the session budget). */
  target: readonly PlannedSubscription[];
  log: Logger;
  /** False once the runtime this reconcile serves was replaced (stop the work, report nothing). */
  current: () => boolean;
  /** Called when the server refused a trade registration for good (the symbol should leave the list). */
  onRefused: (symbol: string) => void;
  /** Called once per settled request among those counted. */
  progress?: ProgressCallback;
  /** Count only the requests of these symbols (an `add()`); default: the new ones. */
  focus?: ReadonlySet<string>;
}

/** The reportable failure per symbol (trade registrations only: a missing book is not worth a message). */
export type ReconcileFailures = Map<string, { code: string; message: string }>;

/**
 * Agent error codes that end a trade registration for good (the symbol leaves the watchlist). Not
 * MAX_SUBSCRIPTIONS: the plan stays within the budget, and a symbol the session has no room for is still
 * a watchlist row (refreshed by REST), so it stays listed.
 */
const PERMANENT_FAILURES = new Set(['REFUSED', 'INVALID_REQUEST']);
/** Agent error codes that only mean "the runtime ended meanwhile". */
const SILENT_FAILURES = new Set(['DISCONNECTED', 'DISPOSED', 'STOPPED', 'CANCELLED']);

/** Runs one reconcile; resolves with the failures when every request settled. */
export async function reconcileRegistrations(input: ReconcileInput): Promise<ReconcileFailures> {
  const failures: ReconcileFailures = new Map();
  const { agent, log, focus, progress } = input;
  const target = input.target;
  const { release, register } = diffSubscriptions(agent.wanted(), target);
  await Promise.allSettled(
    release.map((s) =>
      agent
        .unsubscribe(s.trId, s.trKey)
        .catch((error: unknown) => log.debug(`Unsubscribe ${shown(s)}: ${shownError(s, error)}`)),
    ),
  );
  if (!input.current()) return failures;
  const fresh = new Set(register.map((s) => `${s.trId}:${s.trKey}`));
  const counted = (s: PlannedSubscription): boolean => (focus ? focus.has(s.trKey) : fresh.has(`${s.trId}:${s.trKey}`));
  const total = target.filter(counted).length;
  let done = 0;
  // Asked in plan order (trades first); the agent pipelines them within its in-flight window.
  await Promise.allSettled(
    target.map((s) =>
      agent
        .subscribe(s.trId, s.trKey)
        .catch((error: unknown) => onFailure(input, s, error, failures))
        .finally(() => {
          if (counted(s)) progress?.(++done, total);
        }),
    ),
  );
  return failures;
}

/** A registration as logged: a notice's key is the HTS ID, which never reaches a log. */
function shown(s: PlannedSubscription): string {
  return isNoticeRegistration(s) ? `${s.trId} [HTS ID]` : `${s.trId} ${s.trKey}`;
}

/** An error as logged: for a notice only its code (the agent's message may quote the key). */
function shownError(s: PlannedSubscription, error: unknown): string {
  return isNoticeRegistration(s) ? codeOf(error) : errorMessage(error);
}

function onFailure(input: ReconcileInput, s: PlannedSubscription, error: unknown, failures: ReconcileFailures): void {
  const code = codeOf(error);
  const message = errorMessage(error);
  if (SILENT_FAILURES.has(code)) return;
  input.log.warn(`Subscribe ${shown(s)} failed: ${shownError(s, error)}`);
  if (!TRADE_TRS.has(s.trId) || !input.current()) return;
  failures.set(s.trKey, { code, message });
  if (PERMANENT_FAILURES.has(code)) input.onRefused(s.trKey);
}
