/**
 * The day planner: the feed's clock and session state, and ONE timer armed at the next phase change
 * (never polling), whose firing makes the feed re-plan its registrations (auction feeds added at 08:30,
 * released at 09:00…) and tell the views the phase changed.
 *
 * The clock is the machine's for KIS sources and the demo simulator, and the simulated clock of the
 * embedded simulator in calendar mode (`kisMarket.simulator.clock`), so the planner and the simulator
 * agree on the phase. Holidays come from a provider (the REST holiday calendar plugs in with
 * `setHolidays`); until one is given the session clock's "holiday unknown" path applies.
 */
import { Disposable, toDisposable } from '../../common/lifecycle';
import { sessionAt, type HolidayProvider, type SessionState } from '../../market/sessionClock';

/** The clock a feed runs on. */
export interface DayClock {
  /** Epoch ms now (simulated in calendar-mode simulator runs). */
  now(): number;
  /** Simulated ms per real ms (1 for the real clock). */
  speed: number;
  /**
   * Whether the data follows the trading calendar (KIS, or the simulator with a clock). False for the
   * demo simulator, which streams at any hour: then no phase is "closed" and no silence expected.
   */
  calendar: boolean;
}

/** The machine's clock, following the calendar. */
export const REAL_CLOCK: DayClock = { now: () => Date.now(), speed: 1, calendar: true };

/**
 * What the demo plans for: a regular session of both venues (a Monday 11:00 KST, every day open), since
 * the demo simulator streams every feed at any hour.
 */
const DEMO_SESSION: SessionState = sessionAt(Date.parse('2026-12-07T11:00:00+09:00'), () => 'open');

/** Longest single timer wait (setTimeout's limit is 2^31-1 ms); a longer wait re-arms. */
const MAX_WAIT_MS = 6 * 3_600_000;

/** See the file comment. */
export class DayPlanner extends Disposable {
  private clock: DayClock = REAL_CLOCK;
  private holidays: HolidayProvider | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Phase changes seen (timer firings that crossed a change): diagnostics and tests. */
  changes = 0;

  /** @param onPhaseChange called after each phase change (and after a clock or holiday change) */
  constructor(private readonly onPhaseChange: () => void) {
    super();
    this._register(toDisposable(() => this.disarm()));
  }

  /** The clock in use. */
  get current(): DayClock {
    return this.clock;
  }

  /** Switches the clock (a source start) and re-arms; `arm` false while nothing runs (no timer then). */
  setClock(clock: DayClock, arm = true): void {
    this.clock = clock;
    if (arm) this.arm();
  }

  /** Plugs in a holiday calendar (the REST client's); re-arms, since the next change may move. */
  setHolidays(provider: HolidayProvider | undefined): void {
    this.holidays = provider;
    this.arm();
    this.onPhaseChange();
  }

  /** The session state now on the feed's clock. */
  session(): SessionState {
    return sessionAt(this.clock.now(), this.holidays);
  }

  /** The session the registrations follow: the clock's, or a regular session for the demo. */
  planningSession(): SessionState {
    return this.clock.calendar ? this.session() : DEMO_SESSION;
  }

  /** Arms the timer at the next phase change. */
  arm(): void {
    this.disarm();
    const state = this.session();
    const wait = Math.max(0, (state.nextChangeAt - state.at) / this.clock.speed);
    const crosses = wait <= MAX_WAIT_MS;
    // +1 ms: fire just after the boundary, so the session there is already the new phase.
    this.timer = setTimeout(() => this.fire(crosses), Math.min(wait, MAX_WAIT_MS) + 1);
    this.timer.unref?.();
  }

  /** Stops the timer (the feed stopped). */
  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(crossed: boolean): void {
    this.timer = undefined;
    this.arm();
    if (!crossed) return;
    this.changes++;
    this.onPhaseChange();
  }
}
