import assert from 'node:assert/strict';
import { formatMessage } from '../../../src/common/translate';
import { displayName } from '../../../src/market/symbolInput';
import type { QuoteState } from '../../../src/shared/snapshot';
import {
  builtInGroups,
  INDICES_GROUP_ID,
  statusBarIndexText,
  statusBarIndexTooltip,
  usRowSession,
  usSessionWords,
} from '../../../src/views/watchlist/intlRows';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';

/** 2026-03-09 (Mon, the day after New York moved to EDT) 14:00 UTC = 10:00 EDT: regular session. */
const NY_REGULAR = Date.UTC(2026, 2, 9, 14, 0);
/** 2026-03-06 (Fri) 14:00 UTC = 09:00 EST: pre-market (the same UTC hour a week later is regular). */
const NY_PRE_EST = Date.UTC(2026, 2, 6, 14, 0);
/** 2026-03-09 21:00 UTC = 17:00 EDT: after-hours. */
const NY_AFTER = Date.UTC(2026, 2, 9, 21, 0);
/** 2026-03-10 03:00 UTC = 12:00 KST Tue: KIS's day session. */
const KST_DAY = Date.UTC(2026, 2, 10, 3, 0);
/** 2026-03-07 (Sat) 15:00 UTC: closed. */
const WEEKEND = Date.UTC(2026, 2, 7, 15, 0);

function quote(symbol: string, over: Partial<QuoteState>): QuoteState {
  return {
    symbol,
    last: 0,
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
    lastTickTime: '101500',
    businessDate: '20260309',
    lastUpdateAt: NY_REGULAR,
    halted: false,
    trades: 1,
    ...over,
  };
}

const ctx = (over: Partial<RowContext> = {}): RowContext => ({
  now: NY_REGULAR,
  marketOpen: false,
  staleAfterMs: 30_000,
  convention: 'korean',
  language: 'en',
  t: formatMessage,
  ...over,
});

describe('views: index and US rows', () => {
  it('makes the listed indices one built-in group, in watchlist order, and no group without an index', () => {
    const list = ['005930', '1001', 'DNASAAPL', '0001', '000660'];
    assert.deepEqual(builtInGroups(list, formatMessage), [
      { id: INDICES_GROUP_ID, name: 'Indices', symbols: ['1001', '0001'] },
    ]);
    assert.deepEqual(builtInGroups(['005930', 'DNASAAPL'], formatMessage), [], 'no group without an index');
    assert.deepEqual(builtInGroups([], formatMessage), []);
  });

  it('shows an index in points with two decimals and no currency, named, coloured by the sign', () => {
    const row = buildRow('0001', quote('0001', { last: 2650.12, change: -12.34, rate: -0.46, sign: '5' }), 0, 1, ctx());
    assert.equal(row.label, 'KOSPI  2,650.12  -0.46%');
    assert.match(row.description, /^-12\.34/);
    assert.equal(row.colorId, 'kisMarket.down');
    assert.doesNotMatch(row.tooltip, /VWAP/, 'an index has no VWAP');
    assert.match(row.tooltip, /\*\*KOSPI\*\* `0001`/);
  });

  it('shows a US row in dollars with cents, its session by the New York clock, the change coloured by the convention', () => {
    const q = quote('DNASAAPL', {
      last: 169.7901,
      change: 0.195,
      rate: 0.11,
      sign: '2',
      vwap: 169.7731,
      bestBid: 169.77,
      bestAsk: 169.79,
    });
    const korean = buildRow('DNASAAPL', q, 0, 1, ctx());
    assert.equal(korean.label, 'AAPL  $169.79  +0.11%');
    assert.match(korean.description, /^\+\$0\.20 · US regular session/);
    assert.match(korean.tooltip, /\*\*AAPL Apple Inc\*\* `DNASAAPL`/);
    assert.equal(korean.colorId, 'kisMarket.up');
    assert.equal(buildRow('DNASAAPL', q, 0, 1, ctx({ convention: 'western' })).colorId, 'kisMarket.westernUp');
    assert.match(korean.tooltip, /\$169\.77 \/ \$169\.79/);
    assert.match(korean.tooltip, /VWAP \$169\.77 \|/);
  });

  it('says the US session of the feed’s clock (a simulated weekend), not the machine’s', () => {
    const q = quote('DNASAAPL', { last: 169.79, change: 0.2, rate: 0.11, sign: '2' });
    // The machine is in New York's regular session; the simulated clock is on a Saturday.
    const row = buildRow('DNASAAPL', q, 0, 1, ctx({ now: NY_REGULAR, shown: (at) => at - NY_REGULAR + WEEKEND }));
    assert.match(row.description, /US market closed/);
    assert.doesNotMatch(row.description, /US regular session/);
  });

  it('tells the US sessions apart across the March DST change, and a day-session key trades only in KIS’s day session', () => {
    assert.equal(usRowSession('DNASAAPL', NY_PRE_EST), 'pre');
    assert.equal(usRowSession('DNASAAPL', NY_REGULAR), 'regular');
    assert.equal(usRowSession('DNASAAPL', NY_AFTER), 'after');
    assert.equal(usRowSession('DNASAAPL', KST_DAY), 'closed');
    assert.equal(usRowSession('RBAQAAPL', KST_DAY), 'day');
    assert.equal(usRowSession('RBAQAAPL', NY_REGULAR), 'closed');
    assert.equal(usRowSession('DNASAAPL', WEEKEND), 'closed');
    assert.equal(usRowSession('005930', NY_REGULAR), undefined);
    const words = [NY_PRE_EST, NY_REGULAR, NY_AFTER, WEEKEND].map((at) => usSessionWords('DNYSKO', at, formatMessage));
    assert.deepEqual(words, ['US pre-market', 'US regular session', 'US after-hours', 'US market closed']);
    assert.equal(usSessionWords('RBAYKO', KST_DAY, formatMessage), 'US day session');
    assert.equal(usSessionWords('0001', KST_DAY, formatMessage), undefined);
  });

  it('names indices and US keys in both languages; an unknown ticker by itself', () => {
    assert.equal(displayName('1001', 'ko'), 'KOSDAQ');
    assert.equal(displayName('DNASAAPL', 'ko'), 'AAPL 애플');
    assert.equal(displayName('DNASAAPL', 'en'), 'AAPL Apple Inc');
    assert.equal(displayName('DNYSIBM', 'en'), 'IBM');
  });

  it('writes the status-bar index: name, points, rate; a dash before the first value', () => {
    assert.equal(statusBarIndexText('0001', quote('0001', { last: 2650.12, rate: -0.46 })), 'KOSPI 2,650.12 -0.46%');
    assert.equal(statusBarIndexText('2001', undefined), 'KOSPI 200 –');
    assert.equal(
      statusBarIndexTooltip('0001', quote('0001', { last: 2650.12, change: -12.34, rate: -0.46 }), formatMessage),
      'KOSPI: 2,650.12 (-12.34, -0.46%)',
    );
    assert.match(statusBarIndexTooltip('1001', undefined, formatMessage), /KOSDAQ: no value yet/);
  });
});
