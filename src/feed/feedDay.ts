/**
 * The feed's trading day: the day planner (the feed's clock, ONE timer at the next phase change), the
 * trading day as the views read it (phases, the exchange used, the registration plan), the live plan
 * of the watchlist at this instant, and the holiday calendar of the running source that registrations
 * wait for. What to do when a phase changes is the feed's (re-plan, tell the views).
 */
import { Disposable } from '../common/lifecycle';
import type { DataSource, Settings } from '../settings';
import { dayStatusOf, registrationsAt, type DayStatus } from './plan/dayPlan';
import { DayPlanner } from './plan/dayPlanner';
import type { LivePlan } from './plan/livePlan';
import type { PlannedSubscription } from './plan/subscriptionPlan';
import type { WatchlistState } from './model/watchlistState';
import type { RestSide } from './rest/restSide';

/** What the trading day reads of the feed, each at the moment it is needed. */
export interface FeedDayInputs {
  settings(): Settings;
  /** The source of the running feed, else the configured one. */
  source(): DataSource;
  watch(): WatchlistState;
  rest(): RestSide;
  /** A phase of the day began (after the day's status was forgotten, before the holidays are asked). */
  onPhaseChange(): void;
  /** The execution-notice registrations of the running source (noticePlan.ts); none when absent. */
  notices?(source: DataSource): readonly PlannedSubscription[];
}

/** See the file comment. */
export class FeedDay extends Disposable {
  readonly planner: DayPlanner = this._register(new DayPlanner(() => this.phaseChanged()));
  /** This event-loop turn's answer of `status()`. */
  private statusOfTurn: DayStatus | undefined;
  /** Registrations wait for the day's holiday answer (bounded), so a holiday never registers anything. */
  private calendar: Promise<void> = Promise.resolve();

  constructor(private readonly inputs: FeedDayInputs) {
    super();
  }

  /** The trading day now: phases, the exchange used and why, and the registration plan (dayPlan.ts). */
  status(): DayStatus {
    // Every row drawn asks for it (a frame draws dozens in one turn) and each answer recomputes the session
    // clock and the whole registration plan: one answer per event-loop turn (the profiled main thread's
    // largest cost at the opening burst). A phase change or a reconcile in the same turn asks afresh.
    if (this.statusOfTurn === undefined) {
      this.statusOfTurn = this.computeStatus();
      queueMicrotask(() => (this.statusOfTurn = undefined));
    }
    return this.statusOfTurn;
  }

  /** Forgets this turn's `status()`: the plan is about to change. */
  forgetStatus(): void {
    this.statusOfTurn = undefined;
  }

  /** The live plan now; on a holiday (calendar sources) no live registration at all. */
  plan(source: DataSource | undefined): LivePlan {
    const registrations =
      source && registrationsAt(this.planner.planningSession(), this.inputs.settings().exchange, source);
    const holiday = this.planner.current.calendar && this.planner.session().day === 'holiday';
    const notices = source === undefined ? [] : (this.inputs.notices?.(source) ?? []);
    return this.inputs.watch().plan(registrations, holiday, notices);
  }

  /** Asks the running source for today's holidays and makes registrations wait for the answer. */
  awaitCalendar(): void {
    this.calendar = this.loadHolidays();
  }

  /** Resolves once the day's holiday answer (asked by `awaitCalendar`) is in. */
  get calendarReady(): Promise<void> {
    return this.calendar;
  }

  private computeStatus(): DayStatus {
    const source = this.inputs.source();
    return dayStatusOf(
      this.planner.session(),
      this.planner.current.calendar,
      this.inputs.settings().exchange,
      source,
      this.plan(source).registrations,
    );
  }

  private phaseChanged(): void {
    this.statusOfTurn = undefined;
    this.inputs.onPhaseChange();
    void this.loadHolidays();
  }

  /** The holiday calendar of the running source, asked at most once a day (holidayCalendar.ts). */
  private loadHolidays(): Promise<void> {
    if (!this.planner.current.calendar) return Promise.resolve();
    return this.inputs.rest().holidays(this.planner.current.now(), (provider) => this.planner.setHolidays(provider));
  }
}
