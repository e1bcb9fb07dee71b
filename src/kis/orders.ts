/**
 * Your own orders on the wire, as data in one place: the execution-notice TRs per source, their column
 * lists and the meaning of their Y/N flags; the REST paths, tr_ids, bodies and columns of order-cash
 * (주식주문(현금)) and inquire-daily-ccld (주식일별주문체결조회). The simulator serves these and the product
 * reads them; neither spells a TR id, a column or a flag value anywhere else. Pure: no I/O.
 *
 * Sources (KIS's official samples, github koreainvestment/open-trading-api, are the final word):
 * - `examples_llm/domestic_stock/ccnl_notice`: H0STCNI0 real / H0STCNI9 paper, 26 columns; "CNTG_YN 2 is a
 *   fill, 1 an order/modify/cancel/refusal acknowledgement"; kis-protocol.md §8.3 for the flag values.
 * - `examples_llm/overseas_stock/ccnl_notice`: H0GSCNI0 real / H0GSCNI9 paper, 25 columns (§8.4).
 * - `examples_llm/domestic_stock/order_cash`: the path, TTTC0012U/TTTC0011U real and VTTC0012U/VTTC0011U
 *   paper (buy/sell), the body, output KRX_FWDG_ORD_ORGNO/ODNO/ORD_TMD.
 * - `examples_llm/domestic_stock/inquire_daily_ccld`: the path, TTTC0081R real / VTTC0081R paper (3 months),
 *   the query, at most 100 rows a call on real and 15 on paper, paging by tr_cont M/F → N with
 *   CTX_AREA_FK100/NK100; the output1/output2 columns of `chk_inquire_daily_ccld`.
 * - The success and market-closed msg_cd/msg1 of order-cash are [REPORTED] by many captures, not
 *   documented by KIS (ORDER_MESSAGES says which).
 */
import type { RestEnv } from './rest/endpoints';

// ---- execution notices (WebSocket) ----------------------------------------------------------

/** Where a notice TR reports: Korean stocks or overseas stocks. */
export type NoticeMarket = 'domestic' | 'overseas';

/** The execution-notice TR of each market and environment (tr_key = the HTS ID). */
export const NOTICE_TR_IDS: Readonly<Record<NoticeMarket, Readonly<Record<RestEnv, string>>>> = {
  domestic: { real: 'H0STCNI0', paper: 'H0STCNI9' },
  overseas: { real: 'H0GSCNI0', paper: 'H0GSCNI9' },
};

/** The notice TR of a market for a data source (the simulator plays paper). */
export function noticeTrId(market: NoticeMarket, source: RestEnv | 'simulator'): string {
  return NOTICE_TR_IDS[market][source === 'real' ? 'real' : 'paper'];
}

/** Which market and environment a notice TR id belongs to; undefined for any other TR. */
export function noticeTrOf(trId: string): { market: NoticeMarket; env: RestEnv } | undefined {
  for (const market of ['domestic', 'overseas'] as const) {
    for (const env of ['real', 'paper'] as const) if (NOTICE_TR_IDS[market][env] === trId) return { market, env };
  }
  return undefined;
}

/** H0STCNI0/H0STCNI9 columns in wire order (26; the sample's `columns` list). */
export const DOMESTIC_NOTICE_COLUMNS = [
  'CUST_ID',
  'ACNT_NO',
  'ODER_NO',
  'OODER_NO',
  'SELN_BYOV_CLS',
  'RCTF_CLS',
  'ODER_KIND',
  'ODER_COND',
  'STCK_SHRN_ISCD',
  'CNTG_QTY',
  'CNTG_UNPR',
  'STCK_CNTG_HOUR',
  'RFUS_YN',
  'CNTG_YN',
  'ACPT_YN',
  'BRNC_NO',
  'ODER_QTY',
  'ACNT_NAME',
  'ORD_COND_PRC',
  'ORD_EXG_GB',
  'POPUP_YN',
  'FILLER',
  'CRDT_CLS',
  'CRDT_LOAN_DATE',
  'CNTG_ISNM40',
  'ODER_PRC',
] as const;

/** H0GSCNI0/H0GSCNI9 columns in wire order (25). CNTG_UNPR carries implied decimals (US: 4). */
export const OVERSEAS_NOTICE_COLUMNS = [
  'CUST_ID',
  'ACNT_NO',
  'ODER_NO',
  'OODER_NO',
  'SELN_BYOV_CLS',
  'RCTF_CLS',
  'ODER_KIND2',
  'STCK_SHRN_ISCD',
  'CNTG_QTY',
  'CNTG_UNPR',
  'STCK_CNTG_HOUR',
  'RFUS_YN',
  'CNTG_YN',
  'ACPT_YN',
  'BRNC_NO',
  'ODER_QTY',
  'ACNT_NAME',
  'CNTG_ISNM',
  'ODER_COND',
  'DEBT_GB',
  'DEBT_DATE',
  'START_TM',
  'END_TM',
  'TM_DIV_TP',
  'CNTG_UNPR12',
] as const;

/** Fields per record of each notice market's current layout. */
export const NOTICE_WIDTHS: Readonly<Record<NoticeMarket, number>> = {
  domestic: DOMESTIC_NOTICE_COLUMNS.length,
  overseas: OVERSEAS_NOTICE_COLUMNS.length,
};

/** The columns that carry account data: never logged, recorded or shown outside the user's own views. */
export const NOTICE_PRIVATE_COLUMNS = ['CUST_ID', 'ACNT_NO', 'ACNT_NAME'] as const;

/**
 * A tr_key as it may appear in a log, an error or a recording: a notice TR's tr_key is the HTS ID, an
 * account identifier, so only its first two characters are kept (`si…`); any other tr_key (a symbol) as is.
 */
export function shownTrKey(trId: string, trKey: string): string {
  return noticeTrOf(trId) === undefined ? trKey : `${trKey.slice(0, 2)}…`;
}

/** SELN_BYOV_CLS: 01 sell, 02 buy (overseas adds 03 전매도, 04 환매수). */
export const NOTICE_SIDE = { sell: '01', buy: '02' } as const;
/** RCTF_CLS (접수구분): 0 a new order, 1 a modification, 2 a cancellation. */
export const NOTICE_CORRECTION = { normal: '0', modify: '1', cancel: '2' } as const;
/** RFUS_YN (거부여부): 0 approved, 1 refused. */
export const NOTICE_REFUSAL = { approved: '0', refused: '1' } as const;
/** CNTG_YN (체결여부): 1 an order/modify/cancel/refusal acknowledgement, 2 a fill. */
export const NOTICE_FILL = { acknowledgement: '1', fill: '2' } as const;
/** ACPT_YN (접수여부): 1 order accepted, 2 confirmed, 3 cancelled (the unfilled rest of a FOK/IOC order). */
export const NOTICE_ACCEPTANCE = { accepted: '1', confirmed: '2', cancelled: '3' } as const;

/** What a notice says happened to the order. */
export type NoticeStatus = 'accepted' | 'filled' | 'refused' | 'cancelled';

/**
 * The order status a notice reports, from its flags: a refusal wins (RFUS_YN 1), then a fill (CNTG_YN 2),
 * then a cancellation (RCTF_CLS 2, or ACPT_YN 3 for an IOC/FOK rest); anything else acknowledges the order
 * (a new order, or a modification).
 */
export function noticeStatus(flags: {
  RFUS_YN: string;
  CNTG_YN: string;
  ACPT_YN: string;
  RCTF_CLS: string;
}): NoticeStatus {
  if (flags.RFUS_YN === NOTICE_REFUSAL.refused) return 'refused';
  if (flags.CNTG_YN === NOTICE_FILL.fill) return 'filled';
  if (flags.RCTF_CLS === NOTICE_CORRECTION.cancel || flags.ACPT_YN === NOTICE_ACCEPTANCE.cancelled) return 'cancelled';
  return 'accepted';
}

// ---- order-cash (REST, POST) ----------------------------------------------------------------

/** The path of 주식주문(현금). */
export const ORDER_CASH_PATH = '/uapi/domestic-stock/v1/trading/order-cash';

/** Buy or sell. */
export type OrderSide = 'buy' | 'sell';

/** tr_id per environment and side (the current ids of the official sample). */
export const ORDER_CASH_TR_IDS: Readonly<Record<RestEnv, Readonly<Record<OrderSide, string>>>> = {
  real: { buy: 'TTTC0012U', sell: 'TTTC0011U' },
  paper: { buy: 'VTTC0012U', sell: 'VTTC0011U' },
};

/** The ids before KIS renamed them (the legacy Postman collections); KIS still answered them in 2026. */
export const LEGACY_ORDER_CASH_TR_IDS: Readonly<Record<RestEnv, Readonly<Record<OrderSide, string>>>> = {
  real: { buy: 'TTTC0802U', sell: 'TTTC0801U' },
  paper: { buy: 'VTTC0802U', sell: 'VTTC0801U' },
};

/** The side and environment of an order-cash tr_id (current or legacy); undefined for any other. */
export function orderCashTrOf(trId: string): { side: OrderSide; env: RestEnv } | undefined {
  for (const table of [ORDER_CASH_TR_IDS, LEGACY_ORDER_CASH_TR_IDS]) {
    for (const env of ['real', 'paper'] as const) {
      for (const side of ['buy', 'sell'] as const) if (table[env][side] === trId) return { side, env };
    }
  }
  return undefined;
}

/** ORD_DVSN (주문구분) of the two kinds the simulator fills: 00 limit (지정가), 01 market (시장가). */
export const ORDER_DIVISION = { limit: '00', market: '01' } as const;

/** The body of an order-cash request: upper-case keys, every value a string (the sample insists). */
export interface OrderCashBody {
  /** 종합계좌번호: the first 8 digits of the account. */
  CANO: string;
  /** 계좌상품코드: the last 2. */
  ACNT_PRDT_CD: string;
  /** 종목코드 (6 characters; 7 for an ETN). */
  PDNO: string;
  /** ORDER_DIVISION. */
  ORD_DVSN: string;
  ORD_QTY: string;
  /** 주문단가; "0" for a market order. */
  ORD_UNPR: string;
  /** 거래소ID구분코드: KRX, NXT or SOR. */
  EXCG_ID_DVSN_CD: string;
  /** 매도유형 (01 일반매도…), optional. */
  SLL_TYPE?: string;
  /** 조건가격 (stop-limit), optional. */
  CNDT_PRIC?: string;
}

/** The body of an order for `account` (8 + 2 digits). */
export function orderCashBody(order: {
  cano: string;
  product: string;
  symbol: string;
  quantity: number;
  /** undefined: a market order. */
  price?: number;
  exchange?: 'KRX' | 'NXT' | 'SOR';
}): OrderCashBody {
  const market = order.price === undefined;
  return {
    CANO: order.cano,
    ACNT_PRDT_CD: order.product,
    PDNO: order.symbol,
    ORD_DVSN: market ? ORDER_DIVISION.market : ORDER_DIVISION.limit,
    ORD_QTY: String(order.quantity),
    ORD_UNPR: market ? '0' : String(order.price),
    EXCG_ID_DVSN_CD: order.exchange ?? 'KRX',
  };
}

/** output of an accepted order: 한국거래소전송주문조직번호 (the branch), 주문번호, 주문시각 HHMMSS. */
export const ORDER_CASH_OUTPUT_COLUMNS = ['KRX_FWDG_ORD_ORGNO', 'ODNO', 'ORD_TMD'] as const;

/**
 * msg_cd and msg1 of order-cash answers. Success: rt_cd "0" and these codes [REPORTED] (paper buy
 * 40600000, paper sell 40590000, real APBK0013). `paperMarketClosed` (40580000) is [REPORTED] from paper
 * orders outside its hours. Clients match on rt_cd only, never on these texts.
 */
export const ORDER_MESSAGES = {
  paperBuy: { msg_cd: '40600000', msg1: '모의투자 매수주문이 완료 되었습니다.' },
  paperSell: { msg_cd: '40590000', msg1: '모의투자 매도주문이 완료 되었습니다.' },
  realAccepted: { msg_cd: 'APBK0013', msg1: '주문 전송 완료 되었습니다.' },
  paperMarketClosed: { msg_cd: '40580000', msg1: '모의투자 장종료 입니다.' },
} as const;

// ---- order-rvsecncl (REST, POST): modify or cancel --------------------------------------------

/** The path of 주식주문(정정취소) (`examples_llm/domestic_stock/order_rvsecncl`). */
export const ORDER_REVISE_PATH = '/uapi/domestic-stock/v1/trading/order-rvsecncl';

/** tr_id per environment (one for modify and cancel). */
export const ORDER_REVISE_TR_IDS: Readonly<Record<RestEnv, string>> = { real: 'TTTC0013U', paper: 'VTTC0013U' };

/** RVSE_CNCL_DVSN_CD (정정취소구분코드): 01 modify, 02 cancel. */
export const REVISE_CANCEL = { modify: '01', cancel: '02' } as const;

/**
 * The body of a cancel: CANO, ACNT_PRDT_CD, KRX_FWDG_ORD_ORGNO and ORGN_ODNO of the order (its branch and
 * number), ORD_DVSN, RVSE_CNCL_DVSN_CD, ORD_QTY, ORD_UNPR, QTY_ALL_ORD_YN (Y: all that is left, then
 * ORD_QTY "0"), EXCG_ID_DVSN_CD. Its answer has the same output columns as order-cash (the cancel's own ODNO).
 */
export function orderCancelBody(cancel: {
  cano: string;
  product: string;
  branch: string;
  orderNo: string;
  /** undefined: all that is left. */
  quantity?: number;
}): Record<string, string> {
  return {
    CANO: cancel.cano,
    ACNT_PRDT_CD: cancel.product,
    KRX_FWDG_ORD_ORGNO: cancel.branch,
    ORGN_ODNO: cancel.orderNo,
    ORD_DVSN: ORDER_DIVISION.limit,
    RVSE_CNCL_DVSN_CD: REVISE_CANCEL.cancel,
    ORD_QTY: String(cancel.quantity ?? 0),
    ORD_UNPR: '0',
    QTY_ALL_ORD_YN: cancel.quantity === undefined ? 'Y' : 'N',
    EXCG_ID_DVSN_CD: 'KRX',
  };
}

// ---- inquire-daily-ccld (REST, GET) ---------------------------------------------------------

/** The path of 주식일별주문체결조회. */
export const DAILY_CCLD_PATH = '/uapi/domestic-stock/v1/trading/inquire-daily-ccld';

/** tr_id per environment for the last 3 months (older days are CTSC9215R / VTSC9215R). */
export const DAILY_CCLD_TR_IDS: Readonly<Record<RestEnv, string>> = { real: 'TTTC0081R', paper: 'VTTC0081R' };

/** Rows per call KIS sends at most ("실전 100건, 모의 15건"). */
export const DAILY_CCLD_ROWS_PER_PAGE: Readonly<Record<RestEnv, number>> = { real: 100, paper: 15 };

/** The continuation keys of a page (sent back exactly as received). */
export interface DailyCcldCursor {
  fk100: string;
  nk100: string;
}

/**
 * The query of today's orders and fills, all sides, all symbols, newest first (INQR_DVSN 00 역순),
 * cash and credit (INQR_DVSN_3 00), filled and unfilled (CCLD_DVSN 00).
 */
export function dailyCcldQuery(
  account: { cano: string; product: string },
  date: string,
  cursor: DailyCcldCursor = { fk100: '', nk100: '' },
): Record<string, string> {
  return {
    CANO: account.cano,
    ACNT_PRDT_CD: account.product,
    INQR_STRT_DT: date,
    INQR_END_DT: date,
    SLL_BUY_DVSN_CD: '00',
    PDNO: '',
    CCLD_DVSN: '00',
    INQR_DVSN: '00',
    INQR_DVSN_3: '00',
    ORD_GNO_BRNO: '',
    ODNO: '',
    INQR_DVSN_1: '',
    CTX_AREA_FK100: cursor.fk100,
    CTX_AREA_NK100: cursor.nk100,
    EXCG_ID_DVSN_CD: 'KRX',
  };
}

/**
 * output1: one row per order (not per fill: tot_ccld_qty and avg_prvs are the order's totals so far).
 * The sample's mapping spells one key `excg_id_dvsn_Cd`; the wire key is taken as all lower case.
 */
export const DAILY_CCLD_OUTPUT1_COLUMNS = [
  'ord_dt',
  'ord_gno_brno',
  'odno',
  'orgn_odno',
  'ord_dvsn_name',
  'sll_buy_dvsn_cd',
  'sll_buy_dvsn_cd_name',
  'pdno',
  'prdt_name',
  'ord_qty',
  'ord_unpr',
  'ord_tmd',
  'tot_ccld_qty',
  'avg_prvs',
  'cncl_yn',
  'tot_ccld_amt',
  'loan_dt',
  'ordr_empno',
  'ord_dvsn_cd',
  'cnc_cfrm_qty',
  'rmn_qty',
  'rjct_qty',
  'ccld_cndt_name',
  'inqr_ip_addr',
  'cpbc_ordp_ord_rcit_dvsn_cd',
  'cpbc_ordp_infm_mthd_dvsn_cd',
  'infm_tmd',
  'ctac_tlno',
  'prdt_type_cd',
  'excg_dvsn_cd',
  'cpbc_ordp_mtrl_dvsn_cd',
  'ord_orgno',
  'rsvn_ord_end_dt',
  'excg_id_dvsn_cd',
  'stpm_cndt_pric',
  'stpm_efct_occr_dtmd',
] as const;

/** output2: the totals of the account's orders (one object). */
export const DAILY_CCLD_OUTPUT2_COLUMNS = [
  'tot_ord_qty',
  'tot_ccld_qty',
  'tot_ccld_amt',
  'prsm_tlex_smtl',
  'pchs_avg_pric',
] as const;

/** sll_buy_dvsn_cd of a row (the same codes as the notice's SELN_BYOV_CLS). */
export const DAILY_CCLD_SIDE = NOTICE_SIDE;
