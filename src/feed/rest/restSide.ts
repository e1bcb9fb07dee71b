/**
 * The feed's REST side across source starts and stops: the REST runtime of the running source
 * (none while stopped), which symbols the live plan left to REST, and the one-shot quotes, the round-robin
 * and the holiday calendar it drives. Every promise it starts goes to the feed's `track`, so the feed's
 * dispose waits for it.
 */
import type { RestErrorCode } from '../../rest';
import type { HolidayProvider } from '../../market/sessionClock';
import type { LivePlan } from '../plan/livePlan';
import type { RestPriceStats, RowMode } from './restPrices';
import type { ChartOutcome, ChartView } from './chartHistory';
import { closeRestRuntime, type RestRuntime } from './restRuntime';

/**
 * How long the first registrations of a session wait for the holiday calendar: on a holiday none is
 * attempted at all. One REST round trip normally (none when today's answer is cached).
 */
const HOLIDAY_WAIT_MS = 3000;

/** See the file comment. */
export class RestSide {
  private rest: RestRuntime | undefined;
  private restSet = new Set<string>();

  /** @param track hands a promise to the feed (awaited by its dispose) */
  constructor(private readonly track: (promise: Promise<unknown>) => void) {}

  /** Adopts the REST runtime of a source that just started. */
  open(rest: RestRuntime): void {
    this.rest = rest;
  }

  /** Detaches and closes the runtime (requests in flight are awaited). */
  close(): Promise<void> {
    return closeRestRuntime(this.rest, () => (this.rest = undefined));
  }

  /** Asks REST for current prices (session start, added, after a gap); failures are marked per row. */
  quotes(symbols: readonly string[]): void {
    if (this.rest !== undefined && symbols.length > 0) this.track(this.rest.prices.quotes(symbols));
  }

  /** Follows a new plan: its REST symbols are refreshed round-robin while something trades (`trading`). */
  follow(plan: LivePlan, trading: boolean): void {
    this.restSet = new Set(plan.rest);
    // A closed market's prices do not move: the one-shot quote at start (or add) is all a row needs.
    this.rest?.prices.setRefreshed(trading ? plan.rest : []);
  }

  /**
   * Asks the running source's holiday calendar (at most once a day) and hands a new answer to `apply`.
   * Resolves when answered, or after `waitMs` at most (a slow REST server must not hold the stream back).
   */
  holidays(now: number, apply: (provider: HolidayProvider) => void, waitMs = HOLIDAY_WAIT_MS): Promise<void> {
    const rest = this.rest;
    if (rest === undefined) return Promise.resolve();
    const answered = rest.calendar
      .refresh(now)
      .then((provider) => void (provider && this.rest === rest && apply(provider)));
    this.track(answered);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    return Promise.race([answered, waited]).finally(() => clearTimeout(timer));
  }

  /** How a row is kept up to date: live, or by REST every N s (the measured cycle). */
  rowMode(symbol: string): RowMode {
    if (!this.restSet.has(symbol)) return { kind: 'live' };
    return { kind: 'rest', everySeconds: this.rest?.prices.cycleSeconds(symbol) ?? 0 };
  }

  /** The code of a row's last REST failure ("price unavailable"). */
  problem(symbol: string): RestErrorCode | undefined {
    return this.rest?.prices.problem(symbol);
  }

  /** When a row's failed REST price is asked again (epoch ms, machine clock), undefined when it is not. */
  retryAt(symbol: string): number | undefined {
    return this.rest?.prices.retryAt(symbol);
  }

  /** Forgets a symbol that left the watchlist. */
  forget(symbol: string): void {
    this.rest?.prices.forget(symbol);
  }

  /** The ticker chart's history of `symbol` (chartHistory.ts); "unavailable" while no source runs. */
  chartHistory(symbol: string, view: ChartView): Promise<ChartOutcome> {
    return this.rest?.charts[view](symbol) ?? Promise.resolve({ state: 'unavailable', code: 'OFFLINE' });
  }

  /** The REST counters while a source runs. */
  stats(): RestPriceStats | undefined {
    return this.rest?.prices.stats();
  }
}
