import assert from 'node:assert/strict';
import { formatMessage } from '../../../src/common/translate';
import { rowStateText, type RowStateInput } from '../../../src/views/watchlist/rowState';
import { tradesExpectedNow } from '../../../src/views/dayText';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';
import { statsRows, statusView, type StatusInput } from '../../../src/views/status/statusBarModel';
import { detailsDocument } from '../../../src/views/status/detailsModel';
import { rowView, NO_VALUE } from '../../../src/webview/display';
import { sessionAt } from '../../../src/market/sessionClock';
import type { QuoteState } from '../../../src/shared/snapshot';

const open = (): 'open' => 'open';
/** A Tuesday, in KST. */
const at = (hhmm: string): number => Date.parse(`2026-12-08T${hhmm}:00+09:00`);
/** 15:30:00 KST, the close: the time of the last REST price in the evening. */
const CLOSE = at('15:30');

function input(over: Partial<RowStateInput> = {}): RowStateInput {
  return {
    origin: { kind: 'live' },
    mode: { kind: 'live' },
    marketOpen: true,
    holiday: false,
    problem: undefined,
    streaming: true,
    ...over,
  };
}

function quote(over: Partial<QuoteState> = {}): QuoteState {
  return {
    symbol: '000660',
    last: 69_500,
    change: 0,
    rate: 0,
    sign: '3',
    volume: 0,
    value: 0,
    open: 0,
    high: 0,
    low: 0,
    vwap: 0,
    bestBid: 0,
    bestAsk: 0,
    lastTickTime: '',
    businessDate: '',
    lastUpdateAt: 0,
    halted: false,
    trades: 0,
    ...over,
  };
}
const EXPECTED = {
  price: 71_200,
  change: 1_700,
  rate: 2.45,
  sign: '2',
  volume: 12_000,
  time: '085600',
  exchange: 'unified',
} as const;

describe('the trading day on screen', () => {
  it('expects no trade in an auction or while closed, and trades in continuous sessions (and in the demo)', () => {
    const day = (hhmm: string, exchange: 'unified' | 'krx' = 'unified'): boolean =>
      tradesExpectedNow({ session: sessionAt(at(hhmm), open), exchange, calendar: true });
    assert.equal(day('08:56'), false, 'KRX opening auction, NXT between its sessions');
    assert.equal(day('08:40', 'krx'), false, 'KRX opening auction alone');
    assert.equal(day('15:25'), false, 'KRX closing auction, NXT paused');
    assert.equal(day('21:00'), false, 'closed');
    assert.equal(day('08:40'), true, 'NXT pre-market trades');
    assert.equal(day('09:00'), true);
    assert.equal(
      tradesExpectedNow({ session: sessionAt(at('21:00'), open), exchange: 'unified', calendar: false }),
      true,
      'the demo streams at any hour',
    );
  });

  it('never marks a row stale in an auction: silence before the open is the phase', () => {
    const auction = rowStateText(input({ tradesNow: false }), formatMessage);
    assert.equal(auction.quiet, true);
    const ctx: RowContext = {
      now: at('08:59'),
      marketOpen: true,
      staleAfterMs: 30_000,
      convention: 'korean',
      language: 'en',
      t: formatMessage,
      rowState: () => auction,
    };
    // The REST price of 08:31 (28 minutes old) with the expected price streaming.
    const row = buildRow('000660', quote({ lastUpdateAt: at('08:31'), expected: EXPECTED }), 0, 1, ctx);
    assert.equal(row.stale, false);
    assert.doesNotMatch(row.description, /stale/);
    assert.equal(row.label, 'SK hynix  ≈71,200  +2.45%');
    assert.match(row.description, /^\+1,700 expected/);
    assert.equal(
      rowStateText(input({ tradesNow: true }), formatMessage).quiet,
      false,
      'in continuous trading the stale rule applies',
    );
  });

  it('dates a row by its auction while it shows an expected price, not by the REST price it started with', () => {
    const state = rowStateText(
      input({ origin: { kind: 'rest', asOf: at('08:55') }, tradesNow: false, auctionTime: '085642' }),
      formatMessage,
    );
    assert.equal(state.words, 'as of 08:56');
    assert.equal(state.tooltip, 'Expected price as of 08:56:42 KST; the first trade of the open replaces it.');
    assert.equal(state.quiet, true);
    assert.equal(
      rowStateText(input({ origin: { kind: 'rest', asOf: at('08:55') }, tradesNow: false }), formatMessage).words,
      'as of 08:55',
      'without an expected price: the REST time',
    );
  });

  it('says what a failed refresh means while closed: the last price, the reason and when it is asked again, not "the live stream goes on"', () => {
    const retryAt = at('20:31');
    const state = rowStateText(
      input({
        origin: { kind: 'rest', asOf: CLOSE },
        marketOpen: false,
        problem: 'TOKEN_TOO_SOON',
        retryAt,
        now: retryAt - 42_000,
      }),
      formatMessage,
    );
    assert.equal(state.words, 'closed · as of 15:30 · refresh failed');
    assert.equal(
      state.tooltip,
      'Last price from 15:30, refresh failed: KIS token limit (one a minute) (TOKEN_TOO_SOON), retry in 42 s.',
    );
    const due = rowStateText(
      input({
        origin: { kind: 'rest', asOf: CLOSE },
        marketOpen: false,
        problem: 'TOKEN_TOO_SOON',
        retryAt,
        now: retryAt,
      }),
      formatMessage,
    );
    assert.match(due.tooltip ?? '', /, retrying now\.$/);
    const unknown = rowStateText(
      input({ origin: undefined, marketOpen: false, problem: 'UNKNOWN_SYMBOL' }),
      formatMessage,
    );
    assert.equal(unknown.tooltip, 'No price yet, refresh failed: unknown symbol (UNKNOWN_SYMBOL), not retried.');
    assert.equal(state.quiet, true);
    const none = rowStateText(input({ origin: undefined, marketOpen: false, problem: 'REST_DOWN' }), formatMessage);
    assert.equal(none.words, 'price unavailable');
    assert.doesNotMatch(none.tooltip ?? '', /live stream/);
    const restRow = rowStateText(
      input({ origin: undefined, mode: { kind: 'rest', everySeconds: 5 }, problem: 'RATE_LIMITED' }),
      formatMessage,
    );
    assert.doesNotMatch(restRow.tooltip ?? '', /live stream/, 'a REST row has no live stream to go on');
    assert.match(
      rowStateText(input({ origin: undefined, problem: 'TIMEOUT', retryAt: CLOSE + 5_000, now: CLOSE }), formatMessage)
        .tooltip ?? '',
      /KIS REST timed out \(TIMEOUT\)\), retry in 5 s; the live stream goes on/,
    );
  });

  it('says the times of the feed clock: a simulated Saturday, not the machine time', () => {
    const saturday = Date.parse('2026-12-12T11:00:00+09:00');
    const machine = Date.parse('2026-12-07T05:52:37+09:00');
    const shown = (a: number): number => saturday - (machine - a);
    const state = rowStateText(
      input({ origin: { kind: 'rest', asOf: machine - 60_000 }, marketOpen: false, shown }),
      formatMessage,
    );
    assert.equal(state.words, 'closed · as of 10:59');
    assert.equal(state.tooltip, 'Market closed: last price as of 10:59:00 KST.');
  });

  it('says the tooltip\'s times (a data gap, the last tick before "stale") on the feed clock', () => {
    const machine = Date.parse('2026-12-07T05:52:37+09:00');
    const shown = (a: number): number => a - machine + Date.parse('2026-12-08T10:00:00+09:00');
    const ctx: RowContext = {
      now: machine,
      marketOpen: true,
      staleAfterMs: 30_000,
      convention: 'korean',
      language: 'en',
      t: formatMessage,
      shown,
      gapOf: () => ({
        trKey: '000660',
        trId: 'H0STCNT0',
        from: machine - 120_000,
        to: machine - 60_000,
        reason: 'closed',
      }),
    };
    const row = buildRow('000660', quote({ lastUpdateAt: machine - 300_000, trades: 3 }), 0, 1, ctx);
    assert.match(row.tooltip, /No tick since 09:55:00 KST/);
    assert.match(row.tooltip, /Missed data from 09:58:00 to 09:59:00 KST/);
  });

  it('shows the status bar and Connection Details times on the feed clock', () => {
    const machine = Date.UTC(2026, 11, 6, 20, 52, 37); // 05:52:37 KST on the machine
    const shown = (a: number): number => a - machine + Date.parse('2026-12-12T11:00:00+09:00');
    const status: StatusInput = {
      source: 'simulator',
      session: 'running',
      marketOpen: false,
      phase: 'closed until Mon 08:00',
      watchlistSize: 1,
      now: machine,
      staleAfterMs: 30_000,
      t: formatMessage,
      shown,
      agent: {
        state: 'open',
        connectedSince: machine - 60_000,
        reconnects: 0,
        messages: 1,
        records: 1,
        bytes: 1,
        messagesPerSec1s: 0,
        messagesPerSec10s: 0,
        parseErrors: 0,
        handlerErrors: 0,
        pingpongs: 0,
        lastTickAt: { '000660': machine - 1_000 },
        subscriptionsUsed: 1,
        subscriptionLimit: 41,
        refused: 0,
        lastMessageAt: machine - 1_000,
      },
    };
    const rows = new Map(statsRows(status));
    assert.equal(rows.get('Connected since'), '10:59:00 KST');
    assert.equal(rows.get('Last message'), '10:59:59 KST');
    const doc = detailsDocument(status, (s) => s);
    assert.equal(doc.footer, 'Updated at 11:00:00 KST.');
    assert.deepEqual(doc.sections.find((s) => s.title === 'Last tick per symbol')?.rows, [
      ['000660 000660', '10:59:59 KST'],
    ]);
    assert.doesNotMatch(statusView(status).tooltipMarkdown, /05:5/);
  });

  it('ticker rows: the expected price marked ≈ in an auction, the previous close before the first trade, never 0', () => {
    const auction = rowView('000660', 'SK hynix', quote({ expected: EXPECTED }));
    assert.deepEqual(
      [auction.last, auction.change, auction.rate, auction.direction],
      ['≈71,200', '+1,700', '+2.45%', 'up'],
    );
    const before = rowView('000660', 'SK hynix', quote());
    assert.deepEqual([before.last, before.change, before.rate, before.volume], ['69,500', '0', '0.00%', NO_VALUE]);
    const bare = rowView('000660', 'SK hynix', quote({ last: 0 }));
    assert.deepEqual([bare.last, bare.change, bare.rate, bare.volume], [NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE]);
  });
});
