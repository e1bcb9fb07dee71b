/**
 * The index and overseas price endpoints, pure: paths, tr_ids, queries and strict validators
 * that give the same `RestQuote` shape as the stock price, so the feed's REST path treats every market
 * alike.
 *  - 국내업종 현재지수 `inquire-index-price`, tr_id FHPUP02100000, `FID_COND_MRKT_DIV_CODE=U`,
 *    `FID_INPUT_ISCD` = 업종코드 (kis-rest.md §5.1 [OFFICIAL] R7). Paper: UNCONFIRMED (REST_FACTS.indexPricePaper).
 *  - 해외주식 현재체결가 `overseas-price/v1/quotations/price`, tr_id HHDFS00000300 on real and paper, params
 *    `AUTH=""`, `EXCD` (NAS/NYS/AMS, or BAQ/BAY/BAA for the day session), `SYMB` (kis-rest.md §7.1 [OFFICIAL] R8).
 */
import { BodyError, type Envelope, type RestQuote } from './responses';
import type { RestEnv } from './endpoints';

/** An endpoint the client calls: its path and tr_id per environment. */
export interface EndpointSpec {
  readonly path: string;
  readonly trId: Readonly<Record<RestEnv, string>>;
}

/** 국내업종 현재지수 (kis-rest.md §5.1). */
export const INDEX_PRICE: EndpointSpec = {
  path: '/uapi/domestic-stock/v1/quotations/inquire-index-price',
  trId: { real: 'FHPUP02100000', paper: 'FHPUP02100000' },
};

/** 해외주식 현재체결가 ("실전투자, 모의투자 공통 TR ID", kis-rest.md §7.1). */
export const OVERSEAS_PRICE: EndpointSpec = {
  path: '/uapi/overseas-price/v1/quotations/price',
  trId: { real: 'HHDFS00000300', paper: 'HHDFS00000300' },
};

/** The index price query for a 업종코드 (`0001`). */
export function indexPriceQuery(code: string): Record<string, string> {
  return { FID_COND_MRKT_DIV_CODE: 'U', FID_INPUT_ISCD: code };
}

/** The overseas price query: EXCD is the exchange (NAS, NYS, AMS, BAQ…), SYMB the ticker. */
export function overseasPriceQuery(excd: string, ticker: string): Record<string, string> {
  return { AUTH: '', EXCD: excd, SYMB: ticker };
}

type Obj = Record<string, unknown>;

function output(env: Envelope): Obj {
  const o = env.body.output;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new BodyError('output');
  return o as Obj;
}

function num(o: Obj, key: string): number {
  const v = o[key];
  const s = typeof v === 'string' ? v.trim() : '';
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) throw new BodyError(key);
  return Number(s);
}

/** A number that may be absent or empty (0 then): fields the app shows only when present. */
function optional(o: Obj, key: string): number {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? num(o, key) : 0;
}

/** 1 상한 … 5 하락 (kis-rest.md §3). */
function sign(o: Obj, key: string): string {
  const s = o[key];
  if (typeof s !== 'string' || !/^[1-5]$/.test(s)) throw new BodyError(key);
  return s;
}

/** A change that may arrive unsigned takes its sign from the sign code (4, 5 = down), as on the WebSocket. */
function signed(value: number, s: string): number {
  return s === '4' || s === '5' ? -Math.abs(value) : Math.abs(value);
}

/**
 * True when an answer has no price: KIS answers an unknown symbol (or an index out of hours on some days)
 * with rt_cd 0 and empty fields (REST_FACTS.unknownSymbol).
 */
export function isEmptyPrice(env: Envelope, priceField: 'bstp_nmix_prpr' | 'last'): boolean {
  const o = env.body.output;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const v = (o as Obj)[priceField];
  return v === '' || v === undefined;
}

/** Validates inquire-index-price `output` as a RestQuote of the index `code` (points, two decimals). */
export function parseIndexPrice(env: Envelope, code: string): RestQuote {
  const o = output(env);
  const s = sign(o, 'prdy_vrss_sign');
  const price = num(o, 'bstp_nmix_prpr');
  const change = signed(num(o, 'bstp_nmix_prdy_vrss'), s);
  return {
    symbol: code,
    price,
    change,
    sign: s,
    changeRate: signed(num(o, 'bstp_nmix_prdy_ctrt'), s),
    volume: optional(o, 'acml_vol'),
    value: optional(o, 'acml_tr_pbmn'),
    open: optional(o, 'bstp_nmix_oprc'),
    high: optional(o, 'bstp_nmix_hgpr'),
    low: optional(o, 'bstp_nmix_lwpr'),
    upperLimit: 0,
    lowerLimit: 0,
    basePrice: Math.round((price - change) * 100) / 100,
    halted: false,
  };
}

/** Validates overseas `price` `output` as a RestQuote of the US key `symbol` (dollars). */
export function parseOverseasPrice(env: Envelope, symbol: string): RestQuote {
  const o = output(env);
  const s = sign(o, 'sign');
  const price = num(o, 'last');
  return {
    symbol,
    price,
    change: signed(num(o, 'diff'), s),
    sign: s,
    changeRate: signed(num(o, 'rate'), s),
    volume: num(o, 'tvol'),
    value: optional(o, 'tamt'),
    // This TR carries no open/high/low (price-detail does, real only): 0 reads as "unknown".
    open: 0,
    high: 0,
    low: 0,
    upperLimit: 0,
    lowerLimit: 0,
    basePrice: num(o, 'base'),
    halted: false,
  };
}
