/**
 * The bodies of the simulator's order-cash, order-rvsecncl and inquire-daily-ccld answers, as KIS shapes them (the
 * columns and codes are src/kis/orders.ts's). A refusal is HTTP 200 with rt_cd "1", a msg_cd and a msg1,
 * as KIS answers a bad order; the codes KIS is [REPORTED] to use are used, the others are the simulator's
 * own (SIM…, their text says "simulated"). No message repeats the account number or the input.
 */
import {
  DAILY_CCLD_ROWS_PER_PAGE,
  DAILY_CCLD_TR_IDS,
  NOTICE_SIDE,
  ORDER_DIVISION,
  ORDER_MESSAGES,
  ORDER_REVISE_TR_IDS,
  orderCashTrOf,
  REVISE_CANCEL,
} from '../../kis/orders';
import { findSymbol } from '../../market/catalogue';
import {
  averageFillPrice,
  type MarketView,
  type OrderEvent,
  type OrderRefusal,
  type PaperAccount,
  type PlaceResult,
  type SimOrder,
} from './paperAccount';

/** One answer: HTTP 200, this body, this response header tr_cont; `placed` when an order was booked. */
export interface RestAnswer {
  body: object;
  trCont: string;
  placed?: Extract<PlaceResult, { ok: true }>;
  cancelled?: Extract<OrderEvent, { kind: 'cancelled' }>;
}

/** The branch (한국거래소전송주문조직번호) KIS's paper service answers with [REPORTED]. */
export const SIM_BRANCH = '00950';

const REFUSALS: Readonly<
  Record<OrderRefusal | 'account' | 'body' | 'division' | 'no-order' | 'modify', { msg_cd: string; msg1: string }>
> = {
  'market-closed': ORDER_MESSAGES.paperMarketClosed,
  'unknown-symbol': { msg_cd: 'SIMORD02', msg1: '종목코드를 확인하여 주십시오. (simulated)' },
  'bad-quantity': { msg_cd: 'SIMORD03', msg1: '주문수량을 확인하여 주십시오. (simulated)' },
  'bad-price': { msg_cd: 'SIMORD04', msg1: '주문단가를 확인하여 주십시오. (simulated)' },
  'off-tick': { msg_cd: 'SIMORD05', msg1: '호가단위가 올바르지 않습니다. (simulated)' },
  division: { msg_cd: 'SIMORD06', msg1: '주문구분을 확인하여 주십시오. (simulated)' },
  'no-order': { msg_cd: 'SIMORD07', msg1: '정정취소할 수 있는 주문이 없습니다. (simulated)' },
  modify: { msg_cd: 'SIMORD08', msg1: '정정주문은 모의 서버가 지원하지 않습니다. (simulated)' },
  account: { msg_cd: 'SIMACCT1', msg1: '계좌번호를 확인하여 주십시오. (simulated account unknown)' },
  body: { msg_cd: 'SIMORD00', msg1: '요청 본문이 올바르지 않습니다. (simulated)' },
};

function refuse(why: keyof typeof REFUSALS): RestAnswer {
  return { trCont: '', body: { rt_cd: '1', ...REFUSALS[why] } };
}

/** The string fields of a JSON object body; undefined when the body is not one. */
function fieldsOf(text: string): ((name: string) => string | undefined) | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const body = parsed as Record<string, unknown>;
  return (name) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
}

/** What an order needs besides the request: its time and the market. */
export interface OrderContext {
  time: string;
  market: MarketView;
}

/** Answers POST order-cash with tr_id `trId` (current or legacy; buy or sell; real or paper). */
export function answerOrderCash(account: PaperAccount, trId: string, text: string, context: OrderContext): RestAnswer {
  const tr = orderCashTrOf(trId);
  const field = fieldsOf(text);
  if (tr === undefined || field === undefined) return refuse('body');
  if (`${field('CANO') ?? ''}-${field('ACNT_PRDT_CD') ?? ''}` !== account.account) return refuse('account');
  const division = field('ORD_DVSN');
  if (division !== ORDER_DIVISION.limit && division !== ORDER_DIVISION.market) return refuse('division');
  const quantityText = field('ORD_QTY') ?? '';
  const priceText = field('ORD_UNPR') ?? '';
  const quantity = /^\d{1,9}$/.test(quantityText) ? Number(quantityText) : Number.NaN;
  const market = division === ORDER_DIVISION.market;
  if (!market && !/^\d{1,9}$/.test(priceText)) return refuse('bad-price');
  const placed = account.place(
    { side: tr.side, symbol: field('PDNO') ?? '', quantity, price: market ? undefined : Number(priceText) },
    context.time,
    context.market,
  );
  if (!placed.ok) {
    if (placed.refusal === 'market-closed' && tr.env === 'real')
      return { trCont: '', body: { rt_cd: '1', msg_cd: 'SIMORD01', msg1: '장운영시간이 아닙니다. (simulated)' } };
    return refuse(placed.refusal);
  }
  const accepted =
    tr.env === 'real'
      ? ORDER_MESSAGES.realAccepted
      : tr.side === 'buy'
        ? ORDER_MESSAGES.paperBuy
        : ORDER_MESSAGES.paperSell;
  return {
    trCont: '',
    placed,
    body: {
      rt_cd: '0',
      ...accepted,
      output: { KRX_FWDG_ORD_ORGNO: SIM_BRANCH, ODNO: placed.order.orderNo, ORD_TMD: placed.order.time },
    },
  };
}

/**
 * Answers POST order-rvsecncl: a cancel (RVSE_CNCL_DVSN_CD 02) of all that is left (QTY_ALL_ORD_YN Y) or
 * of ORD_QTY shares of the order ORGN_ODNO. A modification (01) is refused: the simulator does not model it.
 */
export function answerOrderCancel(account: PaperAccount, trId: string, text: string, time: string): RestAnswer {
  const field = fieldsOf(text);
  if ((trId !== ORDER_REVISE_TR_IDS.real && trId !== ORDER_REVISE_TR_IDS.paper) || field === undefined)
    return refuse('body');
  if (`${field('CANO') ?? ''}-${field('ACNT_PRDT_CD') ?? ''}` !== account.account) return refuse('account');
  const kind = field('RVSE_CNCL_DVSN_CD');
  if (kind === REVISE_CANCEL.modify) return refuse('modify');
  if (kind !== REVISE_CANCEL.cancel) return refuse('division');
  const all = field('QTY_ALL_ORD_YN') === 'Y';
  const quantityText = field('ORD_QTY') ?? '';
  const quantity = all ? undefined : /^\d{1,9}$/.test(quantityText) ? Number(quantityText) : Number.NaN;
  const cancelled = account.cancel(field('ORGN_ODNO') ?? '', quantity, time);
  if (cancelled === undefined) return refuse('no-order');
  return {
    trCont: '',
    cancelled,
    body: {
      rt_cd: '0',
      msg_cd: 'SIMORD10',
      msg1: '취소주문이 완료 되었습니다. (simulated)',
      output: { KRX_FWDG_ORD_ORGNO: SIM_BRANCH, ODNO: cancelled.cancelOrderNo, ORD_TMD: time },
    },
  };
}

const pad100 = (s: string): string => s.padEnd(100, ' ');

/**
 * Answers GET inquire-daily-ccld: today's orders of the account (`today` YYYYMMDD), filtered by side,
 * filled/unfilled, symbol and order number as asked, newest first (INQR_DVSN 00) or oldest first (01),
 * `DAILY_CCLD_ROWS_PER_PAGE` a page; the continuation as inquire-balance's (restBalance.ts).
 */
export function answerDailyCcld(
  account: PaperAccount,
  trId: string,
  trCont: string,
  param: (name: string) => string,
  today: string,
): RestAnswer {
  if (`${param('CANO')}-${param('ACNT_PRDT_CD')}` !== account.account) return refuse('account');
  const fk = param('CTX_AREA_FK100').trim();
  const nk = param('CTX_AREA_NK100').trim();
  let start = 0;
  if (fk !== '' || nk !== '') {
    if (trCont !== 'N' || fk !== param('CANO') || !/^\d+$/.test(nk))
      return {
        trCont: '',
        body: { rt_cd: '1', msg_cd: 'SIMCTX01', msg1: '연속조회 조건이 올바르지 않습니다. (simulated)' },
      };
    start = Number(nk);
  }
  const from = param('INQR_STRT_DT') || today;
  const to = param('INQR_END_DT') || today;
  const orders = from <= today && today <= to ? account.list().filter((o) => matches(o, param)) : [];
  if (param('INQR_DVSN') !== '01') orders.reverse();
  const perPage = trId === DAILY_CCLD_TR_IDS.paper ? DAILY_CCLD_ROWS_PER_PAGE.paper : DAILY_CCLD_ROWS_PER_PAGE.real;
  const page = orders.slice(start, start + perPage);
  const more = start + perPage < orders.length;
  return {
    trCont: more ? 'M' : 'D',
    body: {
      rt_cd: '0',
      msg_cd: 'KIOK0460',
      msg1: '조회 되었습니다. (simulated)',
      ctx_area_fk100: pad100(param('CANO')),
      ctx_area_nk100: pad100(more ? String(start + perPage) : ''),
      output1: page.map((o) => row(o, today)),
      output2: totals(orders),
    },
  };
}

function matches(order: SimOrder, param: (name: string) => string): boolean {
  const side = param('SLL_BUY_DVSN_CD');
  if (side !== '' && side !== '00' && side !== NOTICE_SIDE[order.side]) return false;
  const filled = param('CCLD_DVSN');
  if (filled === '01' && order.filled === 0) return false;
  if (filled === '02' && (order.refused || order.filled + order.cancelled === order.quantity)) return false;
  const symbol = param('PDNO');
  if (symbol !== '' && symbol !== order.symbol) return false;
  const orderNo = param('ODNO');
  return orderNo === '' || orderNo === order.orderNo;
}

/** One output1 row (every column of DAILY_CCLD_OUTPUT1_COLUMNS, strings). */
function row(o: SimOrder, today: string): Record<string, string> {
  const remaining = o.refused ? 0 : o.quantity - o.filled - o.cancelled;
  return {
    ord_dt: today,
    ord_gno_brno: SIM_BRANCH,
    odno: o.orderNo,
    orgn_odno: '',
    ord_dvsn_name: o.market ? '시장가' : '지정가',
    sll_buy_dvsn_cd: NOTICE_SIDE[o.side],
    sll_buy_dvsn_cd_name: o.side === 'buy' ? '현금매수' : '현금매도',
    pdno: o.symbol,
    prdt_name: findSymbol(o.symbol)?.nameKo ?? o.symbol,
    ord_qty: String(o.quantity),
    ord_unpr: String(o.price),
    ord_tmd: o.time,
    tot_ccld_qty: String(o.filled),
    avg_prvs: String(averageFillPrice(o)),
    cncl_yn: 'N',
    tot_ccld_amt: String(o.filledValue),
    loan_dt: '',
    ordr_empno: '',
    ord_dvsn_cd: o.market ? ORDER_DIVISION.market : ORDER_DIVISION.limit,
    cnc_cfrm_qty: String(o.cancelled),
    rmn_qty: String(remaining),
    rjct_qty: String(o.refused ? o.quantity : 0),
    ccld_cndt_name: '없음',
    inqr_ip_addr: '',
    cpbc_ordp_ord_rcit_dvsn_cd: '',
    cpbc_ordp_infm_mthd_dvsn_cd: '',
    infm_tmd: '',
    ctac_tlno: '',
    prdt_type_cd: '300',
    excg_dvsn_cd: '02',
    cpbc_ordp_mtrl_dvsn_cd: '',
    ord_orgno: '',
    rsvn_ord_end_dt: '',
    excg_id_dvsn_cd: 'KRX',
    stpm_cndt_pric: '0',
    stpm_efct_occr_dtmd: '',
  };
}

/** output2: the totals of every order the query matched (not only this page's). */
function totals(orders: readonly SimOrder[]): Record<string, string> {
  const filled = orders.reduce((a, o) => a + o.filled, 0);
  const value = orders.reduce((a, o) => a + o.filledValue, 0);
  return {
    tot_ord_qty: String(orders.reduce((a, o) => a + o.quantity, 0)),
    tot_ccld_qty: String(filled),
    tot_ccld_amt: String(value),
    prsm_tlex_smtl: '0',
    pchs_avg_pric: filled === 0 ? '0' : (value / filled).toFixed(4),
  };
}
