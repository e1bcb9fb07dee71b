/**
 * Types for every message of the KIS real-time protocol (the project fact sheet kis-protocol.md, an external
 * document; the README summarises it).
 * Shared by the client (agent) and the simulator. No I/O here.
 */

/** `tr_type` of a subscribe request: "1" registers, "2" releases (the official docstrings' "0" is wrong). */
export type TrType = '1' | '2';

/** Customer type: "P" individual, "B" corporate. */
export type CustType = 'P' | 'B';

/** A subscribe / unsubscribe request exactly as it goes on the wire (kis-protocol.md §4). */
export interface SubscribeRequest {
  header: {
    approval_key: string;
    custtype: CustType;
    tr_type: TrType;
    'content-type': 'utf-8';
  };
  body: { input: { tr_id: string; tr_key: string } };
}

/** The JSON shape of an ack / system reply as sent by the server (kis-protocol.md §5). */
export interface AckWire {
  header?: { tr_id?: string; tr_key?: string; encrypt?: string };
  body: {
    rt_cd: string;
    msg_cd: string;
    msg1: string;
    output?: { iv?: string; key?: string };
  };
}

/** The PINGPONG keep-alive as sent by the server (kis-protocol.md §6). */
export interface PingPongWire {
  header: { tr_id: 'PINGPONG'; datetime: string };
}

/** How the client must treat an OPSP reply code. */
export type OpspClass =
  /** OPSP0000 / OPSP0001: done. */
  | 'success'
  /** OPSP0002 already subscribed, OPSP0003 not found on unsubscribe: the wanted end state holds; not an error. */
  | 'benign'
  /** OPSP0008 over the 41 limit, and every other per-request error: this one request failed, the session lives. */
  | 'refused'
  /** OPSP0011 bad approval key, OPSP8996 appkey in use elsewhere: the server closes the session. */
  | 'fatal';

/** A validated ack, decoded once from its JSON. */
export interface Ack {
  /** `header.tr_id`; `"(null)"` in the OPSP8996 reply, `""` when the header is missing. */
  trId: string;
  /** `header.tr_key`; `""` when absent. */
  trKey: string;
  /** `header.encrypt === "Y"`: data frames of this TR carry an AES payload. */
  encrypt: boolean;
  rtCd: string;
  msgCd: string;
  msg1: string;
  /** AES-256-CBC iv (16 ASCII chars) and key (32 ASCII chars), present on SUBSCRIBE SUCCESS. */
  iv?: string;
  key?: string;
  /** The class of `msgCd` (see `classifyOpsp`). */
  outcome: OpspClass;
}

/**
 * A data frame `encrypt|tr_id|count|payload`, envelope parsed and field count validated,
 * payload NOT yet split (the split happens once, where the records are handled: the worker).
 */
export interface DataFrame {
  /** `1`: the payload is base64 AES-256-CBC ciphertext (execution notices). */
  encrypted: boolean;
  trId: string;
  /** Number of records in the payload (the 3-digit count). */
  count: number;
  /**
   * Fields per record (total fields / count). 0 while the payload is still encrypted
   * (the width is known only after decryption).
   */
  width: number;
  /** The `^`-separated fields of all `count` records, concatenated (plaintext unless `encrypted`). */
  payload: string;
}

/** The result of classifying one inbound text message: done once, nothing re-parses it. */
export type Inbound =
  | { kind: 'frame'; frame: DataFrame }
  /** `text` is the exact received text, to echo back unchanged as a text frame. */
  | { kind: 'pingpong'; datetime: string; text: string }
  | { kind: 'ack'; ack: Ack }
  | { kind: 'invalid'; error: KisProtocolErrorLike };

/** Stable codes for malformed input. */
export type KisProtocolErrorCode =
  | 'EMPTY_MESSAGE'
  | 'UNKNOWN_PREFIX'
  | 'BAD_JSON'
  | 'BAD_ACK'
  | 'BAD_ENVELOPE'
  | 'BAD_ENCRYPT_FLAG'
  | 'BAD_COUNT'
  | 'EMPTY_PAYLOAD'
  | 'FIELD_COUNT_MISMATCH'
  | 'RECORD_TOO_SHORT'
  | 'DECRYPT_FAILED';

/** Structural type of `KisProtocolError` (src/kis/errors.ts), so types.ts stays free of runtime code. */
export interface KisProtocolErrorLike {
  readonly code: KisProtocolErrorCode;
  readonly message: string;
}

/** Price-change sign code: 1 limit up, 2 up, 3 unchanged, 4 limit down, 5 down. */
export type Sign = '1' | '2' | '3' | '4' | '5';

/** One price level of a book side (structurally the same as `BookLevel` in src/shared/snapshot.ts). */
export interface OrderBookLevel {
  price: number;
  size: number;
}

/**
 * One H0STCNT0 trade record, read by `readTrade` (kis-protocol.md §8.1).
 * Numbers are parsed from the wire strings; an empty field reads as 0.
 */
export interface TradeRecord {
  /** MKSC_SHRN_ISCD: the 6-character code (tr_key). */
  symbol: string;
  /** STCK_CNTG_HOUR: trade time HHMMSS (KST). */
  time: string;
  /** STCK_PRPR: last trade price (KRW). */
  price: number;
  /** PRDY_VRSS_SIGN; anything outside 1–5 reads as '3' (unchanged). */
  sign: Sign;
  /** PRDY_VRSS: change vs previous close, signed. */
  change: number;
  /** PRDY_CTRT: change in percent, signed, 2 dp. */
  rate: number;
  /** WGHN_AVRG_STCK_PRC: volume-weighted average price. */
  vwap: number;
  open: number;
  high: number;
  low: number;
  /** ASKP1 / BIDP1: best ask and bid at the time of the trade. */
  ask1: number;
  bid1: number;
  /** CNTG_VOL: quantity of this trade. */
  tradeVolume: number;
  /** ACML_VOL: cumulative volume. */
  cumVolume: number;
  /** ACML_TR_PBMN: cumulative traded value (KRW). */
  cumValue: number;
  /** CTTR: buy/sell strength in percent. */
  strength: number;
  /** CCLD_DVSN: '1' buy-initiated, '3' pre-market, '5' sell-initiated. */
  side: string;
  /** BSOP_DATE: business date YYYYMMDD. */
  businessDate: string;
  /** NEW_MKOP_CLS_CODE, e.g. '20' (regular session, normal). */
  marketOperationCode: string;
  /** TRHT_YN === 'Y'. */
  halted: boolean;
  /** ASKP_RSQN1 / BIDP_RSQN1: sizes at the best ask and bid. */
  askSize1: number;
  bidSize1: number;
  /** TOTAL_ASKP_RSQN / TOTAL_BIDP_RSQN. */
  totalAskSize: number;
  totalBidSize: number;
  /** HOUR_CLS_CODE: '0' regular, 'A'/'B'/'C'/'D' expected-price phases. */
  hourClsCode: string;
  /** VI_STND_PRC: static-VI reference price. */
  viPrice: number;
  /** MARKET_CLS_CODE (47-field layout only): '1' pre, '2' regular, '3' after, '5' closing; '' when absent. */
  marketClsCode: string;
}

/** One H0STASP0 order-book record, read by `readOrderBook` (kis-protocol.md §8.2). */
export interface OrderBookRecord {
  /** MKSC_SHRN_ISCD. */
  symbol: string;
  /** BSOP_HOUR HHMMSS (KST). */
  time: string;
  /** HOUR_CLS_CODE. */
  hourClsCode: string;
  /** Ask levels, best (lowest) first. */
  asks: OrderBookLevel[];
  /** Bid levels, best (highest) first. */
  bids: OrderBookLevel[];
  totalAskSize: number;
  totalBidSize: number;
  /** ANTC_CNPR / ANTC_VOL: expected auction price and volume (0 outside auctions). */
  expectedPrice: number;
  expectedVolume: number;
  /** ACML_VOL. */
  cumVolume: number;
  /** MID_PRC (62/63-field layouts); 0 when absent. */
  midPrice: number;
  /** MARKET_CLS_CODE (63-field layout); '' when absent. */
  marketClsCode: string;
}

/** One H0STCNI0 / H0STCNI9 execution notice (decrypted), read by `readNotice` (kis-protocol.md §8.3). */
export interface ExecutionNotice {
  /** CUST_ID (the HTS ID). */
  customerId: string;
  /** ACNT_NO. */
  accountNo: string;
  /** ODER_NO / OODER_NO. */
  orderNo: string;
  originalOrderNo: string;
  /** SELN_BYOV_CLS '01' sell / '02' buy, decoded. */
  side: 'sell' | 'buy' | 'other';
  /** RCTF_CLS: '0' normal, '1' modify, '2' cancel. */
  correctionCode: string;
  /** ODER_KIND, e.g. '00' limit, '01' market. */
  orderKind: string;
  /** STCK_SHRN_ISCD. */
  symbol: string;
  /** CNTG_QTY: filled quantity (the order quantity in an order acknowledgement). */
  quantity: number;
  /** CNTG_UNPR: fill price (the order price in an order acknowledgement). */
  price: number;
  /** STCK_CNTG_HOUR HHMMSS. */
  time: string;
  /** RFUS_YN === '1'. */
  rejected: boolean;
  /** CNTG_YN === '2': a fill; otherwise an order / modify / cancel / reject acknowledgement. */
  isFill: boolean;
  /** ACPT_YN: '1' accepted, '2' confirmed, '3' cancelled (FOK/IOC). */
  acceptCode: string;
  /** ODER_QTY. */
  orderQuantity: number;
  /** ACNT_NAME. */
  accountName: string;
  /** The traded instrument's name (CNTG_ISNM40, or 체결종목명 in the 23-field layout). */
  symbolName: string;
  /** ODER_PRC: order price (0 when absent). */
  orderPrice: number;
  /** Fields per record this notice was read with: 26 (current) or 23 (legacy). */
  layoutWidth: number;
}
