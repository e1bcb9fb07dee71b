/**
 * The registry of every TR layout: how wide a record of any TR must be, asked of the KRX, whole-day and
 * index/US layouts in turn. It sits above the three so none of them imports another's registry.
 */
import { dayMinimumWidth } from './day';
import { intlMinimumWidth } from './intl';
import { H0STASP0_WIDTH, H0STCNI0_WIDTH_LEGACY, H0STCNT0_WIDTH, TR } from './krx';
import { H0GSCNI0_WIDTH, INTL_NOTICE_TR } from './notice';

/**
 * The fewest fields a record of `trId` may have (0 for TRs without a known layout).
 * Longer records are accepted because KIS appends fields over time (kis-protocol.md §11.2).
 */
export function minimumWidth(trId: string): number {
  switch (trId) {
    case TR.TRADE:
      return H0STCNT0_WIDTH;
    case TR.ORDER_BOOK:
      return H0STASP0_WIDTH;
    case TR.NOTICE:
    case TR.NOTICE_PAPER:
      return H0STCNI0_WIDTH_LEGACY;
    case INTL_NOTICE_TR.real:
    case INTL_NOTICE_TR.paper:
      return H0GSCNI0_WIDTH;
    default:
      return dayMinimumWidth(trId) || intlMinimumWidth(trId);
  }
}
