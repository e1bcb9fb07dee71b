/**
 * Which exchange a trade came from. A KRX or NXT feed says so by its TR; a unified (통합) trade record
 * does not name its venue (kis-ws-more.md §1: H0UNCNT0 = H0NXCNT0's columns, no exchange field), so the
 * venue is read off the phase table at the trade's time: when only one venue trades then, it is that one;
 * when both trade, it stays "KRX+NXT". Pure.
 */
import { venuePhaseAt, type HolidayProvider } from './sessionClock';
import type { Venue } from './phases';

/** Re-exported for the callers that read a trade's instant beside its venue; it lives with Seoul time. */
export { kstInstant } from './time';

/** Where a trade came from, as a row shows it. */
export type TradeVenue = Venue | 'KRX+NXT';

/**
 * The venue of the last trade.
 *
 * @param exchange the feed the trade came on ('KRX', 'NXT' or 'unified')
 * @param at epoch ms of the trade (undefined when unknown: a unified trade then stays "KRX+NXT")
 */
export function tradeVenue(
  exchange: 'KRX' | 'NXT' | 'unified',
  at: number | undefined,
  holidays?: HolidayProvider,
): TradeVenue {
  if (exchange !== 'unified') return exchange;
  if (at === undefined) return 'KRX+NXT';
  const krx = venuePhaseAt('KRX', at, holidays).streams.includes('trade');
  const nxt = venuePhaseAt('NXT', at, holidays).streams.includes('trade');
  return krx === nxt ? 'KRX+NXT' : krx ? 'KRX' : 'NXT';
}
