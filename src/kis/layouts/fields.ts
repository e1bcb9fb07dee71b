/**
 * What every TR layout shares: a layout described as data, and the reading of one wire field as a
 * number or a sign. The KRX, whole-day and index/US layouts (krx.ts, day.ts, intl.ts) build on this
 * and not on one another's helpers.
 */
import type { Sign } from '../types';

/** One TR's layout as data (the whole-day TRs in day.ts, the index and US TRs in intl.ts). */
export interface TrLayout<Kind extends string> {
  readonly trId: string;
  readonly kind: Kind;
  /** Column names in wire order, as the official sample lists them (its `columns` list). */
  readonly columns: readonly string[];
  /** Every documented record width, narrowest first. */
  readonly widths: readonly number[];
  /** Where the list comes from, and what is unconfirmed. */
  readonly source: string;
}

/**
 * Wire number → number. `+s` is V8's fastest string-to-number path; '' reads as 0 (KIS leaves fields
 * empty for "none") and anything unparsable as 0 rather than NaN, so one bad field cannot poison sums.
 */
export function num(s: string | undefined): number {
  if (s === undefined) return 0;
  const n = +s;
  return n === n ? n : 0; // n !== n only for NaN
}

/** Validates a sign code; anything else (pykis sees '0') means unchanged. */
export function toSign(s: string | undefined): Sign {
  return s === '1' || s === '2' || s === '4' || s === '5' ? s : '3';
}
