/**
 * Minute bars beyond today's stock chart, pure: paths, tr_ids, queries and strict validators.
 *  - 주식일별분봉조회 `inquire-time-dailychartprice`, tr_id FHKST03010230: a past day's 1-minute bars of a
 *    stock, at or before `FID_INPUT_HOUR_1` on `FID_INPUT_DATE_1`, ≤120 rows a call, newest first, the same
 *    columns as today's minute bars (kis-rest.md §4.1 "Related"). Paper support not stated: real TR id on both.
 *  - 업종 분봉조회 `inquire-time-indexchartprice`, tr_id FHKUP03500200: an index's bars at an interval in
 *    seconds (`60` = 1 minute), `FID_PW_DATA_INCU_YN=Y` with past days, paged by the `tr_cont` header
 *    (kis-rest.md §5.2). Index levels are points with two decimals.
 */
import type { EndpointSpec } from './intlEndpoints';
import type { MarketDiv } from './endpoints';
import { BodyError, type Envelope, type RestBar } from './responses';

/** 주식일별분봉조회 (kis-rest.md §4.1 "Related — previous days' minute bars"). */
export const DAY_MINUTE: EndpointSpec = {
  path: '/uapi/domestic-stock/v1/quotations/inquire-time-dailychartprice',
  trId: { real: 'FHKST03010230', paper: 'FHKST03010230' },
};

/** 업종 분봉조회 (kis-rest.md §5.2). */
export const INDEX_MINUTE: EndpointSpec = {
  path: '/uapi/domestic-stock/v1/quotations/inquire-time-indexchartprice',
  trId: { real: 'FHKUP03500200', paper: 'FHKUP03500200' },
};

/** 주식일별분봉조회 answers at most 120 rows a call ("실전계좌의 경우, 한 번의 호출에 최대 120건"). */
export const DAY_MINUTE_BARS_PER_CALL = 120;

/** A past day's minute bars at or before `hhmmss` on `yyyymmdd`. */
export function dayMinuteQuery(
  symbol: string,
  div: MarketDiv,
  yyyymmdd: string,
  hhmmss: string,
): Record<string, string> {
  return {
    FID_COND_MRKT_DIV_CODE: div,
    FID_INPUT_ISCD: symbol,
    FID_INPUT_HOUR_1: hhmmss,
    FID_INPUT_DATE_1: yyyymmdd,
    FID_PW_DATA_INCU_YN: 'N',
    FID_FAKE_TICK_INCU_YN: '',
  };
}

/** An index's 1-minute bars with past days (`FID_INPUT_HOUR_1` is the interval in seconds). */
export function indexMinuteQuery(code: string): Record<string, string> {
  return {
    FID_COND_MRKT_DIV_CODE: 'U',
    FID_ETC_CLS_CODE: '0',
    FID_INPUT_ISCD: code,
    FID_INPUT_HOUR_1: '60',
    FID_PW_DATA_INCU_YN: 'Y',
  };
}

type Obj = Record<string, unknown>;

function field(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BodyError(key);
  return v.trim();
}

function number(o: Obj, key: string): number {
  const s = field(o, key);
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) throw new BodyError(key);
  return Number(s);
}

function digits(o: Obj, key: string, length: number): string {
  const s = field(o, key);
  if (s.length !== length || !/^\d+$/.test(s)) throw new BodyError(key);
  return s;
}

/** The rows of `output2`, without KIS's all-empty padding rows. */
function rows(env: Envelope): Obj[] {
  const a = env.body.output2;
  if (!Array.isArray(a)) throw new BodyError('output2');
  return a.filter((row): row is Obj => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new BodyError('output2');
    return Object.values(row as Obj).some((v) => v !== '');
  });
}

/** Validates inquire-time-indexchartprice `output2` (newest first) as bars of index points. */
export function parseIndexMinuteBars(env: Envelope): RestBar[] {
  return rows(env).map((r) => ({
    date: digits(r, 'stck_bsop_date', 8),
    time: digits(r, 'stck_cntg_hour', 6),
    open: number(r, 'bstp_nmix_oprc'),
    high: number(r, 'bstp_nmix_hgpr'),
    low: number(r, 'bstp_nmix_lwpr'),
    close: number(r, 'bstp_nmix_prpr'),
    volume: number(r, 'cntg_vol'),
  }));
}
