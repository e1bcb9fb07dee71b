/**
 * Execution notices (체결통보) read into one typed `FillNotice` for the views: the domestic H0STCNI0 /
 * H0STCNI9 (26 fields, 23 in the legacy layout) and the overseas H0GSCNI0 / H0GSCNI9 (25 fields), with the
 * column names of the official samples (`examples_llm/domestic_stock/ccnl_notice`,
 * `examples_llm/overseas_stock/ccnl_notice`; kis-protocol.md §8.3, §8.4). Pure.
 *
 * What a notice says about the order (`status`) comes from three flags, in this order: RFUS_YN 1 is a
 * refusal whatever else is set; ACPT_YN 3 (FOK/IOC remainder cancelled) or RCTF_CLS 2 (a cancel order) is a
 * cancellation; CNTG_YN 2 is a fill; anything else is the acknowledgement of an order or a modification.
 */
import { num } from './fields';
import { NOTICE_TR_IDS, noticeStatus, OVERSEAS_NOTICE_COLUMNS, type NoticeStatus } from '../orders';
import { H0STCNI0, H0STCNI0_WIDTH, H0STCNI0_WIDTH_LEGACY, readNotice } from './krx';

/** The overseas notice TRs (real, paper). */
export const INTL_NOTICE_TR = NOTICE_TR_IDS.overseas;

/** The domestic notice TRs (real, paper). */
export const KRX_NOTICE_TR = NOTICE_TR_IDS.domestic;

/** Every notice TR id. */
export const NOTICE_TRS: ReadonlySet<string> = new Set([
  KRX_NOTICE_TR.real,
  KRX_NOTICE_TR.paper,
  INTL_NOTICE_TR.real,
  INTL_NOTICE_TR.paper,
]);

/** H0GSCNI0 / H0GSCNI9 columns in wire order (official overseas `ccnl_notice`, 25 columns): the order facts' list. */
export const H0GSCNI0_COLUMNS = OVERSEAS_NOTICE_COLUMNS;

/** H0GSCNI0 field indexes, from the column list. */
export const H0GSCNI0 = Object.fromEntries(H0GSCNI0_COLUMNS.map((name, i) => [name, i])) as {
  readonly [K in (typeof H0GSCNI0_COLUMNS)[number]]: number;
};

export const H0GSCNI0_WIDTH = 25;

/** What the notice says about the order. */
/** What a notice says of its order (the rule of the flags lives with the order facts, ../orders.ts). */
export type FillStatus = NoticeStatus;

/** One execution notice, as the views use it (never the account number, name or HTS ID). */
export interface FillNotice {
  market: 'krx' | 'us';
  side: 'buy' | 'sell' | 'other';
  /** STCK_SHRN_ISCD, trimmed. */
  symbol: string;
  /** CNTG_ISNM40 (domestic) / CNTG_ISNM (overseas), trimmed; '' when absent. */
  name: string;
  /** CNTG_QTY: this fill's quantity (the order quantity in an acknowledgement). */
  quantity: number;
  /** CNTG_UNPR: this fill's price (the order price in an acknowledgement). */
  price: number;
  /** ODER_QTY. */
  orderQuantity: number;
  /** ODER_NO, without its zero padding. */
  orderNo: string;
  /** OODER_NO of a modification or cancel, without leading zeros; '' for a new order. */
  originalOrderNo: string;
  /** STCK_CNTG_HOUR HHMMSS ('' where the exchange sends none). */
  time: string;
  status: FillStatus;
}

/** Why a record could not be read. */
export type NoticeReadError = 'UNKNOWN_WIDTH' | 'NO_SYMBOL' | 'NOT_A_NOTICE';

/** The result of reading one record. */
export type NoticeRead = { ok: true; notice: FillNotice } | { ok: false; code: NoticeReadError };

function field(fields: readonly string[], at: number): string {
  const s = fields[at];
  return s === undefined ? '' : s.trim();
}

/** An order number without its zero padding ('' for none: a new order's OODER_NO is all zeros). */
function orderNumber(s: string): string {
  return s.trim().replace(/^0+/, '');
}

function sideOf(code: string): FillNotice['side'] {
  // Overseas 03 전매도 sells, 04 환매수 buys back (kis-protocol.md §8.4).
  if (code === '01' || code === '03') return 'sell';
  if (code === '02' || code === '04') return 'buy';
  return 'other';
}

/**
 * The overseas price: CNTG_UNPR carries implied decimals (US 4: `001480100` is 148.0100), while
 * CNTG_UNPR12 (newer) is a plain decimal when present.
 */
function intlPrice(raw: string, raw12: string): number {
  if (raw12 !== '' && raw12.includes('.')) return num(raw12);
  if (raw.includes('.')) return num(raw);
  return num(raw) / 10_000;
}

/**
 * Reads the notice record of `trId` at `offset` with `width` fields per record. A width neither layout
 * has, or a record without a symbol, is an error the caller counts (its content is account data: it is
 * never echoed).
 */
export function readFillNotice(trId: string, fields: readonly string[], offset: number, width: number): NoticeRead {
  if (trId === KRX_NOTICE_TR.real || trId === KRX_NOTICE_TR.paper) {
    if (width !== H0STCNI0_WIDTH && width !== H0STCNI0_WIDTH_LEGACY) return { ok: false, code: 'UNKNOWN_WIDTH' };
    const n = readNotice(fields, offset, width);
    const symbol = n.symbol.trim();
    if (symbol === '') return { ok: false, code: 'NO_SYMBOL' };
    return {
      ok: true,
      notice: {
        market: 'krx',
        side: n.side,
        symbol,
        name: n.symbolName.trim(),
        quantity: n.quantity,
        price: n.price,
        orderQuantity: n.orderQuantity,
        orderNo: orderNumber(n.orderNo),
        originalOrderNo: orderNumber(n.originalOrderNo),
        time: n.time.trim(),
        status: noticeStatus({
          RFUS_YN: field(fields, offset + H0STCNI0.RFUS_YN),
          CNTG_YN: field(fields, offset + H0STCNI0.CNTG_YN),
          ACPT_YN: field(fields, offset + H0STCNI0.ACPT_YN),
          RCTF_CLS: field(fields, offset + H0STCNI0.RCTF_CLS),
        }),
      },
    };
  }
  if (trId === INTL_NOTICE_TR.real || trId === INTL_NOTICE_TR.paper) {
    if (width !== H0GSCNI0_WIDTH) return { ok: false, code: 'UNKNOWN_WIDTH' };
    const at = (i: number): string => field(fields, offset + i);
    const symbol = at(H0GSCNI0.STCK_SHRN_ISCD);
    if (symbol === '') return { ok: false, code: 'NO_SYMBOL' };
    return {
      ok: true,
      notice: {
        market: 'us',
        side: sideOf(at(H0GSCNI0.SELN_BYOV_CLS)),
        symbol,
        name: at(H0GSCNI0.CNTG_ISNM),
        quantity: num(at(H0GSCNI0.CNTG_QTY)),
        price: intlPrice(at(H0GSCNI0.CNTG_UNPR), at(H0GSCNI0.CNTG_UNPR12)),
        orderQuantity: num(at(H0GSCNI0.ODER_QTY)),
        orderNo: orderNumber(at(H0GSCNI0.ODER_NO)),
        originalOrderNo: orderNumber(at(H0GSCNI0.OODER_NO)),
        time: at(H0GSCNI0.STCK_CNTG_HOUR),
        status: noticeStatus({
          RFUS_YN: at(H0GSCNI0.RFUS_YN),
          CNTG_YN: at(H0GSCNI0.CNTG_YN),
          ACPT_YN: at(H0GSCNI0.ACPT_YN),
          RCTF_CLS: at(H0GSCNI0.RCTF_CLS),
        }),
      },
    };
  }
  return { ok: false, code: 'NOT_A_NOTICE' };
}
