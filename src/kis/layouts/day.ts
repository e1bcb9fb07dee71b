/**
 * Layouts of the whole-day TRs: NXT and unified trades/books, expected execution (auctions)
 * and market status (VI, halts). Column lists are data, copied (names only) from KIS's official samples
 * (koreainvestment/open-trading-api `examples_user/domestic_stock/domestic_stock_functions_ws.py`, the
 * functions named beside each list; see the KIS fact sheet kis-ws-more.md (external) §1–§5). Field indexes are derived
 * from the lists, so a list and its constants cannot disagree.
 *
 * Widths: the sources disagree (kis-ws-more.md §10), so every documented width is accepted; a width
 * between the narrowest and the widest documented one that is not documented is refused with a typed
 * error (the caller counts it and the stream goes on). Wider records are read by their known prefix,
 * because KIS appends fields over time (kis-protocol.md §11.2).
 */
import { num, toSign, type TrLayout } from './fields';
import { H0STASP0, H0STCNT0, readOrderBook, readTrade } from './krx';
import type { OrderBookRecord, Sign, TradeRecord } from '../types';

/** Where a record's data comes from: KRX, Nextrade, or the unified (KRX+NXT, 통합) feed. */
export type FeedExchange = 'KRX' | 'NXT' | 'unified';

/** What a TR carries. */
export type DayTrKind = 'trade' | 'book' | 'expected' | 'status';

/** A whole-day TR's layout: which exchange its data comes from, too. */
export interface DayLayout extends TrLayout<DayTrKind> {
  readonly exchange: FeedExchange;
}

/** The 46 trade columns (W1 `ccnl_total` / `ccnl_nxt`); H0STCNT0 differs only in the name of idx 21. */
const CNT_COLUMNS: readonly string[] = [
  'MKSC_SHRN_ISCD',
  'STCK_CNTG_HOUR',
  'STCK_PRPR',
  'PRDY_VRSS_SIGN',
  'PRDY_VRSS',
  'PRDY_CTRT',
  'WGHN_AVRG_STCK_PRC',
  'STCK_OPRC',
  'STCK_HGPR',
  'STCK_LWPR',
  'ASKP1',
  'BIDP1',
  'CNTG_VOL',
  'ACML_VOL',
  'ACML_TR_PBMN',
  'SELN_CNTG_CSNU',
  'SHNU_CNTG_CSNU',
  'NTBY_CNTG_CSNU',
  'CTTR',
  'SELN_CNTG_SMTN',
  'SHNU_CNTG_SMTN',
  'CNTG_CLS_CODE',
  'SHNU_RATE',
  'PRDY_VOL_VRSS_ACML_VOL_RATE',
  'OPRC_HOUR',
  'OPRC_VRSS_PRPR_SIGN',
  'OPRC_VRSS_PRPR',
  'HGPR_HOUR',
  'HGPR_VRSS_PRPR_SIGN',
  'HGPR_VRSS_PRPR',
  'LWPR_HOUR',
  'LWPR_VRSS_PRPR_SIGN',
  'LWPR_VRSS_PRPR',
  'BSOP_DATE',
  'NEW_MKOP_CLS_CODE',
  'TRHT_YN',
  'ASKP_RSQN1',
  'BIDP_RSQN1',
  'TOTAL_ASKP_RSQN',
  'TOTAL_BIDP_RSQN',
  'VOL_TNRT',
  'PRDY_SMNS_HOUR_ACML_VOL',
  'PRDY_SMNS_HOUR_ACML_VOL_RATE',
  'HOUR_CLS_CODE',
  'MRKT_TRTM_CLS_CODE',
  'VI_STND_PRC',
];

const levelNames = (prefix: string): string[] => Array.from({ length: 10 }, (_, i) => `${prefix}${i + 1}`);

/** The 65 book columns (W1 `asking_price_nxt` / `asking_price_total`): H0STASP0's 59 + KMID×3 + NMID×3. */
const ASP_COLUMNS: readonly string[] = [
  'MKSC_SHRN_ISCD',
  'BSOP_HOUR',
  'HOUR_CLS_CODE',
  ...levelNames('ASKP'),
  ...levelNames('BIDP'),
  ...levelNames('ASKP_RSQN'),
  ...levelNames('BIDP_RSQN'),
  'TOTAL_ASKP_RSQN',
  'TOTAL_BIDP_RSQN',
  'OVTM_TOTAL_ASKP_RSQN',
  'OVTM_TOTAL_BIDP_RSQN',
  'ANTC_CNPR',
  'ANTC_CNQN',
  'ANTC_VOL',
  'ANTC_CNTG_VRSS',
  'ANTC_CNTG_VRSS_SIGN',
  'ANTC_CNTG_PRDY_CTRT',
  'ACML_VOL',
  'TOTAL_ASKP_RSQN_ICDC',
  'TOTAL_BIDP_RSQN_ICDC',
  'OVTM_TOTAL_ASKP_ICDC',
  'OVTM_TOTAL_BIDP_ICDC',
  'STCK_DEAL_CLS_CODE',
  'KMID_PRC',
  'KMID_TOTAL_RSQN',
  'KMID_CLS_CODE',
  'NMID_PRC',
  'NMID_TOTAL_RSQN',
  'NMID_CLS_CODE',
];

/** H0STANC0 (W1 `exp_ccnl_krx`, lower-case in the sample): the trade list without VI_STND_PRC, 45 names. */
const ANC_KRX_COLUMNS: readonly string[] = CNT_COLUMNS.slice(0, 45).map((c) => c.toLowerCase());
/** H0NXANC0 / H0UNANC0 (W1 `exp_ccnl_nxt` / `exp_ccnl_total`): the 46 trade names. */
const ANC_COLUMNS: readonly string[] = CNT_COLUMNS;

/** H0STMKO0 / H0NXMKO0 (W1 `market_status_krx` / `market_status_nxt`), 11 names. */
const MKO_COLUMNS: readonly string[] = [
  'MKSC_SHRN_ISCD',
  'TRHT_YN',
  'TR_SUSP_REAS_CNTT',
  'MKOP_CLS_CODE',
  'ANTC_MKOP_CLS_CODE',
  'MRKT_TRTM_CLS_CODE',
  'DIVI_APP_CLS_CODE',
  'ISCD_STAT_CLS_CODE',
  'VI_CLS_CODE',
  'OVTM_VI_CLS_CODE',
  'EXCH_CLS_CODE',
];
/** H0UNMKO0 (W1 `market_status_total`): the same without the symbol, 10 names. */
const MKO_UNIFIED_COLUMNS: readonly string[] = MKO_COLUMNS.slice(1);

/** Every whole-day TR, keyed by id. */
export const DAY_LAYOUTS: ReadonlyMap<string, DayLayout> = new Map(
  (
    [
      {
        trId: 'H0UNCNT0',
        kind: 'trade',
        exchange: 'unified',
        columns: CNT_COLUMNS,
        widths: [46],
        source: 'W1 ccnl_total',
      },
      { trId: 'H0NXCNT0', kind: 'trade', exchange: 'NXT', columns: CNT_COLUMNS, widths: [46], source: 'W1 ccnl_nxt' },
      // 62: portal workbook (kis-protocol.md §8.2) says 59 + NMID×3; 65: official sample; 66: + ANTC_EXCH_CLS_CODE
      // from 2026-09 (kis-protocol.md, H0UNASP0). Live width UNCONFIRMED.
      {
        trId: 'H0UNASP0',
        kind: 'book',
        exchange: 'unified',
        columns: ASP_COLUMNS,
        widths: [62, 65, 66],
        source: 'W1 asking_price_total; 62/66 UNCONFIRMED',
      },
      {
        trId: 'H0NXASP0',
        kind: 'book',
        exchange: 'NXT',
        columns: ASP_COLUMNS,
        widths: [62, 65],
        source: 'W1 asking_price_nxt; 62 per portal workbook, UNCONFIRMED',
      },
      // 46: the portal lists a trailing dummy (kis-protocol.md §7.1). UNCONFIRMED.
      {
        trId: 'H0STANC0',
        kind: 'expected',
        exchange: 'KRX',
        columns: ANC_KRX_COLUMNS,
        widths: [45, 46],
        source: 'W1 exp_ccnl_krx; 46 (dummy) UNCONFIRMED',
      },
      {
        trId: 'H0UNANC0',
        kind: 'expected',
        exchange: 'unified',
        columns: ANC_COLUMNS,
        widths: [46],
        source: 'W1 exp_ccnl_total',
      },
      {
        trId: 'H0NXANC0',
        kind: 'expected',
        exchange: 'NXT',
        columns: ANC_COLUMNS,
        widths: [46],
        source: 'W1 exp_ccnl_nxt',
      },
      // 10: the portal's own example frame has no EXCH_CLS_CODE (X1). UNCONFIRMED.
      {
        trId: 'H0STMKO0',
        kind: 'status',
        exchange: 'KRX',
        columns: MKO_COLUMNS,
        widths: [10, 11],
        source: 'W1 market_status_krx; 10 per portal example (X1)',
      },
      // 10 = no symbol (sample and X1 workbook); 11 accepted in case the live record does carry it. UNCONFIRMED.
      {
        trId: 'H0UNMKO0',
        kind: 'status',
        exchange: 'unified',
        columns: MKO_UNIFIED_COLUMNS,
        widths: [10, 11],
        source: 'W1 market_status_total; symbol field UNCONFIRMED',
      },
      {
        trId: 'H0NXMKO0',
        kind: 'status',
        exchange: 'NXT',
        columns: MKO_COLUMNS,
        widths: [10, 11],
        source: 'W1 market_status_nxt; 10 by analogy with H0STMKO0',
      },
    ] as const satisfies readonly DayLayout[]
  ).map((l) => [l.trId, l]),
);

/** The layout of a whole-day TR, or undefined. */
export function dayLayout(trId: string): DayLayout | undefined {
  return DAY_LAYOUTS.get(trId);
}

/** The narrowest documented width of a whole-day TR (0 when `trId` is not one). */
export function dayMinimumWidth(trId: string): number {
  return DAY_LAYOUTS.get(trId)?.widths[0] ?? 0;
}

/**
 * True for TRs whose tr_key is a KRX stock code (the agent refuses other keys before sending them, as
 * KIS would with OPSP8992 after a round trip): the KRX trade/book TRs and every whole-day TR.
 */
export function needsKrxCodeKey(trId: string): boolean {
  return trId === 'H0STCNT0' || trId === 'H0STASP0' || DAY_LAYOUTS.has(trId);
}

/**
 * The TRs the paper (모의) server serves: only the KRX trade and book (and the notice). The official
 * samples give a `demo` branch for nothing else; the workbook copies say "모의투자 미지원" (kis-ws-more.md §0).
 */
export const PAPER_TRS: ReadonlySet<string> = new Set(['H0STCNT0', 'H0STASP0', 'H0STCNI9']);

/** Stable codes of a record that cannot be read. */
export type DayRecordErrorCode = 'UNKNOWN_TR' | 'UNKNOWN_WIDTH' | 'NO_SYMBOL';

/** A record (or frame) that cannot be read: data, not a throw, so the caller counts it and goes on. */
export interface DayRecordError {
  readonly code: DayRecordErrorCode;
  readonly message: string;
}

/** Undefined when `width` is readable for `trId`, else the reason. */
export function checkDayWidth(trId: string, width: number): DayRecordError | undefined {
  const layout = DAY_LAYOUTS.get(trId);
  if (layout === undefined) return { code: 'UNKNOWN_TR', message: `${trId} is not a whole-day TR` };
  const widths = layout.widths;
  if (widths.includes(width) || width > widths[widths.length - 1]) return undefined;
  return {
    code: 'UNKNOWN_WIDTH',
    message: `${trId} record of ${width} fields; documented widths are ${widths.join(', ')}`,
  };
}

/** A trade from any exchange's feed: the H0STCNT0 fields plus where it came from. */
export interface DayTradeRecord extends TradeRecord {
  readonly exchange: FeedExchange;
}

/** Reads the NXT/unified trade record at `offset` (same positions as H0STCNT0; idx 21 is CNTG_CLS_CODE). */
export function readDayTrade(fields: readonly string[], offset: number, exchange: FeedExchange): DayTradeRecord {
  return { ...readTrade(fields, offset, H0STCNT0.VI_STND_PRC + 1), exchange };
}

/** A book from the NXT/unified feed: the H0STASP0 fields plus the per-exchange midpoints. */
export interface DayBookRecord extends OrderBookRecord {
  readonly exchange: FeedExchange;
  /** KMID_PRC (KRX midpoint; 65-wide layouts only, else 0). */
  readonly krxMidPrice: number;
  /** NMID_PRC: NXT midpoint (at 59 in the 62-wide layout, 62 in the 65-wide one). */
  readonly nxtMidPrice: number;
}

/** Reads the NXT/unified book at `offset` with `levels` per side; `width` picks the 62 or 65 layout. */
export function readDayBook(
  fields: readonly string[],
  offset: number,
  width: number,
  exchange: FeedExchange,
  levels = 10,
): DayBookRecord {
  const book = readOrderBook(fields, offset, levels, H0STASP0.STCK_DEAL_CLS_CODE + 1);
  const wide = width >= ASP_COLUMNS.length;
  return {
    ...book,
    exchange,
    krxMidPrice: wide ? num(fields[offset + ASP_COLUMNS.indexOf('KMID_PRC')]) : 0,
    nxtMidPrice: num(fields[offset + (wide ? ASP_COLUMNS.indexOf('NMID_PRC') : H0STASP0.MID_PRC)]),
  };
}

/** One expected-execution (예상체결) record: the auction's indicative price, not a trade. */
export interface ExpectedRecord {
  readonly exchange: FeedExchange;
  readonly symbol: string;
  /** HHMMSS KST. */
  readonly time: string;
  /** Expected (indicative) price; UNCONFIRMED that STCK_PRPR carries it (kis-ws-more.md §4). */
  readonly price: number;
  readonly sign: Sign;
  readonly change: number;
  readonly rate: number;
  /** Expected matched volume (CNTG_VOL). */
  readonly volume: number;
  readonly hourClsCode: string;
  /** VI_STND_PRC (NXT/unified only; 0 for H0STANC0). */
  readonly viPrice: number;
}

/** Reads the expected-execution record at `offset` (H0STANC0 has no VI_STND_PRC). */
export function readExpected(
  fields: readonly string[],
  offset: number,
  trId: string,
  exchange: FeedExchange,
): ExpectedRecord {
  const o = offset;
  return {
    exchange,
    symbol: fields[o] ?? '',
    time: fields[o + H0STCNT0.STCK_CNTG_HOUR] ?? '',
    price: num(fields[o + H0STCNT0.STCK_PRPR]),
    sign: toSign(fields[o + H0STCNT0.PRDY_VRSS_SIGN]),
    change: num(fields[o + H0STCNT0.PRDY_VRSS]),
    rate: num(fields[o + H0STCNT0.PRDY_CTRT]),
    volume: num(fields[o + H0STCNT0.CNTG_VOL]),
    hourClsCode: fields[o + H0STCNT0.HOUR_CLS_CODE] ?? '',
    viPrice: trId === 'H0STANC0' ? 0 : num(fields[o + H0STCNT0.VI_STND_PRC]),
  };
}

/** One market-status (장운영정보) record: sent when a VI starts or ends (W5 chk_market_status_krx). */
export interface MarketStatusRecord {
  readonly exchange: FeedExchange;
  readonly symbol: string;
  /** TRHT_YN === 'Y'. */
  readonly halted: boolean;
  /** TR_SUSP_REAS_CNTT; KIS sends the literal "(null)" for none, read as ''. */
  readonly haltReason: string;
  readonly mkopCode: string;
  readonly expectedMkopCode: string;
  /** VI_CLS_CODE === 'Y' (static and dynamic VI are not told apart here). */
  readonly vi: boolean;
  /** OVTM_VI_CLS_CODE === 'Y' (after-hours single-price VI). */
  readonly afterHoursVi: boolean;
  readonly stockStatusCode: string;
}

/**
 * Reads the market-status record at `offset`. Records with a symbol field (H0STMKO0/H0NXMKO0, and an
 * 11-wide H0UNMKO0) name their stock; a 10-wide H0UNMKO0 does not, so its symbol is `trKey` when the
 * caller knows the one registration it came from. No symbol at all → NO_SYMBOL.
 */
export function readMarketStatus(
  fields: readonly string[],
  offset: number,
  width: number,
  trId: string,
  exchange: FeedExchange,
  trKey = '',
): MarketStatusRecord | DayRecordError {
  const hasSymbol = trId !== 'H0UNMKO0' || width > MKO_UNIFIED_COLUMNS.length;
  const o = hasSymbol ? offset + 1 : offset;
  const symbol = hasSymbol ? (fields[offset] ?? '') : trKey;
  if (symbol === '') return { code: 'NO_SYMBOL', message: `${trId} record without a symbol` };
  const reason = fields[o + 1] ?? '';
  return {
    exchange,
    symbol,
    halted: fields[o] === 'Y',
    haltReason: reason === '(null)' ? '' : reason,
    mkopCode: fields[o + 2] ?? '',
    expectedMkopCode: fields[o + 3] ?? '',
    stockStatusCode: fields[o + 6] ?? '',
    vi: fields[o + 7] === 'Y',
    afterHoursVi: fields[o + 8] === 'Y',
  };
}

/** One readable record of a whole-day frame. */
export type DayRecord =
  | { readonly kind: 'trade'; readonly record: DayTradeRecord }
  | { readonly kind: 'book'; readonly record: DayBookRecord }
  | { readonly kind: 'expected'; readonly record: ExpectedRecord }
  | { readonly kind: 'status'; readonly record: MarketStatusRecord };

/**
 * Reads every record of a whole-day frame from its split fields, in one pass: readable records go to
 * `onRecord`, unreadable ones to `onError` (one error for a frame of an unknown width).
 * @returns the number of records read
 */
export function readDayRecords(
  trId: string,
  fields: readonly string[],
  width: number,
  onRecord: (record: DayRecord) => void,
  onError: (error: DayRecordError) => void,
  trKey = '',
): number {
  const bad = checkDayWidth(trId, width);
  if (bad !== undefined) {
    onError(bad);
    return 0;
  }
  const layout = DAY_LAYOUTS.get(trId) as DayLayout;
  const exchange = layout.exchange;
  let read = 0;
  for (let o = 0; o + width <= fields.length; o += width) {
    switch (layout.kind) {
      case 'trade':
        onRecord({ kind: 'trade', record: readDayTrade(fields, o, exchange) });
        break;
      case 'book':
        onRecord({ kind: 'book', record: readDayBook(fields, o, width, exchange) });
        break;
      case 'expected':
        onRecord({ kind: 'expected', record: readExpected(fields, o, trId, exchange) });
        break;
      case 'status': {
        const status = readMarketStatus(fields, o, width, trId, exchange, trKey);
        if ('code' in status) {
          onError(status);
          continue;
        }
        onRecord({ kind: 'status', record: status });
        break;
      }
    }
    read++;
  }
  return read;
}
