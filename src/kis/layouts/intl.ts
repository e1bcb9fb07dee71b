/**
 * Layouts of the index and overseas TRs: H0UPCNT0 (국내지수 실시간체결), HDFSCNT0 (해외주식 실시간지연체결가)
 * and HDFSASP0 (해외주식 실시간호가). Column lists are data, copied (names only) from KIS's official samples
 * (koreainvestment/open-trading-api `examples_user/domestic_stock/domestic_stock_functions_ws.py` `index_ccnl`,
 * `examples_user/overseas_stock/overseas_stock_functions_ws.py` `delayed_ccnl` / `asking_price`; see
 * the KIS fact sheet kis-ws-more.md (external) §6–§7 and kis-protocol.md §8.4). Field indexes are derived from the lists.
 *
 * The overseas samples omit `RSYM` (the realtime key, e.g. `DNASAAPL`), which the wire carries first:
 * HDFSCNT0 is 26 wide on the wire (25 sample names + RSYM), HDFSASP0 17 (one level, older material) or
 * 71 (ten levels, current portal). Every documented width is accepted; wider records are read by their
 * known prefix, because KIS appends fields over time (kis-protocol.md §11.2).
 */
import { num, toSign, type TrLayout } from './fields';
import type { Sign } from '../types';

/** What an international TR carries. */
export type IntlTrKind = 'index' | 'usTrade' | 'usBook';

/** An index or US TR's layout (the overseas column lists with RSYM first, as the wire carries them). */
export type IntlLayout = TrLayout<IntlTrKind>;

/** H0UPCNT0, 30 names (W1 `index_ccnl`; Korean in W5 `chk_index_ccnl.py`). */
const INDEX_COLUMNS: readonly string[] = [
  'bstp_cls_code',
  'bsop_hour',
  'prpr_nmix',
  'prdy_vrss_sign',
  'bstp_nmix_prdy_vrss',
  'acml_vol',
  'acml_tr_pbmn',
  'pcas_vol',
  'pcas_tr_pbmn',
  'prdy_ctrt',
  'oprc_nmix',
  'nmix_hgpr',
  'nmix_lwpr',
  'oprc_vrss_nmix_prpr',
  'oprc_vrss_nmix_sign',
  'hgpr_vrss_nmix_prpr',
  'hgpr_vrss_nmix_sign',
  'lwpr_vrss_nmix_prpr',
  'lwpr_vrss_nmix_sign',
  'prdy_clpr_vrss_oprc_rate',
  'prdy_clpr_vrss_hgpr_rate',
  'prdy_clpr_vrss_lwpr_rate',
  'uplm_issu_cnt',
  'ascn_issu_cnt',
  'stnr_issu_cnt',
  'down_issu_cnt',
  'lslm_issu_cnt',
  'qtqt_ascn_issu_cnt',
  'qtqt_down_issu_cnt',
  'tick_vrss',
];

/** HDFSCNT0: RSYM + the 25 names of W2 `delayed_ccnl`. */
const US_TRADE_COLUMNS: readonly string[] = [
  'RSYM',
  'SYMB',
  'ZDIV',
  'TYMD',
  'XYMD',
  'XHMS',
  'KYMD',
  'KHMS',
  'OPEN',
  'HIGH',
  'LOW',
  'LAST',
  'SIGN',
  'DIFF',
  'RATE',
  'PBID',
  'PASK',
  'VBID',
  'VASK',
  'EVOL',
  'TVOL',
  'TAMT',
  'BIVL',
  'ASVL',
  'STRN',
  'MTYP',
];

const usLevel = (n: number): string[] => ['PBID', 'PASK', 'VBID', 'VASK', 'DBID', 'DASK'].map((c) => `${c}${n}`);

/** HDFSASP0: RSYM + the 16 names of W2 `asking_price` (one level), extended to ten levels (71, kis-protocol.md §8.4). */
const US_BOOK_COLUMNS: readonly string[] = [
  'RSYM',
  'SYMB',
  'ZDIV',
  'XYMD',
  'XHMS',
  'KYMD',
  'KHMS',
  'BVOL',
  'AVOL',
  'BDVL',
  'ADVL',
  ...Array.from({ length: 10 }, (_, i) => usLevel(i + 1)).flat(),
];

/** Every index/overseas TR, keyed by id. */
export const INTL_LAYOUTS: ReadonlyMap<string, IntlLayout> = new Map(
  (
    [
      { trId: 'H0UPCNT0', kind: 'index', columns: INDEX_COLUMNS, widths: [30], source: 'W1 index_ccnl' },
      // 25 sample names + RSYM, which the captured frames carry first (kis-protocol.md §7.1, §8.4).
      { trId: 'HDFSCNT0', kind: 'usTrade', columns: US_TRADE_COLUMNS, widths: [26], source: 'W2 delayed_ccnl + RSYM' },
      // 17: one level (W2 list + RSYM; older material); 71: ten levels (current portal, S7). Live width UNCONFIRMED.
      {
        trId: 'HDFSASP0',
        kind: 'usBook',
        columns: US_BOOK_COLUMNS,
        widths: [17, 71],
        source: 'W2 asking_price + RSYM; 71 per portal (S7)',
      },
    ] as const satisfies readonly IntlLayout[]
  ).map((l) => [l.trId, l]),
);

const col = (columns: readonly string[], name: string): number => columns.indexOf(name);

/** H0UPCNT0 field indexes, derived from the list. */
export const H0UPCNT0 = {
  CODE: col(INDEX_COLUMNS, 'bstp_cls_code'),
  TIME: col(INDEX_COLUMNS, 'bsop_hour'),
  VALUE: col(INDEX_COLUMNS, 'prpr_nmix'),
  SIGN: col(INDEX_COLUMNS, 'prdy_vrss_sign'),
  CHANGE: col(INDEX_COLUMNS, 'bstp_nmix_prdy_vrss'),
  VOLUME: col(INDEX_COLUMNS, 'acml_vol'),
  AMOUNT: col(INDEX_COLUMNS, 'acml_tr_pbmn'),
  RATE: col(INDEX_COLUMNS, 'prdy_ctrt'),
  OPEN: col(INDEX_COLUMNS, 'oprc_nmix'),
  HIGH: col(INDEX_COLUMNS, 'nmix_hgpr'),
  LOW: col(INDEX_COLUMNS, 'nmix_lwpr'),
  UP: col(INDEX_COLUMNS, 'ascn_issu_cnt'),
  FLAT: col(INDEX_COLUMNS, 'stnr_issu_cnt'),
  DOWN: col(INDEX_COLUMNS, 'down_issu_cnt'),
} as const;

/** HDFSCNT0 field indexes on the wire (RSYM first). */
export const HDFSCNT0 = Object.freeze(Object.fromEntries(US_TRADE_COLUMNS.map((c, i) => [c, i]))) as Readonly<
  Record<(typeof US_TRADE_COLUMNS)[number], number>
>;

/** The layout of an index/overseas TR, or undefined. */
export function intlLayout(trId: string): IntlLayout | undefined {
  return INTL_LAYOUTS.get(trId);
}

/** The narrowest documented width of an index/overseas TR (0 when `trId` is not one). */
export function intlMinimumWidth(trId: string): number {
  return INTL_LAYOUTS.get(trId)?.widths[0] ?? 0;
}

/**
 * The symbol market a TR's tr_key must belong to: `krx` for the KRX stock TRs, `index` for H0UPCNT0,
 * `us` for the overseas TRs; undefined for TRs whose key is not a symbol (notices take an HTS ID).
 * The agent checks keys against this before sending, as KIS would refuse them only after a round trip.
 */
export function keyMarketOf(trId: string, krxKey: (trId: string) => boolean): 'krx' | 'index' | 'us' | undefined {
  const kind = INTL_LAYOUTS.get(trId)?.kind;
  if (kind === 'index') return 'index';
  if (kind === 'usTrade' || kind === 'usBook') return 'us';
  return krxKey(trId) ? 'krx' : undefined;
}

/** One index tick (H0UPCNT0). Values in index points. */
export interface IndexRecord {
  /** 업종코드: `0001` KOSPI, `1001` KOSDAQ, `2001` KOSPI 200. */
  readonly code: string;
  /** HHMMSS KST. */
  readonly time: string;
  readonly value: number;
  readonly sign: Sign;
  readonly change: number;
  readonly rate: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Cumulative volume (thousands of shares per KIS; unit UNCONFIRMED). */
  readonly volume: number;
  readonly advancers: number;
  readonly unchanged: number;
  readonly decliners: number;
}

/** US market session code in MTYP (1 장중, 2 장전, 3 장후; kis-protocol.md §8.4). */
export type UsMarketType = 'regular' | 'pre' | 'after' | 'unknown';

/** One US trade (HDFSCNT0). Prices in dollars as decimals. */
export interface UsTradeRecord {
  /** RSYM, e.g. `DNASAAPL`. */
  readonly key: string;
  /** SYMB, e.g. `AAPL`. */
  readonly ticker: string;
  /** ZDIV: decimals the exchange quotes. */
  readonly decimals: number;
  /** XYMD + XHMS: local (New York) date and time, `YYYYMMDD`, `HHMMSS`. */
  readonly localDate: string;
  readonly localTime: string;
  /** KYMD + KHMS: Korean date `YYYYMMDD` and time `HHMMSS`. */
  readonly kstDate: string;
  readonly kstTime: string;
  readonly price: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly sign: Sign;
  /** DIFF is unsigned on the wire (captures); the sign here follows SIGN. */
  readonly change: number;
  readonly rate: number;
  readonly bid: number;
  readonly ask: number;
  readonly volume: number;
  readonly cumulativeVolume: number;
  readonly amount: number;
  readonly session: UsMarketType;
}

/** One US best bid/ask (HDFSASP0, level 1: the only free level for the US, W2). */
export interface UsBookRecord {
  readonly key: string;
  readonly ticker: string;
  readonly decimals: number;
  /** KHMS: Korean time `HHMMSS`. */
  readonly kstTime: string;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly totalBidSize: number;
  readonly totalAskSize: number;
  /**
   * Every level the record carries, best first (one in the 17-wide layout, ten in the 71-wide one): price
   * and size per side, as KIS sends them.
   */
  readonly bids: readonly { readonly price: number; readonly size: number }[];
  readonly asks: readonly { readonly price: number; readonly size: number }[];
}

/** Reads the index record at `offset`. */
export function readIndex(fields: readonly string[], offset: number): IndexRecord {
  const o = offset;
  const sign = toSign(fields[o + H0UPCNT0.SIGN]);
  return {
    code: fields[o] ?? '',
    time: fields[o + H0UPCNT0.TIME] ?? '',
    value: num(fields[o + H0UPCNT0.VALUE]),
    sign,
    change: signed(num(fields[o + H0UPCNT0.CHANGE]), sign),
    rate: signed(num(fields[o + H0UPCNT0.RATE]), sign),
    open: num(fields[o + H0UPCNT0.OPEN]),
    high: num(fields[o + H0UPCNT0.HIGH]),
    low: num(fields[o + H0UPCNT0.LOW]),
    volume: num(fields[o + H0UPCNT0.VOLUME]),
    advancers: num(fields[o + H0UPCNT0.UP]),
    unchanged: num(fields[o + H0UPCNT0.FLAT]),
    decliners: num(fields[o + H0UPCNT0.DOWN]),
  };
}

/** A change whose wire text may be unsigned takes its sign from the sign code (4, 5 = down). */
function signed(value: number, sign: Sign): number {
  const magnitude = Math.abs(value);
  return sign === '4' || sign === '5' ? -magnitude : magnitude;
}

const MTYP: Readonly<Record<string, UsMarketType>> = { '1': 'regular', '2': 'pre', '3': 'after' };

/** Reads the US trade at `offset` (wire layout, RSYM first). */
export function readUsTrade(fields: readonly string[], offset: number): UsTradeRecord {
  const o = offset;
  const sign = toSign(fields[o + HDFSCNT0.SIGN]);
  return {
    key: fields[o] ?? '',
    ticker: fields[o + HDFSCNT0.SYMB] ?? '',
    decimals: num(fields[o + HDFSCNT0.ZDIV]),
    localDate: fields[o + HDFSCNT0.XYMD] ?? '',
    localTime: fields[o + HDFSCNT0.XHMS] ?? '',
    kstDate: fields[o + HDFSCNT0.KYMD] ?? '',
    kstTime: fields[o + HDFSCNT0.KHMS] ?? '',
    price: num(fields[o + HDFSCNT0.LAST]),
    open: num(fields[o + HDFSCNT0.OPEN]),
    high: num(fields[o + HDFSCNT0.HIGH]),
    low: num(fields[o + HDFSCNT0.LOW]),
    sign,
    change: signed(num(fields[o + HDFSCNT0.DIFF]), sign),
    rate: signed(num(fields[o + HDFSCNT0.RATE]), sign),
    bid: num(fields[o + HDFSCNT0.PBID]),
    ask: num(fields[o + HDFSCNT0.PASK]),
    volume: num(fields[o + HDFSCNT0.EVOL]),
    cumulativeVolume: num(fields[o + HDFSCNT0.TVOL]),
    amount: num(fields[o + HDFSCNT0.TAMT]),
    session: MTYP[fields[o + HDFSCNT0.MTYP] ?? ''] ?? 'unknown',
  };
}

const BOOK = Object.fromEntries(US_BOOK_COLUMNS.map((c, i) => [c, i])) as Readonly<Record<string, number>>;

/** Levels of a US book record `width` fields wide: ten in the 71-wide layout, else one. */
function usBookLevels(width: number): number {
  return width >= US_BOOK_COLUMNS.length ? 10 : 1;
}

/**
 * Reads the US book at `offset` (level 1 sits at the same place in the 17 and 71 layouts); `width` says
 * how many levels it carries (default: one).
 */
export function readUsBook(fields: readonly string[], offset: number, width = 17): UsBookRecord {
  const o = offset;
  const levels = usBookLevels(width);
  const bids: { price: number; size: number }[] = [];
  const asks: { price: number; size: number }[] = [];
  for (let n = 1; n <= levels; n++) {
    bids.push({ price: num(fields[o + BOOK[`PBID${n}`]]), size: num(fields[o + BOOK[`VBID${n}`]]) });
    asks.push({ price: num(fields[o + BOOK[`PASK${n}`]]), size: num(fields[o + BOOK[`VASK${n}`]]) });
  }
  return {
    bids,
    asks,
    key: fields[o] ?? '',
    ticker: fields[o + BOOK.SYMB] ?? '',
    decimals: num(fields[o + BOOK.ZDIV]),
    kstTime: fields[o + BOOK.KHMS] ?? '',
    bid: num(fields[o + BOOK.PBID1]),
    ask: num(fields[o + BOOK.PASK1]),
    bidSize: num(fields[o + BOOK.VBID1]),
    askSize: num(fields[o + BOOK.VASK1]),
    totalBidSize: num(fields[o + BOOK.BVOL]),
    totalAskSize: num(fields[o + BOOK.AVOL]),
  };
}

/** One readable record of an index/overseas frame. */
export type IntlRecord =
  | { readonly kind: 'index'; readonly record: IndexRecord }
  | { readonly kind: 'usTrade'; readonly record: UsTradeRecord }
  | { readonly kind: 'usBook'; readonly record: UsBookRecord };

/** Stable codes of a frame that cannot be read. */
export type IntlRecordErrorCode = 'UNKNOWN_TR' | 'UNKNOWN_WIDTH';

/** A frame that cannot be read: data, not a throw. */
export interface IntlRecordError {
  readonly code: IntlRecordErrorCode;
  readonly message: string;
}

/** Undefined when `width` is readable for `trId`, else the reason. */
export function checkIntlWidth(trId: string, width: number): IntlRecordError | undefined {
  const layout = INTL_LAYOUTS.get(trId);
  if (layout === undefined) return { code: 'UNKNOWN_TR', message: `${trId} is not an index or overseas TR` };
  const widths = layout.widths;
  if (widths.includes(width) || width > widths[widths.length - 1]) return undefined;
  return {
    code: 'UNKNOWN_WIDTH',
    message: `${trId} record of ${width} fields; documented widths are ${widths.join(', ')}`,
  };
}

/**
 * Reads every record of an index/overseas frame from its split fields, in one pass.
 * @returns the number of records read
 */
export function readIntlRecords(
  trId: string,
  fields: readonly string[],
  width: number,
  onRecord: (record: IntlRecord) => void,
  onError: (error: IntlRecordError) => void,
): number {
  const bad = checkIntlWidth(trId, width);
  if (bad !== undefined) {
    onError(bad);
    return 0;
  }
  const kind = (INTL_LAYOUTS.get(trId) as IntlLayout).kind;
  let read = 0;
  for (let o = 0; o + width <= fields.length; o += width) {
    switch (kind) {
      case 'index':
        onRecord({ kind, record: readIndex(fields, o) });
        break;
      case 'usTrade':
        onRecord({ kind, record: readUsTrade(fields, o) });
        break;
      case 'usBook':
        onRecord({ kind, record: readUsBook(fields, o, width) });
        break;
    }
    read++;
  }
  return read;
}
