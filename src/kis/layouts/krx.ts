/**
 * Field layouts of the KRX TRs the paper service streams too (trade, order book, execution notice;
 * kis-protocol.md §8) and typed accessors over a flat field array.
 *
 * The accessors take the whole frame's `payload.split('^')` plus the record's offset (`i * width`), so the
 * caller splits once per frame and nothing here slices or copies: they run for every record at up to
 * 250,000 records/s in the worker.
 */
import type { ExecutionNotice, OrderBookLevel, OrderBookRecord, TradeRecord } from '../types';
import { num, toSign } from './fields';

/** TR ids this module knows. */
export const TR = {
  /** 국내주식 실시간체결가 (KRX). */
  TRADE: 'H0STCNT0',
  /** 국내주식 실시간호가 (KRX). */
  ORDER_BOOK: 'H0STASP0',
  /** 국내주식 실시간체결통보, real server (encrypted). */
  NOTICE: 'H0STCNI0',
  /** 국내주식 실시간체결통보, paper server (encrypted). */
  NOTICE_PAPER: 'H0STCNI9',
} as const;

/** H0STCNT0 field indexes (46 fields; MARKET_CLS_CODE is a 47th since 2026-09-14, position unconfirmed). */
export const H0STCNT0 = {
  MKSC_SHRN_ISCD: 0,
  STCK_CNTG_HOUR: 1,
  STCK_PRPR: 2,
  PRDY_VRSS_SIGN: 3,
  PRDY_VRSS: 4,
  PRDY_CTRT: 5,
  WGHN_AVRG_STCK_PRC: 6,
  STCK_OPRC: 7,
  STCK_HGPR: 8,
  STCK_LWPR: 9,
  ASKP1: 10,
  BIDP1: 11,
  CNTG_VOL: 12,
  ACML_VOL: 13,
  ACML_TR_PBMN: 14,
  SELN_CNTG_CSNU: 15,
  SHNU_CNTG_CSNU: 16,
  NTBY_CNTG_CSNU: 17,
  CTTR: 18,
  SELN_CNTG_SMTN: 19,
  SHNU_CNTG_SMTN: 20,
  CCLD_DVSN: 21,
  SHNU_RATE: 22,
  PRDY_VOL_VRSS_ACML_VOL_RATE: 23,
  OPRC_HOUR: 24,
  OPRC_VRSS_PRPR_SIGN: 25,
  OPRC_VRSS_PRPR: 26,
  HGPR_HOUR: 27,
  HGPR_VRSS_PRPR_SIGN: 28,
  HGPR_VRSS_PRPR: 29,
  LWPR_HOUR: 30,
  LWPR_VRSS_PRPR_SIGN: 31,
  LWPR_VRSS_PRPR: 32,
  BSOP_DATE: 33,
  NEW_MKOP_CLS_CODE: 34,
  TRHT_YN: 35,
  ASKP_RSQN1: 36,
  BIDP_RSQN1: 37,
  TOTAL_ASKP_RSQN: 38,
  TOTAL_BIDP_RSQN: 39,
  VOL_TNRT: 40,
  PRDY_SMNS_HOUR_ACML_VOL: 41,
  PRDY_SMNS_HOUR_ACML_VOL_RATE: 42,
  HOUR_CLS_CODE: 43,
  MRKT_TRTM_CLS_CODE: 44,
  VI_STND_PRC: 45,
  /** Present only in 47-field records. */
  MARKET_CLS_CODE: 46,
} as const;

/** H0STASP0 field indexes: 59 fields, 62 with the midpoint fields, 63 with MARKET_CLS_CODE. */
export const H0STASP0 = {
  MKSC_SHRN_ISCD: 0,
  BSOP_HOUR: 1,
  HOUR_CLS_CODE: 2,
  /** ASKP1..ASKP10 at 3..12 (level 1 = best). */
  ASKP1: 3,
  /** BIDP1..BIDP10 at 13..22. */
  BIDP1: 13,
  /** ASKP_RSQN1..10 at 23..32. */
  ASKP_RSQN1: 23,
  /** BIDP_RSQN1..10 at 33..42. */
  BIDP_RSQN1: 33,
  TOTAL_ASKP_RSQN: 43,
  TOTAL_BIDP_RSQN: 44,
  OVTM_TOTAL_ASKP_RSQN: 45,
  OVTM_TOTAL_BIDP_RSQN: 46,
  ANTC_CNPR: 47,
  ANTC_CNQN: 48,
  ANTC_VOL: 49,
  ANTC_CNTG_VRSS: 50,
  ANTC_CNTG_VRSS_SIGN: 51,
  ANTC_CNTG_PRDY_CTRT: 52,
  ACML_VOL: 53,
  TOTAL_ASKP_RSQN_ICDC: 54,
  TOTAL_BIDP_RSQN_ICDC: 55,
  OVTM_TOTAL_ASKP_ICDC: 56,
  OVTM_TOTAL_BIDP_ICDC: 57,
  STCK_DEAL_CLS_CODE: 58,
  /** 62/63-field layouts only. */
  MID_PRC: 59,
  MIDP_TOTAL_RSQN: 60,
  MIDP_CLS_CODE: 61,
  /** 63-field layout only. */
  MARKET_CLS_CODE: 62,
  /** Levels per side. */
  LEVELS: 10,
} as const;

/** H0STCNI0 fields 0..17: the same in the legacy 23-field and the current 26-field layout. */
const H0STCNI0_COMMON = {
  CUST_ID: 0,
  ACNT_NO: 1,
  ODER_NO: 2,
  OODER_NO: 3,
  SELN_BYOV_CLS: 4,
  RCTF_CLS: 5,
  ODER_KIND: 6,
  ODER_COND: 7,
  STCK_SHRN_ISCD: 8,
  CNTG_QTY: 9,
  CNTG_UNPR: 10,
  STCK_CNTG_HOUR: 11,
  RFUS_YN: 12,
  CNTG_YN: 13,
  ACPT_YN: 14,
  BRNC_NO: 15,
  ODER_QTY: 16,
  ACNT_NAME: 17,
} as const;

/** H0STCNI0 / H0STCNI9 field indexes, current 26-field layout. */
export const H0STCNI0 = {
  ...H0STCNI0_COMMON,
  ORD_COND_PRC: 18,
  ORD_EXG_GB: 19,
  POPUP_YN: 20,
  FILLER: 21,
  CRDT_CLS: 22,
  CRDT_LOAN_DATE: 23,
  CNTG_ISNM40: 24,
  ODER_PRC: 25,
} as const;

/** H0STCNI0 legacy 23-field layout (until about March 2025; pykis and mojito still expect it). */
export const H0STCNI0_LEGACY = {
  ...H0STCNI0_COMMON,
  CNTG_ISNM: 18,
  CRDT_CLS: 19,
  CRDT_LOAN_DATE: 20,
  CNTG_ISNM40: 21,
  ODER_PRC: 22,
} as const;

/** Documented widths: the oldest layout of each TR (newer layouts only append fields). */
export const H0STCNT0_WIDTH = 46;
/** H0STCNT0 width with MARKET_CLS_CODE. */
export const H0STCNT0_WIDTH_MARKET = 47;
export const H0STASP0_WIDTH = 59;
/** H0STASP0 with MID_PRC, MIDP_TOTAL_RSQN, MIDP_CLS_CODE. */
export const H0STASP0_WIDTH_MID = 62;
/** H0STASP0 with the midpoint fields and MARKET_CLS_CODE. */
export const H0STASP0_WIDTH_MARKET = 63;
export const H0STCNI0_WIDTH = 26;
export const H0STCNI0_WIDTH_LEGACY = 23;

/** A field as text, '' when the record is shorter than expected. */
function str(s: string | undefined): string {
  return s === undefined ? '' : s;
}

/**
 * Reads the H0STCNT0 record starting at `offset` in `fields`.
 * @param width the frame's width; MARKET_CLS_CODE is read only when it is > 46.
 */
export function readTrade(fields: readonly string[], offset: number, width: number = H0STCNT0_WIDTH): TradeRecord {
  const o = offset;
  return {
    symbol: str(fields[o]),
    time: str(fields[o + 1]),
    price: num(fields[o + 2]),
    sign: toSign(fields[o + 3]),
    change: num(fields[o + 4]),
    rate: num(fields[o + 5]),
    vwap: num(fields[o + 6]),
    open: num(fields[o + 7]),
    high: num(fields[o + 8]),
    low: num(fields[o + 9]),
    ask1: num(fields[o + 10]),
    bid1: num(fields[o + 11]),
    tradeVolume: num(fields[o + 12]),
    cumVolume: num(fields[o + 13]),
    cumValue: num(fields[o + 14]),
    strength: num(fields[o + 18]),
    side: str(fields[o + 21]),
    businessDate: str(fields[o + 33]),
    marketOperationCode: str(fields[o + 34]),
    halted: fields[o + 35] === 'Y',
    askSize1: num(fields[o + 36]),
    bidSize1: num(fields[o + 37]),
    totalAskSize: num(fields[o + 38]),
    totalBidSize: num(fields[o + 39]),
    hourClsCode: str(fields[o + 43]),
    viPrice: num(fields[o + 45]),
    marketClsCode: width > H0STCNT0.MARKET_CLS_CODE ? str(fields[o + 46]) : '',
  };
}

/**
 * Reads the H0STASP0 record starting at `offset`, with `levels` (1..10) levels per side, best first.
 * @param width the frame's width; MID_PRC is read when it is >= 62 and MARKET_CLS_CODE when >= 63.
 */
export function readOrderBook(
  fields: readonly string[],
  offset: number,
  levels: number = H0STASP0.LEVELS,
  width: number = H0STASP0_WIDTH,
): OrderBookRecord {
  const o = offset;
  const n = levels < 0 ? 0 : levels > H0STASP0.LEVELS ? H0STASP0.LEVELS : levels | 0;
  const asks = new Array<OrderBookLevel>(n);
  const bids = new Array<OrderBookLevel>(n);
  for (let i = 0; i < n; i++) {
    asks[i] = { price: num(fields[o + H0STASP0.ASKP1 + i]), size: num(fields[o + H0STASP0.ASKP_RSQN1 + i]) };
    bids[i] = { price: num(fields[o + H0STASP0.BIDP1 + i]), size: num(fields[o + H0STASP0.BIDP_RSQN1 + i]) };
  }
  return {
    symbol: str(fields[o]),
    time: str(fields[o + H0STASP0.BSOP_HOUR]),
    hourClsCode: str(fields[o + H0STASP0.HOUR_CLS_CODE]),
    asks,
    bids,
    totalAskSize: num(fields[o + H0STASP0.TOTAL_ASKP_RSQN]),
    totalBidSize: num(fields[o + H0STASP0.TOTAL_BIDP_RSQN]),
    expectedPrice: num(fields[o + H0STASP0.ANTC_CNPR]),
    expectedVolume: num(fields[o + H0STASP0.ANTC_VOL]),
    cumVolume: num(fields[o + H0STASP0.ACML_VOL]),
    midPrice: width > H0STASP0.MID_PRC ? num(fields[o + H0STASP0.MID_PRC]) : 0,
    marketClsCode: width > H0STASP0.MARKET_CLS_CODE ? str(fields[o + H0STASP0.MARKET_CLS_CODE]) : '',
  };
}

/**
 * Reads the decrypted H0STCNI0/H0STCNI9 record at `offset`. `width` picks the layout: 23 and 24/25 read
 * the legacy layout, 26 and more the current one.
 */
export function readNotice(fields: readonly string[], offset: number, width: number = H0STCNI0_WIDTH): ExecutionNotice {
  const o = offset;
  const legacy = width < H0STCNI0_WIDTH;
  const sideCode = fields[o + H0STCNI0.SELN_BYOV_CLS];
  return {
    customerId: str(fields[o + H0STCNI0.CUST_ID]),
    accountNo: str(fields[o + H0STCNI0.ACNT_NO]),
    orderNo: str(fields[o + H0STCNI0.ODER_NO]),
    originalOrderNo: str(fields[o + H0STCNI0.OODER_NO]),
    side: sideCode === '01' ? 'sell' : sideCode === '02' ? 'buy' : 'other',
    correctionCode: str(fields[o + H0STCNI0.RCTF_CLS]),
    orderKind: str(fields[o + H0STCNI0.ODER_KIND]),
    symbol: str(fields[o + H0STCNI0.STCK_SHRN_ISCD]),
    quantity: num(fields[o + H0STCNI0.CNTG_QTY]),
    price: num(fields[o + H0STCNI0.CNTG_UNPR]),
    time: str(fields[o + H0STCNI0.STCK_CNTG_HOUR]),
    rejected: fields[o + H0STCNI0.RFUS_YN] === '1',
    isFill: fields[o + H0STCNI0.CNTG_YN] === '2',
    acceptCode: str(fields[o + H0STCNI0.ACPT_YN]),
    orderQuantity: num(fields[o + H0STCNI0.ODER_QTY]),
    accountName: str(fields[o + H0STCNI0.ACNT_NAME]),
    // The legacy layout has two name fields; the 40-character one may be empty.
    symbolName: legacy
      ? str(fields[o + H0STCNI0_LEGACY.CNTG_ISNM40]) || str(fields[o + H0STCNI0_LEGACY.CNTG_ISNM])
      : str(fields[o + H0STCNI0.CNTG_ISNM40]),
    orderPrice: num(fields[o + (legacy ? H0STCNI0_LEGACY.ODER_PRC : H0STCNI0.ODER_PRC)]),
    layoutWidth: legacy ? H0STCNI0_WIDTH_LEGACY : H0STCNI0_WIDTH,
  };
}
