/**
 * The `kis-monitor watch` line of a decrypted execution notice: what happened to the order (accepted,
 * filled, refused, cancelled, from the notice's flags) and its order number, side, symbol, quantity and
 * price. The HTS ID, the account number and the account name are left out: the line is for a terminal or
 * a pipe, not for account data.
 */
import {
  H0STCNI0,
  NOTICE_PRIVATE_COLUMNS,
  noticeStatus,
  noticeTrOf,
  OVERSEAS_NOTICE_COLUMNS,
  readNotice,
} from '../kis';

/** True for an execution-notice TR (domestic or overseas, real or paper). */
export function isNoticeTr(trId: string): boolean {
  return noticeTrOf(trId) !== undefined;
}

/** The output line of the notice record at `offset` of a decrypted frame. */
export function noticeLine(
  trId: string,
  fields: readonly string[],
  offset: number,
  width: number,
): Record<string, unknown> {
  if (noticeTrOf(trId)?.market === 'overseas') return overseasLine(trId, fields, offset);
  const n = readNotice(fields, offset, width);
  const flag = (index: number): string => fields[offset + index] ?? '';
  return {
    type: 'record',
    trId,
    kind: 'notice',
    status: noticeStatus({
      RFUS_YN: flag(H0STCNI0.RFUS_YN),
      CNTG_YN: flag(H0STCNI0.CNTG_YN),
      ACPT_YN: flag(H0STCNI0.ACPT_YN),
      RCTF_CLS: flag(H0STCNI0.RCTF_CLS),
    }),
    orderNo: n.orderNo,
    originalOrderNo: n.originalOrderNo,
    side: n.side,
    symbol: n.symbol,
    name: n.symbolName,
    // In an acknowledgement these carry the order's quantity and price (kis-protocol.md §8.3).
    quantity: n.quantity,
    price: n.price,
    orderQuantity: n.orderQuantity,
    orderPrice: n.orderPrice,
    orderKind: n.orderKind,
    time: n.time,
  };
}

/** An overseas notice by its column names (values as sent: CNTG_UNPR has implied decimals), private ones left out. */
function overseasLine(trId: string, fields: readonly string[], offset: number): Record<string, unknown> {
  const named: Record<string, string> = {};
  OVERSEAS_NOTICE_COLUMNS.forEach((column, i) => {
    if (!(NOTICE_PRIVATE_COLUMNS as readonly string[]).includes(column)) named[column] = fields[offset + i] ?? '';
  });
  return {
    type: 'record',
    trId,
    kind: 'notice',
    status: noticeStatus({
      RFUS_YN: named.RFUS_YN,
      CNTG_YN: named.CNTG_YN,
      ACPT_YN: named.ACPT_YN,
      RCTF_CLS: named.RCTF_CLS,
    }),
    fields: named,
  };
}
