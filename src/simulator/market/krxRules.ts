/**
 * KRX price rules the market model needs (kis-protocol.md, KRX appendix): tick sizes, the ±30 % daily
 * band and the sign codes. Pure functions.
 */
import type { Sign } from '../../kis/types';

/** Tick size (호가가격단위) of a KOSPI/KOSDAQ stock at `price`, the same for both markets since 2023-01-25. */
export function tickSize(price: number): number {
  if (price < 2000) return 1;
  if (price < 5000) return 5;
  if (price < 20000) return 10;
  if (price < 50000) return 50;
  if (price < 200000) return 100;
  if (price < 500000) return 500;
  return 1000;
}

/** True when `price` is a positive integer on its tick grid. */
export function isOnTick(price: number): boolean {
  return Number.isInteger(price) && price > 0 && price % tickSize(price) === 0;
}

/** The next valid price above `price` (one tick up). */
export function tickUp(price: number): number {
  return price + tickSize(price);
}

/**
 * The next valid price below `price` (one tick down). The tick of the band *below* applies,
 * so 50,000 steps down to 49,950 (tick 50), not 49,900.
 */
export function tickDown(price: number): number {
  return Math.max(1, price - tickSize(price - 1));
}

/** The largest valid price <= `price`. */
export function floorToTick(price: number): number {
  const tick = tickSize(price);
  return Math.max(1, Math.floor(price / tick) * tick);
}

/** The smallest valid price >= `price`. */
export function ceilToTick(price: number): number {
  const tick = tickSize(price);
  return Math.ceil(price / tick) * tick;
}

/** Upper and lower daily limits: ±30 % of the previous close, rounded to a valid tick inside the band. */
export function priceLimits(prevClose: number): { upper: number; lower: number } {
  return { upper: floorToTick(prevClose * 1.3), lower: Math.max(1, ceilToTick(prevClose * 0.7)) };
}

/** The sign code of `price` against the previous close: 1 limit up, 2 up, 3 unchanged, 4 limit down, 5 down. */
export function signOf(price: number, prevClose: number, upper: number, lower: number): Sign {
  if (price >= upper) return '1';
  if (price <= lower) return '4';
  if (price > prevClose) return '2';
  if (price < prevClose) return '5';
  return '3';
}

/** The sign of `price` against a reference (open/high/low): 2 above, 3 equal, 5 below. */
export function relativeSign(price: number, reference: number): Sign {
  if (price > reference) return '2';
  if (price < reference) return '5';
  return '3';
}
