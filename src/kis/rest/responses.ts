/**
 * KIS REST response bodies: types and strict validators. Every value KIS sends is a string
 * (kis-rest.md §3 "every value is a string"); the validators turn the fields the app uses into numbers and
 * refuse a body that lacks one, so a malformed body is a typed failure, never a NaN on screen.
 */

/** A successful tokenP body (kis-rest.md §2.1). */
export interface TokenResponse {
  accessToken: string;
  /** Seconds of validity from issuance. */
  expiresIn: number;
}

/** The current price of a stock (inquire-price `output`, the fields the app shows). */
export interface RestQuote {
  symbol: string;
  price: number;
  change: number;
  /** 1 상한 … 5 하락 (kis-rest.md §3). */
  sign: string;
  changeRate: number;
  volume: number;
  value: number;
  open: number;
  high: number;
  low: number;
  upperLimit: number;
  lowerLimit: number;
  basePrice: number;
  halted: boolean;
}

/** One bar (minute or day). `time` is HHMMSS for minute bars, '' for daily candles. */
export interface RestBar {
  date: string;
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /**
   * Minute bars: `acml_tr_pbmn`, the cumulative traded value (KRW) at that bar, so value / cumulative
   * volume is the VWAP there (kis-rest.md §4.1); absent when the field is missing or not a number.
   */
  value?: number;
}

/** One day of the holiday calendar (chk-holiday `output`). */
export interface RestHoliday {
  date: string;
  /** opnd_yn: the market opens that day (the field to use, kis-ws-more.md). */
  open: boolean;
}

/** Why a body was refused: the field at fault (never its value, which could echo a secret). */
export class BodyError extends Error {
  constructor(readonly field: string) {
    super(`malformed KIS response: ${field}`);
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BodyError(key);
  return v;
}

function num(o: Obj, key: string): number {
  const s = str(o, key).trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) throw new BodyError(key);
  return Number(s);
}

function digits(o: Obj, key: string, length: number): string {
  const s = str(o, key);
  if (s.length !== length || !/^\d+$/.test(s)) throw new BodyError(key);
  return s;
}

/** The `/uapi` envelope: rt_cd, msg_cd, msg1 (kis-rest.md §1.3). */
export interface Envelope {
  rtCd: string;
  msgCd: string;
  msg: string;
  body: Obj;
}

/** Parses a `/uapi` body's envelope; undefined when it is not one. */
export function parseEnvelope(body: unknown): Envelope | undefined {
  if (!isObj(body) || typeof body.rt_cd !== 'string') return undefined;
  return {
    rtCd: body.rt_cd,
    msgCd: typeof body.msg_cd === 'string' ? body.msg_cd : '',
    msg: typeof body.msg1 === 'string' ? body.msg1 : '',
    body,
  };
}

/** Parses an `/oauth2` gateway error `{error_code, error_description}`; undefined when it is not one. */
export function parseGatewayError(body: unknown): { code: string; description: string } | undefined {
  if (!isObj(body) || typeof body.error_code !== 'string') return undefined;
  return {
    code: body.error_code,
    description: typeof body.error_description === 'string' ? body.error_description : '',
  };
}

/** Validates a tokenP success body. `expires_in` is a number (kis-rest.md §2.1); a numeric string is accepted too. */
export function parseToken(body: unknown): TokenResponse {
  if (!isObj(body)) throw new BodyError('body');
  const token = body.access_token;
  if (typeof token !== 'string' || token.length === 0) throw new BodyError('access_token');
  const raw = body.expires_in;
  const expiresIn = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw new BodyError('expires_in');
  return { accessToken: token, expiresIn };
}

/** Validates inquire-price `output` (an object). */
export function parseQuote(env: Envelope, symbol: string): RestQuote {
  const o = env.body.output;
  if (!isObj(o)) throw new BodyError('output');
  const sign = str(o, 'prdy_vrss_sign');
  if (!/^[1-5]$/.test(sign)) throw new BodyError('prdy_vrss_sign');
  return {
    symbol,
    price: num(o, 'stck_prpr'),
    change: num(o, 'prdy_vrss'),
    sign,
    changeRate: num(o, 'prdy_ctrt'),
    volume: num(o, 'acml_vol'),
    value: num(o, 'acml_tr_pbmn'),
    open: num(o, 'stck_oprc'),
    high: num(o, 'stck_hgpr'),
    low: num(o, 'stck_lwpr'),
    upperLimit: num(o, 'stck_mxpr'),
    lowerLimit: num(o, 'stck_llam'),
    basePrice: num(o, 'stck_sdpr'),
    halted: o.temp_stop_yn === 'Y',
  };
}

function array(env: Envelope, key: string): Obj[] {
  const a = env.body[key];
  if (!Array.isArray(a)) throw new BodyError(key);
  // KIS pads short answers with an empty row (all fields ""): drop those, refuse anything else malformed.
  return a.filter((row): row is Obj => {
    if (!isObj(row)) throw new BodyError(key);
    return Object.values(row).some((v) => v !== '');
  });
}

/** Validates inquire-time-itemchartprice `output2` (≤30 minute bars, newest first). */
export function parseMinuteBars(env: Envelope): RestBar[] {
  return array(env, 'output2').map((r) => ({
    date: digits(r, 'stck_bsop_date', 8),
    time: digits(r, 'stck_cntg_hour', 6),
    open: num(r, 'stck_oprc'),
    high: num(r, 'stck_hgpr'),
    low: num(r, 'stck_lwpr'),
    close: num(r, 'stck_prpr'),
    volume: num(r, 'cntg_vol'),
    ...optionalValue(r),
  }));
}

/** `acml_tr_pbmn` when it is a number: the VWAP line is an extra, so its absence never fails the bars. */
function optionalValue(r: Obj): { value?: number } {
  const raw = r['acml_tr_pbmn'];
  return typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? { value: Number(raw) } : {};
}

/** Validates inquire-daily-itemchartprice `output2` (≤100 candles, newest first). */
export function parseDailyBars(env: Envelope): RestBar[] {
  return array(env, 'output2').map((r) => ({
    date: digits(r, 'stck_bsop_date', 8),
    time: '',
    open: num(r, 'stck_oprc'),
    high: num(r, 'stck_hgpr'),
    low: num(r, 'stck_lwpr'),
    close: num(r, 'stck_clpr'),
    volume: num(r, 'acml_vol'),
  }));
}

/** Validates chk-holiday `output` (an array of days). */
export function parseHolidays(env: Envelope): RestHoliday[] {
  return array(env, 'output').map((r) => {
    const open = str(r, 'opnd_yn');
    if (open !== 'Y' && open !== 'N') throw new BodyError('opnd_yn');
    return { date: digits(r, 'bass_dt', 8), open: open === 'Y' };
  });
}
