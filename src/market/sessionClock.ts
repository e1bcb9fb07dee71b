/**
 * The session clock: for an instant, the phase of each venue, the next phase change, which feeds are
 * expected to stream, and which registrations a symbol needs. Pure: no I/O, no timers, no machine time
 * zone (everything is computed in KST, UTC+9 all year, from epoch milliseconds). Hours come only from
 * `PHASE_TABLE` (phases.ts).
 */
import {
  minuteOfDay,
  PHASE_TABLE,
  PHASE_WORDS,
  type PhaseId,
  type PhaseRow,
  type StreamKind,
  type Venue,
} from './phases';
import { DAY_MS, formatKstHourMinute, kstMidnight, kstMinuteOfDay, kstWeekday, toKstWallClock } from './time';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Whether a KST date (YYYY-MM-DD) is a trading day: 'unknown' until the holiday calendar is known. */
export type HolidayAnswer = 'open' | 'closed' | 'unknown';
/** Answers for a KST date; the default knows nothing. */
export type HolidayProvider = (kstDate: string) => HolidayAnswer;
const unknownHolidays: HolidayProvider = () => 'unknown';

/** What kind of day a KST date is. */
export type DayKind = 'trading' | 'weekend' | 'holiday' | 'holiday-unknown';

/** A venue's phase at an instant. */
export interface VenuePhase {
  readonly venue: Venue;
  readonly phase: PhaseId;
  /** Epoch ms the phase began (for `closed`, the end of the previous phase, possibly days ago; or undefined when it is not in the look-back). */
  readonly since: number | undefined;
  /** Epoch ms the phase ends (the next change of this venue). */
  readonly until: number;
  /** The phase that follows. */
  readonly next: PhaseId;
  /** The feed kinds of this venue expected to stream now. */
  readonly streams: readonly StreamKind[];
  /** Whether the table row is sourced (false = UNCONFIRMED or closed by default). */
  readonly confirmed: boolean;
}

/** Both venues at an instant. */
export interface SessionState {
  readonly at: number;
  /** KST date YYYY-MM-DD. */
  readonly date: string;
  readonly day: DayKind;
  readonly krx: VenuePhase;
  readonly nxt: VenuePhase;
  /** Epoch ms of the next change of either venue. */
  readonly nextChangeAt: number;
  /** e.g. "KRX regular session, NXT regular session" or "closed until Mon 08:00". */
  readonly words: string;
}

/** KST calendar parts of an instant. */
export function kstParts(at: number): { date: string; weekday: number; minute: number; dayStart: number } {
  const date = toKstWallClock(at).toISOString().slice(0, 10);
  return { date, weekday: kstWeekday(at), minute: kstMinuteOfDay(at), dayStart: kstMidnight(at) };
}

/** The kind of the KST day starting at `dayStart`. */
function dayKind(dayStart: number, holidays: HolidayProvider): DayKind {
  const { date, weekday } = kstParts(dayStart);
  if (weekday === 0 || weekday === 6) return 'weekend';
  const answer = holidays(date);
  return answer === 'closed' ? 'holiday' : answer === 'open' ? 'trading' : 'holiday-unknown';
}

/** Table rows of `venue` in force on a KST date, by start time. */
function rowsOn(venue: Venue, date: string): PhaseRow[] {
  return PHASE_TABLE.filter(
    (r) => r.venue === venue && (r.from === undefined || date >= r.from) && (r.until === undefined || date <= r.until),
  ).sort((a, b) => minuteOfDay(a.start) - minuteOfDay(b.start));
}

/** One interval of a venue's day: a row, or a closed gap. */
interface Interval {
  start: number;
  end: number;
  row: PhaseRow | undefined;
}

/** The intervals of a venue's day (rows only; gaps are implicit). A weekend or holiday has none. */
function intervalsOf(venue: Venue, dayStart: number, holidays: HolidayProvider): Interval[] {
  if (dayKind(dayStart, holidays) === 'weekend' || dayKind(dayStart, holidays) === 'holiday') return [];
  const { date } = kstParts(dayStart);
  return rowsOn(venue, date).map((row) => ({
    start: dayStart + minuteOfDay(row.start) * 60_000,
    end: dayStart + minuteOfDay(row.end) * 60_000,
    row,
  }));
}

/** Rows of `venue` from the day of `at` on, up to `days` days ahead, flattened. */
function upcoming(venue: Venue, dayStart: number, days: number, holidays: HolidayProvider): Interval[] {
  const out: Interval[] = [];
  for (let d = 0; d <= days; d++) out.push(...intervalsOf(venue, dayStart + d * DAY_MS, holidays));
  return out;
}

/** How far ahead the clock looks for the next phase (covers a long holiday run). */
const LOOK_AHEAD_DAYS = 14;

/** The phase of `venue` at `at`. */
export function venuePhaseAt(venue: Venue, at: number, holidays: HolidayProvider = unknownHolidays): VenuePhase {
  const { dayStart } = kstParts(at);
  const before = upcoming(venue, dayStart - DAY_MS * 4, 4, holidays).filter((i) => i.start <= at);
  const after = upcoming(venue, dayStart, LOOK_AHEAD_DAYS, holidays).filter((i) => i.start > at);
  const current = before.find((i) => i.start <= at && at < i.end);
  if (current !== undefined && current.row !== undefined) {
    // The next change: the next row if it starts where this one ends, else a closed gap.
    const following = after[0];
    const next =
      following !== undefined && following.start === current.end ? (following.row?.phase ?? 'closed') : 'closed';
    return {
      venue,
      phase: current.row.phase,
      since: current.start,
      until: current.end,
      next,
      streams: current.row.streams,
      confirmed: current.row.confirmed,
    };
  }
  const last = before.length > 0 ? before[before.length - 1] : undefined;
  const following = after[0];
  return {
    venue,
    phase: 'closed',
    since: last?.end,
    until: following?.start ?? at + LOOK_AHEAD_DAYS * DAY_MS,
    next: following?.row?.phase ?? 'closed',
    streams: [],
    confirmed: false,
  };
}

/** "Mon 08:00" for an instant (KST). */
export function kstWeekdayTime(at: number): string {
  return `${WEEKDAYS[kstWeekday(at)]} ${formatKstHourMinute(at)}`;
}

/** Both venues' phases at `at`, the next change and the words for them. */
export function sessionAt(at: number, holidays: HolidayProvider = unknownHolidays): SessionState {
  const { date, dayStart } = kstParts(at);
  const krx = venuePhaseAt('KRX', at, holidays);
  const nxt = venuePhaseAt('NXT', at, holidays);
  const nextChangeAt = Math.min(krx.until, nxt.until);
  const day = dayKind(dayStart, holidays);
  let words: string;
  if (krx.phase === 'closed' && nxt.phase === 'closed') {
    words = `closed until ${kstWeekdayTime(nextChangeAt)}`;
  } else {
    words = [krx, nxt]
      .filter((v) => v.phase !== 'closed')
      .map((v) => `${v.venue} ${PHASE_WORDS[v.phase]}`)
      .join(', ');
  }
  if (day === 'holiday-unknown') words += ' (holiday calendar unknown)';
  return { at, date, day, krx, nxt, nextChangeAt, words };
}

/** The exchange a user chooses for a symbol's feeds. */
export type ExchangeChoice = 'unified' | 'krx' | 'nxt';

/** TR ids per exchange choice and feed kind. */
const TRS: Readonly<Record<ExchangeChoice, Readonly<Record<StreamKind | 'status', string>>>> = {
  krx: { trade: 'H0STCNT0', book: 'H0STASP0', expected: 'H0STANC0', status: 'H0STMKO0' },
  nxt: { trade: 'H0NXCNT0', book: 'H0NXASP0', expected: 'H0NXANC0', status: 'H0NXMKO0' },
  unified: { trade: 'H0UNCNT0', book: 'H0UNASP0', expected: 'H0UNANC0', status: 'H0UNMKO0' },
};

/** The TR id of a feed kind for an exchange choice. */
export function trFor(choice: ExchangeChoice, kind: StreamKind | 'status'): string {
  return TRS[choice][kind];
}

/** The feed kinds a choice's TRs stream in a session state: the union of the venues it covers. */
function streamsOf(state: SessionState, choice: ExchangeChoice): Set<StreamKind> {
  const venues = choice === 'krx' ? [state.krx] : choice === 'nxt' ? [state.nxt] : [state.krx, state.nxt];
  return new Set(venues.flatMap((v) => v.streams));
}

/** Every TR id expected to stream at this state (any choice). Market status is event-only: never listed. */
export function streamingTrs(state: SessionState): Set<string> {
  const out = new Set<string>();
  for (const choice of ['krx', 'nxt', 'unified'] as const)
    for (const kind of streamsOf(state, choice)) out.add(trFor(choice, kind));
  return out;
}

/** True when silence on `trId` now is expected (its feed is outside its phases): not staleness. */
export function silenceExpected(state: SessionState, trId: string): boolean {
  return !streamingTrs(state).has(trId);
}

/** The registrations one symbol needs in a phase. */
export interface SymbolRegistrations {
  /** The exchange choice actually used (paper forces `krx`). */
  readonly choice: ExchangeChoice;
  /** Why the choice differs from the one asked for. */
  readonly reason?: string;
  /** TR ids, most important first: a budget-limited planner takes a prefix. */
  readonly trIds: readonly string[];
}

/**
 * The registrations a symbol needs now: the trade TR always (the first trade after a phase change must
 * not wait for a re-registration), the book while the book streams, the expected-execution TR in an
 * auction, and the market-status TR while its venue trades (VI/halt events). H0UNMKO0 does not name its
 * stock (kis-ws-more.md §5), so the unified choice takes status from the venue that trades: H0STMKO0
 * while KRX is open, else H0NXMKO0. Paper serves only the KRX trade and book.
 */
export function registrationsFor(state: SessionState, asked: ExchangeChoice, paper: boolean): SymbolRegistrations {
  const choice: ExchangeChoice = paper ? 'krx' : asked;
  const reason = paper && asked !== 'krx' ? 'the paper server serves only the KRX trade and book TRs' : undefined;
  const streams = streamsOf(state, choice);
  const trIds = [trFor(choice, 'trade')];
  if (streams.has('book')) trIds.push(trFor(choice, 'book'));
  if (!paper) {
    if (streams.has('expected')) trIds.push(trFor(choice, 'expected'));
    if (streams.size > 0) {
      const statusChoice: ExchangeChoice = choice !== 'unified' ? choice : state.krx.phase !== 'closed' ? 'krx' : 'nxt';
      trIds.push(trFor(statusChoice, 'status'));
    }
  }
  return reason === undefined ? { choice, trIds } : { choice, reason, trIds };
}
