import * as assert from 'node:assert/strict';
import {
  formatStyledChange,
  formatSymbolChange,
  formatSymbolPrice,
  newYorkOffsetMinutes,
  priceStyleOf,
  usMarketTypeCode,
  usSession,
  wallClock,
} from '../../../src/market';

const utc = (y: number, m: number, d: number, h: number, min = 0): number => Date.UTC(y, m - 1, d, h, min);

describe('US sessions by the New York clock (time-zone database, not a fixed offset)', () => {
  it('reads New York as EST (−5 h) before the March change and EDT (−4 h) after it, and back in November', () => {
    assert.equal(newYorkOffsetMinutes(utc(2026, 3, 6, 15)), -300, 'Fri 6 March 2026: EST');
    assert.equal(newYorkOffsetMinutes(utc(2026, 3, 9, 15)), -240, 'Mon 9 March 2026: EDT (changed on Sun 8 March)');
    assert.equal(newYorkOffsetMinutes(utc(2026, 10, 30, 15)), -240, 'Fri 30 October 2026: EDT');
    assert.equal(
      newYorkOffsetMinutes(utc(2026, 11, 2, 15)),
      -300,
      'Mon 2 November 2026: EST (changed on Sun 1 November)',
    );
    assert.equal(newYorkOffsetMinutes(utc(2026, 1, 1, 2)), -300, 'across midnight: NY is still on the previous day');
  });

  it('moves the sessions with the March change: the same UTC instant is pre-market on Friday and regular on Monday', () => {
    // 13:30 UTC = 08:30 EST (pre) but 09:30 EDT (the open).
    assert.equal(usSession(utc(2026, 3, 6, 13, 30)), 'pre');
    assert.equal(usSession(utc(2026, 3, 9, 13, 30)), 'regular');
    // 20:30 UTC = 15:30 EST (regular) but 16:30 EDT (after).
    assert.equal(usSession(utc(2026, 3, 6, 20, 30)), 'regular');
    assert.equal(usSession(utc(2026, 3, 9, 20, 30)), 'after');
  });

  it('moves them back with the November change', () => {
    assert.equal(usSession(utc(2026, 10, 30, 13, 30)), 'regular', '09:30 EDT');
    assert.equal(usSession(utc(2026, 11, 2, 13, 30)), 'pre', '08:30 EST');
    assert.equal(usSession(utc(2026, 10, 30, 23, 59)), 'after', '19:59 EDT');
    assert.equal(usSession(utc(2026, 11, 3, 0, 59)), 'after', 'Mon 2 November 19:59 EST');
    // 20:00 EST is 10:00 KST: the after-market hands over to KIS's day session; in EDT an hour lies between.
    assert.equal(usSession(utc(2026, 11, 3, 1, 0)), 'day', '20:00 EST = 10:00 KST Tuesday');
    assert.equal(usSession(utc(2026, 10, 28, 0, 0)), 'closed', '20:00 EDT = 09:00 KST');
  });

  it('has session bounds at 04:00, 09:30, 16:00 and 20:00 New York time on weekdays, and closed at weekends', () => {
    // Wednesday 15 July 2026, EDT (UTC−4).
    assert.equal(usSession(utc(2026, 7, 15, 7, 59)), 'closed', '03:59');
    assert.equal(usSession(utc(2026, 7, 15, 8, 0)), 'pre', '04:00');
    assert.equal(usSession(utc(2026, 7, 15, 13, 29)), 'pre', '09:29');
    assert.equal(usSession(utc(2026, 7, 15, 19, 59)), 'regular', '15:59');
    assert.equal(usSession(utc(2026, 7, 15, 20, 0)), 'after', '16:00');
    assert.equal(usSession(utc(2026, 7, 16, 0, 0)), 'closed', '20:00');
    assert.equal(usSession(utc(2026, 7, 18, 15, 0)), 'closed', 'Saturday 11:00');
  });

  it('has KIS’s day session 10:00–16:00 KST on Korean weekdays', () => {
    // Thursday 16 July 2026 10:00 KST = 01:00 UTC (21:00 EDT Wednesday, after the after-market).
    assert.equal(usSession(utc(2026, 7, 16, 1, 0)), 'day');
    assert.equal(usSession(utc(2026, 7, 16, 6, 59)), 'day', '15:59 KST');
    assert.equal(usSession(utc(2026, 7, 16, 7, 0)), 'closed', '16:00 KST');
    assert.equal(usSession(utc(2026, 7, 18, 2, 0)), 'closed', 'Saturday 11:00 KST');
    assert.equal(usMarketTypeCode('day'), '1');
    assert.equal(usMarketTypeCode('regular'), '1');
    assert.equal(usMarketTypeCode('pre'), '2');
    assert.equal(usMarketTypeCode('after'), '3');
    assert.equal(usMarketTypeCode('closed'), undefined);
  });

  it('gives a zone’s wall clock with weekday and date', () => {
    assert.deepEqual(
      wallClock(utc(2026, 3, 8, 7, 0), 'America/New_York'),
      { weekday: 0, minutes: 3 * 60, date: '20260308' },
      '03:00 EDT, just after the jump',
    );
    assert.deepEqual(
      wallClock(utc(2026, 3, 8, 6, 59), 'America/New_York'),
      { weekday: 0, minutes: 60 + 59, date: '20260308' },
      '01:59 EST',
    );
  });
});

describe('price formatting per kind', () => {
  it('formats KRW as whole won, indices with two decimals and no currency, US in dollars with cents', () => {
    assert.equal(priceStyleOf('005930'), 'krw');
    assert.equal(priceStyleOf('0001'), 'index');
    assert.equal(priceStyleOf('DNASAAPL'), 'usd');
    assert.equal(formatSymbolPrice('005930', 71900), '71,900');
    assert.equal(formatSymbolPrice('0001', 2650.1), '2,650.10');
    assert.equal(formatSymbolPrice('DNASAAPL', 169.79), '$169.79');
    assert.equal(formatSymbolPrice('DNASAAPL', 1234.5), '$1,234.50');
    assert.equal(formatSymbolPrice('DNASSIRI', 0.1234), '$0.1234', 'sub-dollar quotes keep four decimals');
    assert.equal(formatSymbolPrice('DNASAAPL', Number.NaN), '–');
  });

  it('signs changes in the same styles', () => {
    assert.equal(formatSymbolChange('005930', 1200), '+1,200');
    assert.equal(formatSymbolChange('0001', -12.34), '-12.34');
    assert.equal(formatSymbolChange('DNASAAPL', 0.2), '+$0.20');
    assert.equal(formatSymbolChange('DNASAAPL', -0.19), '-$0.19');
    assert.equal(formatSymbolChange('DNASSIRI', -0.005), '-$0.0050');
    assert.equal(formatSymbolChange('DNASAAPL', 0), '$0.00');
    assert.equal(formatStyledChange(Number.POSITIVE_INFINITY, 'usd'), '–');
  });
});
