/**
 * inquire-balance (주식잔고조회) on the wire: the account number's shape, the query, the continuation
 * rule and a strict validator of one page. Pure: no I/O.
 *
 * Source: kis-rest.md §6 [OFFICIAL] (R9 `examples_llm/domestic_stock/inquire_balance`, R4 Postman):
 * `GET /uapi/domestic-stock/v1/trading/inquire-balance`, tr_id TTTC8434R real / VTTC8434R paper; at most
 * 50 rows a page on real and 20 on paper; more pages while the response header `tr_cont` is `F` or `M`,
 * asked with request header `tr_cont: N` and the body's `ctx_area_fk100`/`ctx_area_nk100` sent back.
 * Whether KIS right-pads those keys is UNCONFIRMED (kis-rest.md §6), so they are sent back exactly as
 * received and only their trimmed form is compared.
 */
import { BodyError, type Envelope } from './responses';

/** The path of inquire-balance. */
export const BALANCE_PATH = '/uapi/domestic-stock/v1/trading/inquire-balance';

/** tr_id per environment (account TRs differ between real and paper: T… / V…). */
export const BALANCE_TR_ID = { real: 'TTTC8434R', paper: 'VTTC8434R' } as const;

/** Rows per page KIS sends at most (kis-rest.md §6). */
export const BALANCE_ROWS_PER_PAGE = { real: 50, paper: 20 } as const;

/** Response `tr_cont` values that mean "more pages follow" (kis-rest.md §6: F or M; D, E or blank end). */
export const BALANCE_MORE = ['F', 'M'] as const;

/** A KIS account number: 종합계좌번호 (8 digits) and 계좌상품코드 (2 digits). */
export interface AccountNumber {
  /** CANO. */
  cano: string;
  /** ACNT_PRDT_CD (01 종합, 03 선물옵션, 22 개인연금, 29 퇴직연금 — kis-rest.md §6). */
  product: string;
}

/** The result of reading a typed account number. */
export type AccountCheck = { ok: true; account: AccountNumber } | { ok: false; code: 'BAD_ACCOUNT'; message: string };

/**
 * Reads an account number typed as `12345678-01`, `12345678 01` or `1234567801` (8 + 2 digits). The
 * message never repeats the input (it is account data).
 */
export function parseAccountNumber(text: string): AccountCheck {
  const m = /^\s*(\d{8})[-\s]?(\d{2})\s*$/.exec(text);
  if (m === null)
    return {
      ok: false,
      code: 'BAD_ACCOUNT',
      message: 'An account number is 8 digits and a 2-digit product code, e.g. 12345678-01.',
    };
  return { ok: true, account: { cano: m[1], product: m[2] } };
}

/** The account as stored and shown: `12345678-01`. */
export function formatAccountNumber(account: AccountNumber): string {
  return `${account.cano}-${account.product}`;
}

/** The account masked for logs and messages: `1234****-01`. */
export function maskAccountNumber(account: AccountNumber): string {
  return `${account.cano.slice(0, 4)}****-${account.product}`;
}

/** The continuation keys of a page (sent back as received). */
export interface BalanceCursor {
  fk100: string;
  nk100: string;
}

/**
 * The query of one page: the first with empty keys, the next ones with the previous page's keys.
 * INQR_DVSN 02: one row per symbol (not per loan date); PRCS_DVSN 00: today's trades included.
 */
export function balanceQuery(
  account: AccountNumber,
  cursor: BalanceCursor = { fk100: '', nk100: '' },
): Record<string, string> {
  return {
    CANO: account.cano,
    ACNT_PRDT_CD: account.product,
    AFHR_FLPR_YN: 'N',
    OFL_YN: '',
    INQR_DVSN: '02',
    UNPR_DVSN: '01',
    FUND_STTL_ICLD_YN: 'N',
    FNCG_AMT_AUTO_RDPT_YN: 'N',
    PRCS_DVSN: '00',
    CTX_AREA_FK100: cursor.fk100,
    CTX_AREA_NK100: cursor.nk100,
  };
}

/** True when the response header `tr_cont` says another page follows. */
export function balanceHasMore(trCont: string): boolean {
  return (BALANCE_MORE as readonly string[]).includes(trCont.trim().toUpperCase());
}

/** One position of the account (output1 row), the fields the app uses. */
export interface BalancePosition {
  /** pdno. */
  symbol: string;
  /** prdt_name. */
  name: string;
  /** hldg_qty (≥ 0; 0 for a symbol sold out today, kis-rest.md §6). */
  quantity: number;
  /** pchs_avg_pric. */
  averageCost: number;
  /** prpr (KIS's current price; the stream's is used on screen). */
  price: number;
}

/** One page: its positions and the keys of the next one. */
export interface BalancePage {
  positions: BalancePosition[];
  cursor: BalanceCursor;
}

type Obj = Record<string, unknown>;

function field(row: Obj, key: string): string {
  const v = row[key];
  if (typeof v !== 'string') throw new BodyError(key);
  return v;
}

function amount(row: Obj, key: string): number {
  const s = field(row, key).trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) throw new BodyError(key);
  return Number(s);
}

/**
 * Validates one page. `output1` must be an array of objects; KIS pads a short answer with an all-empty
 * row, which is dropped. A row with a missing or non-numeric field refuses the page (BodyError names the
 * field, never its value).
 */
export function parseBalancePage(env: Envelope): BalancePage {
  const rows = env.body.output1;
  if (!Array.isArray(rows)) throw new BodyError('output1');
  const positions: BalancePosition[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new BodyError('output1');
    const r = row as Obj;
    if (Object.values(r).every((v) => v === '')) continue;
    const symbol = field(r, 'pdno').trim();
    if (!/^[0-9A-Z]{6,9}$/.test(symbol)) throw new BodyError('pdno');
    const quantity = amount(r, 'hldg_qty');
    if (quantity < 0) throw new BodyError('hldg_qty');
    positions.push({
      symbol,
      name: field(r, 'prdt_name').trim(),
      quantity,
      averageCost: amount(r, 'pchs_avg_pric'),
      price: amount(r, 'prpr'),
    });
  }
  const fk = env.body.ctx_area_fk100;
  const nk = env.body.ctx_area_nk100;
  return { positions, cursor: { fk100: typeof fk === 'string' ? fk : '', nk100: typeof nk === 'string' ? nk : '' } };
}
