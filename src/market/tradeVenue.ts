/**
 * Which exchange a trade came from. A KRX or NXT feed says so by its TR; a unified (통합) trade record
 * does not name its venue (kis-ws-more.md §1: H0UNCNT0 = H0NXCNT0's columns, no exchange field), so the
 * venue is read off the phase table at the trade's time: when only one venue trades then, it is that one;
 * when both trade, it stays "KRX+NXT". Pure.
 */
import { venuePhaseAt, type HolidayProvider } from './sessionClock';
import type { Venue } from './phases';

/** Where a trade came from, as a row shows it. */
export type TradeVenue = Venue | 'KRX+NXT';

/** Epoch ms of a KST business date (YYYYMMDD) and time (HHMMSS); undefined when either is malformed. */
export function kstInstant(businessDate: string, time: string): number | undefined {
  if (!/^\d{8}$/.test(businessDate) || !/^\d{6}$/.test(time)) return undefined;
  const ms = Date.parse(`${businessDate.slice(0, 4)}-${businessDate.slice(4, 6)}-${businessDate.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}+09:00`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The venue of the last trade.
 *
 * @param exchange the feed the trade came on ('KRX', 'NXT' or 'unified')
 * @param at epoch ms of the trade (undefined when unknown: a unified trade then stays "KRX+NXT")
 */
export function tradeVenue(exchange: 'KRX' | 'NXT' | 'unified', at: number | undefined, holidays?: HolidayProvider): TradeVenue {
  if (exchange !== 'unified') return exchange;
  if (at === undefined) return 'KRX+NXT';
  const krx = venuePhaseAt('KRX', at, holidays).streams.includes('trade');
  const nxt = venuePhaseAt('NXT', at, holidays).streams.includes('trade');
  return krx === nxt ? 'KRX+NXT' : krx ? 'KRX' : 'NXT';
}
