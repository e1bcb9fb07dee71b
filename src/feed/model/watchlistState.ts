/**
 * The feed's watchlist: the symbols in display order (any number), the symbols the user pinned
 * to the live set, and the symbol open in the ticker. It persists what the user chose and answers with the
 * whole plan (livePlan.ts `planWatchlist`). No I/O of its own beyond the store it is given.
 */
import type { Logger } from '../../common/logger';
import { planWatchlist, type LivePlan } from '../plan/livePlan';
import type { RegistrationsOf } from '../plan/dayPlan';
import { SESSION_BUDGET, type PlannedSubscription } from '../plan/subscriptionPlan';
import { sanitize } from './watchlistRules';
import type { WatchlistStore } from '../types';

/** See the file comment. */
export class WatchlistState {
  private list: string[];
  private pins: Set<string>;
  /** The symbol open in the ticker: first claim on the live set and on an order book. */
  focused: string | undefined;

  /** @param changed called with the list after every change (the feed fires its event) */
  constructor(
    private readonly store: WatchlistStore,
    private readonly log: Logger,
    private readonly changed: (symbols: string[]) => void,
  ) {
    this.list = sanitize(store.load());
    this.pins = new Set(sanitize(store.loadPinned?.() ?? []).filter((s) => this.list.includes(s)));
  }

  /** The symbols in display order (a copy). */
  get symbols(): string[] {
    return this.list.slice();
  }

  /** The pinned symbols, in watchlist order. */
  get pinned(): string[] {
    return this.list.filter((s) => this.pins.has(s));
  }

  has(symbol: string): boolean {
    return this.list.includes(symbol);
  }

  /** Appends symbols (already sorted by `sortAdditions`) and persists. */
  async add(fresh: readonly string[]): Promise<void> {
    this.list.push(...fresh);
    await this.persist();
  }

  /** Removes a symbol (and its pin); false when it was not listed. */
  async remove(symbol: string): Promise<boolean> {
    const index = this.list.indexOf(symbol);
    if (index < 0) return false;
    this.list.splice(index, 1);
    if (this.focused === symbol) this.focused = undefined;
    if (this.pins.delete(symbol)) await this.savePins();
    await this.persist();
    return true;
  }

  /** Moves a symbol one place; false when it cannot move. */
  async move(symbol: string, delta: -1 | 1): Promise<boolean> {
    const index = this.list.indexOf(symbol);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.list.length) return false;
    [this.list[index], this.list[target]] = [this.list[target], this.list[index]];
    await this.persist();
    return true;
  }

  /** Pins (or unpins) a listed symbol to the live set; false when nothing changed. */
  async pin(symbol: string, on: boolean): Promise<boolean> {
    if (!this.list.includes(symbol) || this.pins.has(symbol) === on) return false;
    if (on) this.pins.add(symbol);
    else this.pins.delete(symbol);
    await this.savePins();
    this.changed(this.list.slice());
    return true;
  }

  /**
   * The plan now: live registrations within the session budget, and which symbols are live or REST.
   *
   * @param registrations the day plan's registrations now (undefined: trade and book by market)
   * @param closedDay a holiday: no live registration at all
   * @param notices the execution-notice registrations, first in the budget
   */
  plan(
    registrations: RegistrationsOf | undefined,
    closedDay = false,
    notices: readonly PlannedSubscription[] = [],
  ): LivePlan {
    return planWatchlist({
      symbols: this.list,
      budget: SESSION_BUDGET,
      focused: this.focused,
      pinned: this.pins,
      registrations,
      closedDay,
      notices,
    });
  }

  private async persist(): Promise<void> {
    this.changed(this.list.slice());
    try {
      await this.store.save(this.list.slice());
    } catch (error) {
      this.log.error('Could not save the watchlist', error);
    }
  }

  private async savePins(): Promise<void> {
    try {
      await this.store.savePinned?.(this.pinned);
    } catch (error) {
      this.log.error('Could not save the pinned symbols', error);
    }
  }
}
