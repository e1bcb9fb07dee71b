import assert from 'node:assert/strict';
import { formatMessage } from '../../../src/common/translate';
import { rowStateText, type RowStateInput } from '../../../src/views/watchlist/rowState';
import { restRows } from '../../../src/views/status/restText';
import { statusView, type StatusInput } from '../../../src/views/status/statusBarModel';
import { renderDetails } from '../../../src/views/status/detailsModel';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';
import type { RestPriceStats } from '../../../src/feed';
import type { QuoteState } from '../../../src/shared/snapshot';

/** 10:42:07 KST on a trading day. */
const AS_OF = Date.parse('2026-12-04T10:42:07+09:00');

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
const words = (over: Partial<RowStateInput>): string | undefined => rowStateText(input(over), formatMessage).words;

describe('row state in words', () => {
  it('says "live" for a streamed row with a live tick', () => {
    assert.deepEqual(rowStateText(input(), formatMessage), { words: 'live', tooltip: undefined, quiet: false });
  });

  it('says "every N s" for a row refreshed by REST, with the time of its price in the tooltip', () => {
    const state = rowStateText(
      input({ origin: { kind: 'rest', asOf: AS_OF }, mode: { kind: 'rest', everySeconds: 5 } }),
      formatMessage,
    );
    assert.equal(state.words, 'every 5 s');
    assert.match(state.tooltip ?? '', /refreshed by REST \(every 5 s\)\. Last price as of 10:42:07 KST\./);
    assert.equal(state.quiet, true, 'a REST row is never "stale"');
    assert.equal(words({ mode: { kind: 'rest', everySeconds: 0 } }), 'by REST');
  });

  it('says "as of HH:MM" for a live row that has only its REST price yet', () => {
    assert.equal(words({ origin: { kind: 'rest', asOf: AS_OF } }), 'as of 10:42');
    assert.equal(words({ origin: { kind: 'rest', asOf: AS_OF }, streaming: false }), 'as of 10:42');
    assert.equal(words({ origin: undefined }), undefined, 'no quote: the row already says "waiting for data"');
  });

  it('says "closed" with the time of the price while the market is closed', () => {
    const state = rowStateText(input({ origin: { kind: 'rest', asOf: AS_OF }, marketOpen: false }), formatMessage);
    assert.equal(state.words, 'closed · as of 10:42');
    assert.equal(state.quiet, true);
    assert.equal(words({ marketOpen: false }), 'closed');
  });

  it('says "closed: holiday" on an exchange holiday, whatever the mode', () => {
    assert.equal(
      words({ holiday: true, marketOpen: false, origin: { kind: 'rest', asOf: AS_OF } }),
      'closed: holiday · as of 10:42',
    );
    assert.equal(
      words({ holiday: true, marketOpen: false, mode: { kind: 'rest', everySeconds: 5 } }),
      'closed: holiday',
    );
  });

  it('says "price unavailable" when REST failed for a row that does not stream now, never for a live-ticking row', () => {
    const state = rowStateText(input({ problem: 'REST_DOWN', origin: undefined }), formatMessage);
    assert.equal(state.words, 'price unavailable');
    assert.match(state.tooltip ?? '', /REST_DOWN.*the live stream goes on/);
    assert.equal(words({ problem: 'TIMEOUT', mode: { kind: 'rest', everySeconds: 5 } }), 'price unavailable');
    assert.equal(
      words({ problem: 'TIMEOUT', marketOpen: false, origin: undefined }),
      'price unavailable',
      'closed with no price at all',
    );
    assert.equal(words({ problem: 'TIMEOUT' }), 'live', 'live ticks are the price');
  });

  it('puts the words in the row description and keeps the label layout "name  price  rate"', () => {
    const q = {
      symbol: '005930',
      last: 71900,
      change: 1200,
      rate: 1.7,
      sign: '2',
      volume: 1,
      value: 1,
      open: 1,
      high: 1,
      low: 1,
      vwap: 1,
      bestBid: 0,
      bestAsk: 0,
      lastTickTime: '104207',
      businessDate: '20261204',
      lastUpdateAt: AS_OF,
      halted: false,
      trades: 0,
    } as QuoteState;
    const ctx: RowContext = {
      now: AS_OF + 3_600_000,
      marketOpen: true,
      staleAfterMs: 60_000,
      convention: 'korean',
      language: 'en',
      t: formatMessage,
      rowState: () =>
        rowStateText(
          input({ origin: { kind: 'rest', asOf: AS_OF }, mode: { kind: 'rest', everySeconds: 7 } }),
          formatMessage,
        ),
      pinned: () => false,
    };
    const row = buildRow('005930', q, 0, 2, ctx);
    assert.equal(row.label, 'Samsung Elec  71,900  +1.70%');
    assert.match(row.description, /^\+1,200 · every 7 s/);
    assert.equal(row.stale, false, 'an hour-old REST price on a REST row is not stale');
    assert.match(row.tooltip, /refreshed by REST/);
    assert.match(row.contextValue, /\bcanPin\b/);
    assert.match(buildRow('005930', q, 0, 2, { ...ctx, pinned: () => true }).contextValue, /\bpinned\b/);
    assert.equal(
      buildRow('005930', q, 0, 2, { ...ctx, rowState: undefined }).stale,
      true,
      'without the state the old rule applies',
    );
  });
});

describe('REST stats rows', () => {
  const base: RestPriceStats = {
    requests: 160,
    ok: 157,
    errors: { REST_DOWN: 2, TIMEOUT: 0, RATE_LIMITED: 1 } as RestPriceStats['errors'],
    rateLimitedResponses: 1,
    retries: 1,
    tokensIssued: 1,
    tokensFromStore: 0,
    tokensInvalidated: 0,
    limiterWaitMs: 1234.4,
    holidayQueries: 1,
    unavailable: 2,
    refreshed: 59,
    everySeconds: 5,
  };

  it('lists requests, errors by code, rate-limit waits, token issuances, the refresh cycle and the last error', () => {
    const rows = new Map(restRows({ ...base, lastError: { code: 'REST_DOWN', at: AS_OF } }, formatMessage));
    assert.equal(rows.get('REST requests'), '160 (157 ok)');
    assert.equal(rows.get('REST errors'), 'REST_DOWN ×2, RATE_LIMITED ×1');
    assert.equal(rows.get('REST rate limit'), '1234 ms waited, 1 refused (EGW00201)');
    assert.equal(rows.get('REST tokens'), '1 issued, 0 from the store');
    assert.equal(rows.get('REST refresh'), '59 symbols every 5 s');
    assert.equal(rows.get('Rows without a price'), '2');
    assert.equal(rows.get('REST last error'), 'REST_DOWN 10:42:07 KST');
  });

  it('shows them in the status tooltip and Connection Details, with the rows refreshed by REST', () => {
    const status: StatusInput = {
      source: 'simulator',
      session: 'running',
      marketOpen: true,
      phase: 'demo',
      watchlistSize: 60,
      now: AS_OF,
      staleAfterMs: 30_000,
      t: formatMessage,
      rest: base,
      restSymbols: [
        { symbol: '000660', everySeconds: 5, asOf: AS_OF },
        { symbol: '035420', everySeconds: 5, problem: 'TIMEOUT', retryAt: AS_OF + 4_200 },
        { symbol: '005380', everySeconds: 0 },
      ],
    };
    assert.match(statusView(status).tooltipPlain, /By REST: 59 symbols every 5 s/);
    assert.match(statusView(status).tooltipPlain, /Rows without a price: 2/);
    const text = renderDetails(status, (s) => (s === '000660' ? 'SK하이닉스' : s));
    assert.match(text, /## Refreshed by REST/);
    assert.match(text, /\| REST requests \| 160 \(157 ok\) \|/);
    assert.match(text, /\| SK하이닉스 000660 \| every 5 s, as of 10:42:07 KST \|/);
    assert.match(text, /\| 035420 035420 \| price unavailable \(TIMEOUT\), retry in 5 s \|/);
    assert.match(text, /\| 005380 005380 \| by REST \|/);
    assert.doesNotMatch(
      renderDetails({ ...status, restSymbols: [] }, (s) => s),
      /Refreshed by REST/,
    );
  });

  it('says nothing happened when nothing did', () => {
    const rows = new Map(restRows({ ...base, errors: {} as RestPriceStats['errors'], refreshed: 0 }, formatMessage));
    assert.equal(rows.get('REST errors'), '0');
    assert.equal(rows.get('REST refresh'), '–');
    assert.equal(rows.get('REST last error'), '–');
  });
});
