/**
 * The execution notice (H0STCNI0/H0STCNI9, 26 fields) of each order event, as the fields that differ from
 * ws/notice.ts's defaults. Flags per kis-protocol.md §8.3 and src/kis/orders.ts: an acknowledgement has
 * CNTG_YN 1 and carries the order's quantity and price in CNTG_QTY/CNTG_UNPR (the legacy labels say so);
 * a fill has CNTG_YN 2 and carries that fill's own quantity and price; a refusal has RFUS_YN 1; a cancel
 * has RCTF_CLS 2, its own order number and the original's in OODER_NO, and the cancelled quantity. Numbers
 * are zero-padded to the widths of KIS's portal example (CNTG_QTY 10, prices and ODER_QTY 9).
 */
import {
  NOTICE_ACCEPTANCE,
  NOTICE_CORRECTION,
  NOTICE_FILL,
  NOTICE_REFUSAL,
  NOTICE_SIDE,
  ORDER_DIVISION,
} from '../../kis/orders';
import type { NoticeFields } from '../ws/notice';
import type { OrderEvent } from './paperAccount';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The notice fields of `event` for the account `account` (`12345678-01`). */
export function noticeFieldsOf(event: OrderEvent, account: string): NoticeFields {
  const { order } = event;
  const fill = event.kind === 'filled';
  const cancel = event.kind === 'cancelled';
  return {
    ACNT_NO: account.replace('-', ''),
    // A cancel is an order of its own, on the original one.
    ODER_NO: cancel ? event.cancelOrderNo : order.orderNo,
    OODER_NO: cancel ? order.orderNo : '',
    SELN_BYOV_CLS: NOTICE_SIDE[order.side],
    RCTF_CLS: cancel ? NOTICE_CORRECTION.cancel : NOTICE_CORRECTION.normal,
    ODER_KIND: order.market ? ORDER_DIVISION.market : ORDER_DIVISION.limit,
    STCK_SHRN_ISCD: order.symbol,
    CNTG_QTY: pad(fill || cancel ? event.quantity : order.quantity, 10),
    CNTG_UNPR: pad(fill ? event.price : order.price, 9),
    STCK_CNTG_HOUR: fill || cancel ? event.time : order.time,
    RFUS_YN: event.kind === 'refused' ? NOTICE_REFUSAL.refused : NOTICE_REFUSAL.approved,
    CNTG_YN: fill ? NOTICE_FILL.fill : NOTICE_FILL.acknowledgement,
    ACPT_YN: fill ? NOTICE_ACCEPTANCE.confirmed : NOTICE_ACCEPTANCE.accepted,
    ODER_QTY: pad(order.quantity, 9),
    ODER_PRC: pad(order.price, 9),
  };
}
