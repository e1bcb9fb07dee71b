import assert from 'node:assert/strict';
import {
  formatChange,
  formatCompact,
  formatTimeField,
  formatPerSecond,
  formatPrice,
  formatRate,
  formatSeconds,
  formatVolume,
} from '../../../src/market/format';
import { formatKstClock } from '../../../src/market/time';

describe('format', () => {
  it('groups prices by thousands without depending on the locale', () => {
    assert.equal(formatPrice(0), '0');
    assert.equal(formatPrice(999), '999');
    assert.equal(formatPrice(71900), '71,900');
    assert.equal(formatPrice(1012000), '1,012,000');
    assert.equal(formatPrice(-1234567), '-1,234,567');
    assert.equal(formatPrice(72023.834, 2), '72,023.83');
    assert.equal(formatPrice(Number.NaN), '–');
  });

  it('signs changes and rates', () => {
    assert.equal(formatChange(1200), '+1,200');
    assert.equal(formatChange(-300), '-300');
    assert.equal(formatChange(0), '0');
    assert.equal(formatChange(Number.POSITIVE_INFINITY), '–');
    assert.equal(formatRate(1.7), '+1.70%');
    assert.equal(formatRate(-0.14), '-0.14%');
    assert.equal(formatRate(0), '0.00%');
    assert.equal(formatRate(-0.001), '0.00%', 'a rate that rounds to zero has no sign');
    assert.equal(formatRate(Number.NaN), '–');
  });

  it('compacts volumes to three significant digits', () => {
    assert.equal(formatVolume(950), '950');
    assert.equal(formatVolume(12_345), '12.3K');
    assert.equal(formatVolume(3_052_507), '3.05M');
    assert.equal(formatVolume(219_853_241_700), '220B');
    assert.equal(formatCompact(999_999), '1M', 'rounding carries into the next unit');
    assert.equal(formatCompact(-1500), '-1.5K');
    assert.equal(formatCompact(2e12), '2T');
    assert.equal(formatCompact(Number.NaN), '–');
  });

  it('formats per-second rates for the status bar', () => {
    assert.equal(formatPerSecond(0), '0/s');
    assert.equal(formatPerSecond(-3), '0/s');
    assert.equal(formatPerSecond(2.46), '2.5/s');
    assert.equal(formatPerSecond(42.4), '42/s');
    assert.equal(formatPerSecond(1234), '1.23k/s');
  });

  it('formats KST times from HHMMSS and from instants, whatever TZ is', () => {
    assert.equal(formatTimeField('093015'), '09:30:15');
    assert.equal(formatTimeField('9301'), '');
    assert.equal(formatTimeField('ab3015'), '');
    // 2026-11-25T00:30:05Z is 09:30:05 in Seoul.
    assert.equal(formatKstClock(Date.UTC(2026, 10, 25, 0, 30, 5)), '09:30:05');
    assert.equal(formatKstClock(Date.UTC(2026, 10, 25, 15, 0, 0)), '00:00:00');
  });

  it('rounds countdowns up so they never show 0 s while waiting', () => {
    assert.equal(formatSeconds(1), '1s');
    assert.equal(formatSeconds(4200), '5s');
    assert.equal(formatSeconds(-50), '0s');
    assert.equal(formatSeconds(120_000), '2m');
    assert.equal(formatSeconds(125_000), '2m 5s');
  });
});
