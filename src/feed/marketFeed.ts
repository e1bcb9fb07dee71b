/**
 * The application core: the feed's session (feedSession.ts: the data source, the agent and the worker
 * host or the hub's shared session, the ONE read model the views read, the REST side, the trading day)
 * and the watchlist on top of it, whose registrations it keeps in step. It publishes state, snapshots
 * and problems as events (feedEvents.ts). Views never reach the agent or the worker host.
 * vscode-free: settings, credentials, persistence and translation are passed in.
 */
import type { Runtime } from './source/sourceRuntime';
import { reconcileRegistrations, type ReconcileFailures } from './plan/reconcile';
import { settleAdditions, sortAdditions } from './model/watchlistRules';
import { dataExpectedNow } from './plan/dayPlan';
import { FeedSession } from './feedSession';
import type { AddResult, ProgressCallback } from './types';

/** The application core (see the file comment). */
export class MarketFeed extends FeedSession {
  /**
   * Lists and registers symbols. Starts the session if it is off. Resolves when every new registration
   * settled; `progress` is called once per settled request.
   */
  async add(symbols: readonly string[], progress?: ProgressCallback): Promise<AddResult> {
    const { result, fresh } = sortAdditions(symbols, this.watch.symbols);
    if (fresh.length === 0) return result;
    await this.watch.add(fresh);
    if (this.disposing) return result;
    if (!this.runtime && !this.shared) await this.connect();
    if (!this.runtime && !this.shared) {
      result.pending.push(...fresh);
      return result;
    }
    this.rest.quotes(fresh);
    return settleAdditions(result, fresh, await this.reconcile(progress, new Set(fresh)));
  }

  /** Unlists and releases a symbol; false when it was not listed. */
  async remove(symbol: string): Promise<boolean> {
    if (!(await this.watch.remove(symbol))) return false;
    this.store.forget(symbol);
    this.rest.forget(symbol);
    await this.reconcile();
    return true;
  }

  /** Moves a symbol one place; registrations follow the order (books go to the first symbols). */
  async move(symbol: string, delta: -1 | 1): Promise<boolean> {
    if (!(await this.watch.move(symbol, delta))) return false;
    this.reconcile();
    return true;
  }

  /** Pins a symbol to the live set (or unpins it): a re-plan on the same connection. False when unchanged. */
  async pin(symbol: string, on: boolean): Promise<boolean> {
    if (!(await this.watch.pin(symbol, on))) return false;
    await this.reconcile();
    return true;
  }

  /**
   * The symbols held (holdings may be off the watchlist): a US holding asks for the overseas fill notices
   * as a US row does. Re-plans only when that answer changes.
   */
  setHeldSymbols(symbols: readonly string[]): void {
    const before = this.holdsUs;
    this.held = [...symbols];
    if (this.holdsUs !== before) this.reconcile();
  }

  /** Gives `symbol` (the ticker's) the first claim on the live set and on an order-book registration. */
  preferBook(symbol: string | undefined): void {
    if (this.watch.focused === symbol) return;
    this.watch.focused = symbol;
    this.reconcile();
  }

  /**
   * Brings the agent's registrations in line with the watchlist (reconcile.ts); resolves with the reportable
   * failure per symbol (trades only). Tracked, so dispose() waits for it. `progress`/`focus`: see ReconcileInput.
   */
  protected reconcile(progress?: ProgressCallback, focus?: ReadonlySet<string>): Promise<ReconcileFailures> {
    return this.track(this.reconcileNow(progress, focus));
  }

  private async reconcileNow(progress?: ProgressCallback, focus?: ReadonlySet<string>): Promise<ReconcileFailures> {
    await this.day.calendarReady;
    // Shared: the leader plans the union of every window's wants within the budget (src/hub/plan.ts).
    // The leader's notices go first: its HTS ID stays in its own process (the hub engine is the leader's).
    this.shared?.setWants([...this.noticeWants(), ...this.day.plan(undefined).registrations]);
    const rt = this.runtime;
    if (!rt || this.shared) return new Map();
    const plan = this.day.plan(rt.source);
    this.day.forgetStatus();
    this.rest.follow(plan, dataExpectedNow(this.dayStatus()));
    return reconcileRegistrations({
      agent: rt.agent,
      target: plan.registrations,
      log: this.opts.log,
      current: () => this.runtime === rt,
      onRefused: (symbol) => this.dropRefused(rt, symbol),
      progress,
      focus,
    });
  }

  /** A refused symbol leaves the watchlist, so the list never shows a row that cannot get data. */
  private dropRefused(rt: Runtime, symbol: string): void {
    this.track(this.watch.remove(symbol));
    // Its other registrations (book, auction, status) are released by the next reconcile.
    if (rt.agent.wanted().some((w) => w.trKey === symbol)) this.reconcile();
  }
}
