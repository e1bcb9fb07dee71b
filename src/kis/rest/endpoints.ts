/**
 * KIS REST endpoints: paths, tr_ids (real vs paper), query builders and request headers. Pure: no I/O.
 * Sources: kis-rest.md §1.2 (headers), §2 (token), §3 (inquire-price), §4 (charts); chk-holiday from the
 * official samples (`examples_llm/domestic_stock/chk_holiday`, tr_id CTCA0903R, real only; kis-ws-more.md);
 * inquire-balance from §6 (its query and page validator are in balance.ts).
 */
import { BALANCE_PATH, BALANCE_TR_ID } from './balance';

/** Which KIS environment: the real or the paper (모의투자) host. */
export type RestEnv = 'real' | 'paper';
/** FID_COND_MRKT_DIV_CODE: J KRX, NX NXT, UN unified (kis-rest.md §3, R5). */
export type MarketDiv = 'J' | 'NX' | 'UN';
/** The market division codes, for validating user input. */
export const MARKET_DIVS: readonly MarketDiv[] = ['J', 'NX', 'UN'];

/** Paths. */
export const TOKEN_PATH = '/oauth2/tokenP';
export const PRICE_PATH = '/uapi/domestic-stock/v1/quotations/inquire-price';
export const MINUTE_PATH = '/uapi/domestic-stock/v1/quotations/inquire-time-itemchartprice';
export const DAILY_PATH = '/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice';
export const HOLIDAY_PATH = '/uapi/domestic-stock/v1/quotations/chk-holiday';

/** The REST endpoints the client calls (token aside). */
export type Endpoint = 'price' | 'minute' | 'daily' | 'holiday' | 'balance';

/** Path and tr_id of each endpoint. Quote TRs are the same on real and paper (kis-rest.md §1.2). */
export const ENDPOINTS: Readonly<Record<Endpoint, { path: string; trId: Record<RestEnv, string> }>> = {
  price: { path: PRICE_PATH, trId: { real: 'FHKST01010100', paper: 'FHKST01010100' } },
  minute: { path: MINUTE_PATH, trId: { real: 'FHKST03010200', paper: 'FHKST03010200' } },
  daily: { path: DAILY_PATH, trId: { real: 'FHKST03010100', paper: 'FHKST03010100' } },
  // CTCA0903R is a real-only account-class TR; on paper the official rule would make it VTCA0903R, which
  // KIS does not serve ("모의투자 미지원"). The client skips holidays on paper.
  holiday: { path: HOLIDAY_PATH, trId: { real: 'CTCA0903R', paper: 'VTCA0903R' } },
  // An account TR: real and paper differ (kis-rest.md §6).
  balance: { path: BALANCE_PATH, trId: { ...BALANCE_TR_ID } },
};

/** Minute bars per call (kis-rest.md §4.1 "한 번의 호출에 최대 30건"). */
export const MINUTE_BARS_PER_CALL = 30;
/** Daily candles per call (kis-rest.md §4.2). */
export const DAILY_BARS_PER_CALL = 100;

/** The headers every `/uapi` call carries (kis-rest.md §1.2). Holds secrets: never log it. */
export function uapiHeaders(
  appkey: string,
  appsecret: string,
  token: string,
  trId: string,
  trCont = '',
): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    authorization: `Bearer ${token}`,
    appkey,
    appsecret,
    tr_id: trId,
    custtype: 'P',
    tr_cont: trCont,
  };
}

/** The tokenP request body (kis-rest.md §2.1). */
export function tokenRequestBody(appkey: string, appsecret: string): string {
  return JSON.stringify({ grant_type: 'client_credentials', appkey, appsecret });
}

/** inquire-price query. */
export function priceQuery(symbol: string, div: MarketDiv): Record<string, string> {
  return { FID_COND_MRKT_DIV_CODE: div, FID_INPUT_ISCD: symbol };
}

/** Today's minute bars at or before `hhmmss` (30 at most). */
export function minuteQuery(symbol: string, div: MarketDiv, hhmmss: string): Record<string, string> {
  return {
    FID_ETC_CLS_CODE: '',
    FID_COND_MRKT_DIV_CODE: div,
    FID_INPUT_ISCD: symbol,
    FID_INPUT_HOUR_1: hhmmss,
    FID_PW_DATA_INCU_YN: 'Y',
  };
}

/** Daily candles between two YYYYMMDD dates (100 at most), adjusted prices. */
export function dailyQuery(symbol: string, div: MarketDiv, from: string, to: string): Record<string, string> {
  return {
    FID_COND_MRKT_DIV_CODE: div,
    FID_INPUT_ISCD: symbol,
    FID_INPUT_DATE_1: from,
    FID_INPUT_DATE_2: to,
    FID_PERIOD_DIV_CODE: 'D',
    FID_ORG_ADJ_PRC: '0',
  };
}

/** chk-holiday from a base date (YYYYMMDD); KIS answers the following days. */
export function holidayQuery(baseDate: string): Record<string, string> {
  return { BASS_DT: baseDate, CTX_AREA_NK: '', CTX_AREA_FK: '' };
}

/** `HHMMSS` one minute before `hhmmss` (for paging minute bars backwards); undefined before 00:00. */
export function minuteBefore(hhmmss: string): string | undefined {
  const minutes = Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(2, 4)) - 1;
  if (minutes < 0) return undefined;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}00`;
}
