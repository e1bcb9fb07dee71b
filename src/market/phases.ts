/**
 * THE table of trading phases of a KRX and a Nextrade (NXT) day, as data with the source of each row
 * beside it. Nothing else in the code knows a trading hour: the session clock (`sessionClock.ts`) reads
 * this table, and the few fixed spans the rest of the code needs (the KRX day session the simulator trades
 * and charts, the open a minute-bar query starts from) are derived from it below. Rows marked `confirmed: false` are UNCONFIRMED (no KIS text states them); change the
 * row, not the code, when a source settles it.
 *
 * Sources (see the external KIS fact sheets kis-ws-more.md §9 and kis-protocol.md §10 and its appendix):
 * - OFFICIAL-PT: KIS sample `examples_llm/domestic_stock/comp_program_trade_today` docstring "장시간(09:00~15:30)".
 * - OFFICIAL-W1: KIS sample `domestic_stock_functions_ws.py` "국내주식 시간외 단일가(16:00~18:00)".
 * - RULES: general KRX rules (kis-protocol.md appendix): opening auction 08:30–09:00, closing auction
 *   15:20–15:30, after-hours closing price 15:40–16:00. Not in KIS sources.
 * - NOTICE-2026-09-09: KRX 16:00–20:00 after-market from 2026-09-14, trades on the regular TRs with
 *   MARKET_CLS_CODE 3 (kis-protocol.md §10, REPORTED).
 * - X4-NXT: third-party notes: NXT pre-market 08:00–08:50, main 09:00–15:20, after-market 15:30/15:40–20:00
 *   (sources disagree on 15:30 vs 15:40; 15:30 is used here).
 */

/** The exchanges with a schedule. */
export type Venue = 'KRX' | 'NXT';

/** The phases of a day. `closed` is whatever no row covers. */
export type PhaseId =
  | 'closed'
  | 'pre-market'
  | 'opening-auction'
  | 'regular'
  | 'closing-auction'
  | 'after-hours-close'
  | 'after-hours-single'
  | 'after-market';

/** What streams, per feed kind, on the venue's own TRs during a phase (market status is event-only). */
export type StreamKind = 'trade' | 'book' | 'expected';

/** One row of the table. Times are KST "HH:MM", `end` exclusive. */
export interface PhaseRow {
  readonly venue: Venue;
  readonly phase: PhaseId;
  readonly start: string;
  readonly end: string;
  /** First KST date (YYYY-MM-DD) the row applies, inclusive; absent = always. */
  readonly from?: string;
  /** Last KST date the row applies, inclusive; absent = still. */
  readonly until?: string;
  /** The feeds of this venue expected to stream in the phase (silence outside them is not staleness). */
  readonly streams: readonly StreamKind[];
  readonly source: string;
  readonly confirmed: boolean;
}

/** The KRX after-market replaced the after-hours single-price session on this date (REPORTED). */
export const KRX_AFTER_MARKET_FROM = '2026-09-14';

/** The table. Weekdays only; weekends and holidays are closed all day. */
export const PHASE_TABLE: readonly PhaseRow[] = [
  {
    venue: 'KRX',
    phase: 'opening-auction',
    start: '08:30',
    end: '09:00',
    streams: ['book', 'expected'],
    source: 'RULES',
    confirmed: false,
  },
  {
    venue: 'KRX',
    phase: 'regular',
    start: '09:00',
    end: '15:20',
    streams: ['trade', 'book'],
    source: 'OFFICIAL-PT (09:00–15:30); 15:20 split RULES',
    confirmed: true,
  },
  {
    venue: 'KRX',
    phase: 'closing-auction',
    start: '15:20',
    end: '15:30',
    streams: ['book', 'expected'],
    source: 'RULES',
    confirmed: false,
  },
  // Closing-price and single-price trades come on H0STOAC0/H0STOUP0, not on the TRs we read: nothing streams.
  {
    venue: 'KRX',
    phase: 'after-hours-close',
    start: '15:40',
    end: '16:00',
    streams: [],
    source: 'RULES',
    confirmed: false,
  },
  {
    venue: 'KRX',
    phase: 'after-hours-single',
    start: '16:00',
    end: '18:00',
    until: '2026-09-13',
    streams: [],
    source: 'OFFICIAL-W1',
    confirmed: true,
  },
  {
    venue: 'KRX',
    phase: 'after-market',
    start: '16:00',
    end: '20:00',
    from: KRX_AFTER_MARKET_FROM,
    streams: ['trade', 'book'],
    source: 'NOTICE-2026-09-09 (REPORTED)',
    confirmed: false,
  },
  {
    venue: 'NXT',
    phase: 'pre-market',
    start: '08:00',
    end: '08:50',
    streams: ['trade', 'book'],
    source: 'X4-NXT',
    confirmed: false,
  },
  {
    venue: 'NXT',
    phase: 'regular',
    start: '09:00',
    end: '15:20',
    streams: ['trade', 'book'],
    source: 'X4-NXT',
    confirmed: false,
  },
  {
    venue: 'NXT',
    phase: 'after-market',
    start: '15:30',
    end: '20:00',
    streams: ['trade', 'book'],
    source: 'X4-NXT (15:30 vs 15:40 disputed)',
    confirmed: false,
  },
];

/** Minutes after midnight of a table time "HH:MM". */
export function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The one row of a phase on a venue that is not bounded by dates (the table holds exactly one). */
function standingRow(venue: Venue, phase: PhaseId): PhaseRow {
  const row = PHASE_TABLE.find(
    (r) => r.venue === venue && r.phase === phase && r.from === undefined && r.until === undefined,
  );
  if (row === undefined) throw new Error(`PHASE_TABLE has no standing ${venue} ${phase} row`);
  return row;
}

/**
 * The KRX day session in minutes after midnight KST: from the regular open to the end of the closing
 * auction (09:00–15:30, the "장시간" of KIS's samples). `close` is exclusive as a phase end, and the last
 * minute bar of the day is stamped with it.
 */
export const KRX_DAY_SESSION_MINUTES: { readonly open: number; readonly close: number } = {
  open: minuteOfDay(standingRow('KRX', 'regular').start),
  close: minuteOfDay(standingRow('KRX', 'closing-auction').end),
};

/** The KRX open as KIS writes a time of day (HHMMSS): where a day's minute bars begin. */
export const KRX_OPEN_HHMMSS = `${standingRow('KRX', 'regular').start.replace(':', '')}00`;

/** Words for a phase, as the status bar and rows say them. */
export const PHASE_WORDS: Readonly<Record<PhaseId, string>> = {
  closed: 'closed',
  'pre-market': 'pre-market',
  'opening-auction': 'opening auction',
  regular: 'regular session',
  'closing-auction': 'closing auction',
  'after-hours-close': 'after-hours closing price',
  'after-hours-single': 'after-hours single price',
  'after-market': 'after-market',
};
