/**
 * The simulator's inquire-balance (kis-rest.md §6) for simulated accounts: positions drawn from the
 * catalogue with a deterministic quantity and average cost, priced at the streaming model's last trade,
 * served 50 rows a page to a real tr_id and 20 to a paper one, continued with `tr_cont` M/D and
 * `ctx_area_fk100`/`ctx_area_nk100` (right-padded to 100 characters, the form the client must send back
 * untouched). An unknown account, or a continuation asked without `tr_cont: N`, is refused with an error
 * envelope as KIS answers a bad request (rt_cd ≠ 0; the msg_cd here is the simulator's own).
 */
import { BALANCE_ROWS_PER_PAGE, BALANCE_TR_ID } from '../../kis/rest';
import { CATALOGUE } from '../../market/catalogue';
import type { SymbolModel } from '../market/venueModel';
import { hashString, mulberry32 } from '../market/prng';

/** The account every simulator serves unless told otherwise. */
export const SIM_ACCOUNT = '50012345-01';

/** What a balance answer is: the body and the response header `tr_cont`. */
export interface BalanceAnswer {
  body: object;
  trCont: string;
}

/** The codes of a simulated account of `count` positions: the catalogue's, then made-up ones. */
function codesOf(count: number): string[] {
  const codes = CATALOGUE.slice(0, count).map((e) => e.code);
  for (let i = codes.length; i < count; i++) codes.push(`9${String(i).padStart(5, '0')}`);
  return codes;
}

const pad = (s: string): string => s.padEnd(100, ' ');

/** Simulated accounts and their positions (see the file comment). */
export class SimBalance {
  /** Account (`12345678-01`) → number of positions. */
  private readonly accounts = new Map<string, number>([[SIM_ACCOUNT, 5]]);
  /** Pages served (tests check the paging went through). */
  pagesServed = 0;

  /** Opens (or resizes) a simulated account holding `positions` symbols. */
  setAccount(account: string, positions: number): void {
    this.accounts.set(account, Math.max(0, Math.floor(positions)));
  }

  /** Answers one inquire-balance request. */
  answer(
    trId: string,
    requestTrCont: string,
    param: (name: string) => string,
    model: (code: string) => SymbolModel,
  ): BalanceAnswer {
    const account = `${param('CANO')}-${param('ACNT_PRDT_CD')}`;
    const count = this.accounts.get(account);
    if (count === undefined) return refuse('SIMACCT1', '계좌번호를 확인하여 주십시오. (simulated account unknown)');
    const fk = param('CTX_AREA_FK100').trim();
    const nk = param('CTX_AREA_NK100').trim();
    let start = 0;
    if (fk !== '' || nk !== '') {
      // A continuation must say so in its header and send back the keys this account was given.
      if (requestTrCont !== 'N' || fk !== param('CANO') || !/^\d+$/.test(nk))
        return refuse('SIMCTX01', '연속조회 조건이 올바르지 않습니다. (simulated)');
      start = Number(nk);
    }
    const perPage = trId === BALANCE_TR_ID.paper ? BALANCE_ROWS_PER_PAGE.paper : BALANCE_ROWS_PER_PAGE.real;
    const codes = codesOf(count);
    const rows = codes.slice(start, start + perPage).map((code) => row(code, model(code)));
    const more = start + perPage < codes.length;
    this.pagesServed += 1;
    return {
      trCont: more ? 'M' : 'D',
      body: {
        rt_cd: '0',
        msg_cd: 'KIOK0510',
        msg1: '조회가 완료되었습니다',
        ctx_area_fk100: pad(param('CANO')),
        ctx_area_nk100: pad(more ? String(start + perPage) : ''),
        output1: rows,
        output2: [summary(rows)],
      },
    };
  }
}

function refuse(code: string, message: string): BalanceAnswer {
  return { trCont: '', body: { rt_cd: '1', msg_cd: code, msg1: message } };
}

/** One output1 row: quantity and cost seeded by the code, priced at the model's last trade. */
function row(code: string, m: SymbolModel): Record<string, string> {
  const rng = mulberry32(hashString(`balance:${code}`));
  const quantity = 1 + Math.floor(rng.next() * 200);
  // An average cost within ±15 % of the previous close.
  const averageCost = Math.round(m.prevClose * (0.85 + rng.next() * 0.3));
  const cost = quantity * averageCost;
  const value = quantity * m.price;
  return {
    pdno: code,
    prdt_name: CATALOGUE.find((e) => e.code === code)?.nameKo ?? `모의종목${code}`,
    trad_dvsn_name: '현금',
    hldg_qty: String(quantity),
    ord_psbl_qty: String(quantity),
    pchs_avg_pric: averageCost.toFixed(4),
    pchs_amt: String(cost),
    prpr: String(m.price),
    evlu_amt: String(value),
    evlu_pfls_amt: String(value - cost),
    evlu_pfls_rt: (((value - cost) / cost) * 100).toFixed(2),
    fltt_rt: (((m.price - m.prevClose) / m.prevClose) * 100).toFixed(2),
    bfdy_cprs_icdc: String(m.price - m.prevClose),
  };
}

/** output2 of a page (totals of its rows; enough for a client that reads only output1). */
function summary(rows: readonly Record<string, string>[]): Record<string, string> {
  const sum = (key: string): string => String(rows.reduce((a, r) => a + Number(r[key]), 0));
  return {
    dnca_tot_amt: '10000000',
    pchs_amt_smtl_amt: sum('pchs_amt'),
    evlu_amt_smtl_amt: sum('evlu_amt'),
    evlu_pfls_smtl_amt: sum('evlu_pfls_amt'),
  };
}
