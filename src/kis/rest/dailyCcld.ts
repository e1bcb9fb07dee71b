/**
 * inquire-daily-ccld (주식일별주문체결조회) on the wire: the endpoint, today's query, the continuation rule and
 * a strict validator of one page. Pure: no I/O.
 *
 * Source: the official sample `examples_llm/domestic_stock/inquire_daily_ccld`: `GET
 * /uapi/domestic-stock/v1/trading/inquire-daily-ccld`, tr_id TTTC0081R real / VTTC0081R paper (within three
 * months); at most 100 rows a page on real and 15 on paper; more pages while the response header `tr_cont`
 * is F or M, asked with `tr_cont: N` and the body's `ctx_area_fk100`/`ctx_area_nk100` sent back. One row is
 * one ORDER (its total filled quantity and average fill price), not one fill.
 */
import type { AccountNumber, BalanceCursor } from './balance';
import type { EndpointSpec } from './intlEndpoints';
import { BodyError, type Envelope } from './responses';

/** The endpoint (today's orders: the "inner" three-month TR). */
export const DAILY_CCLD: EndpointSpec = {
  path: '/uapi/domestic-stock/v1/trading/inquire-daily-ccld',
  trId: { real: 'TTTC0081R', paper: 'VTTC0081R' },
};

/**
 * The query of one page for `date` (YYYYMMDD, KST): every side (SLL_BUY_DVSN_CD 00), filled and unfilled
 * (CCLD_DVSN 00), newest first (INQR_DVSN 00), every kind of credit (INQR_DVSN_3 00), every exchange.
 */
export function dailyCcldQuery(
  account: AccountNumber,
  date: string,
  cursor: BalanceCursor = { fk100: '', nk100: '' },
): Record<string, string> {
  return {
    CANO: account.cano,
    ACNT_PRDT_CD: account.product,
    INQR_STRT_DT: date,
    INQR_END_DT: date,
    SLL_BUY_DVSN_CD: '00',
    INQR_DVSN: '00',
    PDNO: '',
    CCLD_DVSN: '00',
    ORD_GNO_BRNO: '',
    ODNO: '',
    INQR_DVSN_3: '00',
    INQR_DVSN_1: '',
    CTX_AREA_FK100: cursor.fk100,
    CTX_AREA_NK100: cursor.nk100,
    EXCG_ID_DVSN_CD: 'ALL',
  };
}

/** One order of the day (output1 row), the fields the Fills view uses. */
export interface DailyOrder {
  /** odno, without its zero padding. */
  orderNo: string;
  /** orgn_odno, without its zero padding ('' for a new order). */
  originalOrderNo: string;
  /** sll_buy_dvsn_cd 01 sell / 02 buy. */
  side: 'buy' | 'sell' | 'other';
  /** pdno. */
  symbol: string;
  /** prdt_name. */
  name: string;
  /** ord_qty. */
  orderQuantity: number;
  /** ord_unpr. */
  orderPrice: number;
  /** ord_tmd HHMMSS. */
  time: string;
  /** tot_ccld_qty. */
  filledQuantity: number;
  /** avg_prvs: the average fill price. */
  averagePrice: number;
  /** cncl_yn === 'Y'. */
  cancelled: boolean;
  /** rjct_qty. */
  refusedQuantity: number;
}

/** One page: its orders and the keys of the next one. */
export interface DailyCcldPage {
  orders: DailyOrder[];
  cursor: BalanceCursor;
}

type Obj = Record<string, unknown>;

function text(row: Obj, key: string): string {
  const v = row[key];
  if (typeof v !== 'string') throw new BodyError(key);
  return v.trim();
}

/** A number field; KIS leaves some empty for "none", which reads as 0. */
function amount(row: Obj, key: string): number {
  const s = text(row, key);
  if (s === '') return 0;
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) throw new BodyError(key);
  return Number(s);
}

/** A field KIS may leave out of the row altogether (read as ''). */
function optional(row: Obj, key: string): string {
  const v = row[key];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Validates one page. `output1` must be an array of objects; an all-empty row (KIS pads short answers)
 * is dropped. A missing or malformed field refuses the page (BodyError names the field, never its value).
 */
export function parseDailyCcldPage(env: Envelope): DailyCcldPage {
  const rows = env.body.output1;
  if (!Array.isArray(rows)) throw new BodyError('output1');
  const orders: DailyOrder[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new BodyError('output1');
    const r = row as Obj;
    if (Object.values(r).every((v) => v === '')) continue;
    const orderNo = text(r, 'odno').replace(/^0+/, '');
    if (orderNo === '') throw new BodyError('odno');
    const symbol = text(r, 'pdno');
    if (!/^[0-9A-Z]{6,9}$/.test(symbol)) throw new BodyError('pdno');
    const sideCode = text(r, 'sll_buy_dvsn_cd');
    orders.push({
      orderNo,
      originalOrderNo: optional(r, 'orgn_odno').replace(/^0+/, ''),
      side: sideCode === '01' ? 'sell' : sideCode === '02' ? 'buy' : 'other',
      symbol,
      name: optional(r, 'prdt_name'),
      orderQuantity: amount(r, 'ord_qty'),
      orderPrice: amount(r, 'ord_unpr'),
      time: text(r, 'ord_tmd'),
      filledQuantity: amount(r, 'tot_ccld_qty'),
      averagePrice: amount(r, 'avg_prvs'),
      cancelled: optional(r, 'cncl_yn') === 'Y',
      refusedQuantity: r.rjct_qty === undefined ? 0 : amount(r, 'rjct_qty'),
    });
  }
  const fk = env.body.ctx_area_fk100;
  const nk = env.body.ctx_area_nk100;
  return { orders, cursor: { fk100: typeof fk === 'string' ? fk : '', nk100: typeof nk === 'string' ? nk : '' } };
}
