/**
 * The simulator's whole trading day: NXT and unified trades and books, expected execution in
 * the auctions, market-status (VI) events, and the session clock that says which feed streams when.
 *
 * Consistency the tests rely on:
 * - a unified trade (H0UNCNT0) is a trade of one of the two venue models (KRX = the model H0STCNT0
 *   streams from, NXT = the model H0NXCNT0 streams from; both print around the symbol's one reference
 *   walk), at that venue's price; its cumulative fields and OHLC are the combined tape's (every trade of
 *   both venues), so they never go down whichever venue printed;
 * - every book (H0STASP0, H0NXASP0, H0UNASP0) brackets the last trade of its venue (or of the tape);
 * - the opening auction's expected price walks from a seeded offset to the planned opening price, and
 *   the KRX model opens at exactly that price at 09:00 (its first trade steps from there);
 * - a VI starts when a venue's price moves `VI_STATIC_RATE` or more from its reference (the open, else
 *   the previous close) and lasts `VI_DURATION_MS` of simulated time, with no trades of that venue.
 *
 * With `calendar` off (the embedded demo default) every feed streams at any hour.
 */
import { EventSource } from '../../common/lifecycle';
import { dayLayout } from '../../kis/layouts/day';
import { sessionAt, streamingTrs } from '../../market/sessionClock';
import type { Venue } from '../../market/phases';
import { formatKstTime } from '../../market';
import { floorToTick, tickDown, tickUp } from './krxRules';
import type { SymbolModel } from './venueModel';
import type { SymbolVenues } from './models';
import { hashString } from './prng';
import { simHolidays } from './simCalendar';
import { TRADE_TR } from '../ws/trCatalog';

/** Static VI: a move of 10 % from the reference price (KRX rules for most stocks; 3 % for KOSPI200 names). UNCONFIRMED here. */
export const VI_STATIC_RATE = 0.1;
/** A VI is a two-minute single-price auction (KRX rules). */
export const VI_DURATION_MS = 120_000;
const NO_VENUES: readonly Venue[] = [];
const KRX_ONLY: readonly Venue[] = ['KRX'];
const NXT_ONLY: readonly Venue[] = ['NXT'];
const BOTH_VENUES: readonly Venue[] = ['KRX', 'NXT'];
/** The opening auction the expected price converges over. */
const AUCTION_MS = 30 * 60_000;

/** One VI event of a venue, as the market-status feed reports it. */
interface ViEvent {
  readonly seq: number;
  readonly on: boolean;
}

/** Per-symbol day state. */
class DaySymbol {
  readonly krx: SymbolModel;
  readonly nxt: SymbolModel;
  /** The unified tape: every trade of both venues. */
  readonly unified: SymbolModel;
  /** The opening price the auction converges to. */
  readonly plannedOpen: number;
  /** Seeded offset of the first expected price from the planned open, in ticks (signed). */
  readonly auctionTicks: number;
  readonly viUntil: Record<Venue, number> = { KRX: 0, NXT: 0 };
  readonly viRef: Record<Venue, number> = { KRX: 0, NXT: 0 };
  readonly viEvents: Record<Venue, ViEvent[]> = { KRX: [], NXT: [] };
  /** Alternates the venue of unified trades while both trade. */
  flip = false;

  constructor(venues: SymbolVenues, seed: number) {
    const krx = venues.krx;
    this.krx = krx;
    this.nxt = venues.nxt;
    this.unified = venues.unified;
    const h = hashString(krx.code, seed >>> 0);
    let open = krx.prevClose;
    for (let i = 0; i < h % 4; i++) open = h & 16 ? tickUp(open) : tickDown(open);
    this.plannedOpen = floorToTick(open);
    this.auctionTicks = ((h >>> 5) % 11) - 5;
    this.viRef.KRX = this.viRef.NXT = krx.prevClose;
  }

  model(venue: Venue): SymbolModel {
    return venue === 'KRX' ? this.krx : this.nxt;
  }
}

/** A stream's place in the VI event log of its venue (so each stream reports each event once). */
export interface DayStreamCursor {
  viSeq: number;
}

/** Events of the day. */
export interface DaySimEvents {
  /** One session's data pump ran; the argument is the total so far (tests wait on it). */
  tick: [number];
}

/** The simulator's day: the clock's phases and the records of every whole-day TR. */
export class DaySim extends EventSource<DaySimEvents> {
  private readonly symbols = new Map<string, DaySymbol>();
  private viSeq = 0;
  private ticksValue = 0;

  /**
   * @param venues the shared models of a code (KRX, the one H0STCNT0/H0STASP0 stream from; NXT; the tape)
   * @param seed the run's seed (the planned opening prices)
   * @param calendar true: feeds stream only in their phases (the session clock); false: always (demo)
   */
  constructor(
    private readonly venues: (code: string) => SymbolVenues,
    private readonly seed: number,
    readonly calendar: boolean,
  ) {
    super();
  }

  /** Data ticks seen so far (every session's pump counts one). Tests wait on the 'tick' event. */
  get ticks(): number {
    return this.ticksValue;
  }

  /** Counts one pump of a session and emits 'tick' with the total. */
  tick(): void {
    this.emit('tick', ++this.ticksValue);
  }

  private day(code: string): DaySymbol {
    let d = this.symbols.get(code);
    if (d === undefined) {
      d = new DaySymbol(this.venues(code), this.seed);
      this.symbols.set(code, d);
    }
    return d;
  }

  /**
   * True when `trId` streams at `at` for `code`: in the calendar mode per the session clock, with the
   * venue's trades silent during its VI and its expected execution streaming then; market status
   * streams only when it has an event. Without the calendar every feed streams (the demo).
   */
  streams(trId: string, code: string, at: number): boolean {
    const layout = dayLayout(trId);
    const kind = layout?.kind ?? (trId === 'H0STASP0' ? 'book' : 'trade');
    const venue: Venue = layout?.exchange === 'NXT' ? 'NXT' : 'KRX';
    if (kind === 'status') return true; // sends only events (see `records`)
    const d = this.day(code);
    this.endVi(d, at);
    const inVi = layout?.exchange === 'unified' ? d.viUntil.KRX > at || d.viUntil.NXT > at : d.viUntil[venue] > at;
    if (kind === 'expected' && inVi) return true;
    if (kind === 'trade' && inVi) return false;
    if (!this.calendar) return kind !== 'expected';
    return streamingTrs(sessionAt(at, simHolidays)).has(trId);
  }

  /**
   * Whether KRX trades at `at` (always in the demo): an index is computed from KRX trades, so it streams only
   * then — never on a weekend, a holiday or at night in calendar mode.
   */
  krxTrades(at: number): boolean {
    return !this.calendar || streamingTrs(sessionAt(at, simHolidays)).has(TRADE_TR);
  }

  /**
   * The venues whose trades `trId` prints for `code` at `at`: none outside its phases or in its venue's
   * VI, the venue of a venue feed, and those of the unified feed that trade now (the pump holds them open
   * on the symbol's walk, reference.ts).
   */
  printVenues(trId: string, code: string, at: number): readonly Venue[] {
    const layout = dayLayout(trId);
    if (trId !== TRADE_TR && layout?.kind !== 'trade') return NO_VENUES;
    if (!this.streams(trId, code, at)) return NO_VENUES;
    if (layout?.exchange !== 'unified') return layout?.exchange === 'NXT' ? NXT_ONLY : KRX_ONLY;
    const d = this.day(code);
    const s = this.calendar ? sessionAt(at, simHolidays) : undefined;
    const trades = (venue: Venue): boolean =>
      (s === undefined || (venue === 'KRX' ? s.krx : s.nxt).streams.includes('trade')) && !(d.viUntil[venue] > at);
    return BOTH_VENUES.filter(trades);
  }

  /** Opens the KRX model at the planned price when continuous trading has started and it has not traded. */
  prepare(code: string, at: number): void {
    // The demo keeps the plain walk (its sequence depends only on the seed and the code).
    if (!this.calendar) return;
    const d = this.day(code);
    const phase = sessionAt(at, simHolidays).krx.phase;
    if (d.krx.trades === 0 && (phase === 'regular' || phase === 'after-market')) {
      d.krx.openAt(d.plannedOpen, formatKstTime(new Date(at)));
      d.viRef.KRX = d.plannedOpen;
    }
  }

  /** The NXT model of a code (its walk starts from the KRX previous close). */
  nxtModel(code: string): SymbolModel {
    return this.day(code).nxt;
  }

  /** The price the opening auction converges to and the KRX model opens at. */
  plannedOpen(code: string): number {
    return this.day(code).plannedOpen;
  }

  /** The expected price of `code` at `at`: from the seeded offset to the planned open over the auction. */
  expectedPrice(code: string, at: number): number {
    const d = this.day(code);
    const s = sessionAt(at, simHolidays);
    const phase = s.krx.phase;
    if (phase === 'opening-auction' && s.krx.since !== undefined) {
      const left = Math.max(0, s.krx.until - at) / AUCTION_MS;
      let p = d.plannedOpen;
      const steps = Math.round(Math.abs(d.auctionTicks) * left);
      for (let i = 0; i < steps; i++) p = d.auctionTicks > 0 ? tickUp(p) : tickDown(p);
      return p;
    }
    // Closing auction or VI: around the last price.
    return d.krx.trades > 0 ? d.krx.price : d.plannedOpen;
  }

  /**
   * The records (field arrays joined by '^') of a whole-day TR for `code` at `at`, `n` wanted. Market
   * status returns only the VI events the stream has not yet reported (often none).
   */
  records(
    trId: string,
    code: string,
    n: number,
    time: string,
    date: string,
    at: number,
    cursor: DayStreamCursor,
  ): string[] {
    const layout = dayLayout(trId);
    if (layout === undefined) return [];
    const d = this.day(code);
    const out: string[] = [];
    switch (layout.kind) {
      case 'trade':
        for (let i = 0; i < n; i++) out.push(this.trade(d, layout.exchange, time, date, at));
        return out;
      case 'book': {
        const model = layout.exchange === 'NXT' ? d.nxt : layout.exchange === 'unified' ? d.unified : d.krx;
        const base = model.nextBook(time).split('^');
        const width = layout.columns.length;
        for (let i = 0; i < n; i++) out.push(fit(base, width, { 59: String(d.krx.price), 62: String(d.nxt.price) }));
        return out;
      }
      case 'expected': {
        const price = this.expectedPrice(code, at);
        const fields = d.krx.tradeRecord(time, date).split('^');
        const change = price - d.krx.prevClose;
        const patch: Record<number, string> = {
          2: String(price),
          3: change > 0 ? '2' : change < 0 ? '5' : '3',
          4: String(change),
          5: ((change / d.krx.prevClose) * 100).toFixed(2),
          12: String(100 + (hashString(time) % 900)),
          43: 'A',
          45: String(d.viRef.KRX),
        };
        for (let i = 0; i < n; i++) out.push(fit(fields, layout.columns.length, patch));
        return out;
      }
      case 'status': {
        const venues: Venue[] =
          layout.exchange === 'NXT' ? ['NXT'] : layout.exchange === 'KRX' ? ['KRX'] : ['KRX', 'NXT'];
        this.endVi(d, at);
        const events = venues
          .flatMap((v) => d.viEvents[v])
          .filter((e) => e.seq > cursor.viSeq)
          .sort((a, b) => a.seq - b.seq);
        for (const e of events) {
          const vi = e.on ? 'Y' : 'N';
          const body = ['N', '(null)', '', '', '', '', '55', vi, 'N'];
          // H0UNMKO0 lists no symbol (kis-ws-more.md §5): the simulator sends what the sample lists.
          out.push(
            (trId === 'H0UNMKO0' ? [...body, '1'] : [code, ...body, layout.exchange === 'NXT' ? '2' : '1']).join('^'),
          );
          cursor.viSeq = e.seq;
        }
        return out;
      }
    }
  }

  /** Starts a VI of `venue` for `code` now (tests; the walk starts one when it crosses the threshold). */
  startVi(code: string, venue: Venue, at: number): void {
    const d = this.day(code);
    if (d.viUntil[venue] > at) return;
    d.viUntil[venue] = at + VI_DURATION_MS;
    d.viEvents[venue].push({ seq: ++this.viSeq, on: true });
  }

  /** True while `venue` is in a VI for `code`. */
  inVi(code: string, venue: Venue, at: number): boolean {
    const d = this.day(code);
    this.endVi(d, at);
    return d.viUntil[venue] > at;
  }

  private endVi(d: DaySymbol, at: number): void {
    for (const venue of ['KRX', 'NXT'] as const) {
      if (d.viUntil[venue] !== 0 && d.viUntil[venue] <= at) {
        d.viUntil[venue] = 0;
        d.viRef[venue] = d.model(venue).price;
        d.viEvents[venue].push({ seq: ++this.viSeq, on: false });
      }
    }
  }

  /** Checks a venue's new price against the static VI threshold (calendar mode). */
  checkVi(code: string, venue: Venue, at: number): void {
    // Only the calendar mode starts VIs by itself: the demo's streams never fall silent.
    if (!this.calendar) return;
    const d = this.day(code);
    const ref = d.viRef[venue];
    if (Math.abs(d.model(venue).price - ref) >= ref * VI_STATIC_RATE) this.startVi(code, venue, at);
  }

  /** One trade of a venue's tape; a unified trade is a trade of whichever venue trades (alternating). */
  private trade(d: DaySymbol, exchange: 'KRX' | 'NXT' | 'unified', time: string, date: string, at: number): string {
    let venue: Venue;
    if (exchange === 'unified') {
      const s = this.calendar ? sessionAt(at, simHolidays) : undefined;
      const krx = s === undefined || s.krx.streams.includes('trade');
      const nxt = s === undefined || s.nxt.streams.includes('trade');
      d.flip = !d.flip;
      venue = krx && nxt ? (d.flip ? 'KRX' : 'NXT') : krx ? 'KRX' : 'NXT';
      if (d.viUntil[venue] > at) venue = venue === 'KRX' ? 'NXT' : 'KRX';
    } else {
      venue = exchange;
    }
    if (venue === 'KRX') this.prepare(d.krx.code, at);
    // The venue trades (and passes the trade to the unified tape, whose record the unified feed sends).
    const record =
      exchange === 'unified' ? d.model(venue).nextUnifiedTrade(time, date) : d.model(venue).nextTrade(time, date);
    this.checkVi(d.krx.code, venue, at);
    // The models write H0STCNT0's 46 (or 47) fields; the NXT/unified layout is 46.
    return record.split('^').slice(0, 46).join('^');
  }
}

/** `fields` padded or cut to `width`, with `patch` applied. */
function fit(fields: readonly string[], width: number, patch: Record<number, string>): string {
  const out = fields.slice(0, width);
  while (out.length < width) out.push('0');
  for (const [i, v] of Object.entries(patch)) if (Number(i) < width) out[Number(i)] = v;
  return out.join('^');
}
