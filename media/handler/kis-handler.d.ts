/**
 * Types of a KIS Market Monitor record handler (written beside your handlers by "KIS: New Handler…").
 * A handler is a module whose default export (or `module.exports`) is a `KisHandler`: it runs in the
 * extension's worker thread, once per record, after the built-in handlers, and never slows the stream
 * (a throw is counted; a handler that blocks is restarted). Saving the file reloads it in place.
 * Mirrors src/kis/types.ts and src/worker/userHandlers.ts of the extension.
 */

/** PRDY_VRSS_SIGN: '1' upper limit, '2' up, '3' unchanged, '4' lower limit, '5' down. */
export type Sign = '1' | '2' | '3' | '4' | '5';

/** One H0STCNT0 trade. */
export interface TradeRecord {
  symbol: string;
  /** HHMMSS, Seoul time. */
  time: string;
  price: number;
  sign: Sign;
  change: number;
  rate: number;
  vwap: number;
  open: number;
  high: number;
  low: number;
  ask1: number;
  bid1: number;
  tradeVolume: number;
  cumVolume: number;
  cumValue: number;
  strength: number;
  /** '1' buy-initiated, '3' pre-market, '5' sell-initiated. */
  side: string;
  /** YYYYMMDD. */
  businessDate: string;
  marketOperationCode: string;
  halted: boolean;
  askSize1: number;
  bidSize1: number;
  totalAskSize: number;
  totalBidSize: number;
  hourClsCode: string;
  viPrice: number;
  marketClsCode: string;
}

/** One price level of the order book. */
export interface OrderBookLevel {
  price: number;
  size: number;
}

/** One H0STASP0 order book. */
export interface OrderBookRecord {
  symbol: string;
  time: string;
  hourClsCode: string;
  /** Best (lowest) first. */
  asks: OrderBookLevel[];
  /** Best (highest) first. */
  bids: OrderBookLevel[];
  totalAskSize: number;
  totalBidSize: number;
  expectedPrice: number;
  expectedVolume: number;
  cumVolume: number;
  midPrice: number;
  marketClsCode: string;
}

/** What a handler receives for each record. */
export interface KisRecord {
  /** The TR id, e.g. 'H0STCNT0' (trades) or 'H0STASP0' (order book). */
  readonly trId: string;
  /** The record's first field: the symbol for market data. */
  readonly symbol: string;
  /** Every field of the record, as sent by KIS. */
  readonly fields: readonly string[];
  /** The parsed trade (H0STCNT0 only). */
  readonly trade?: TradeRecord;
  /** The parsed order book (H0STASP0 only). */
  readonly book?: OrderBookRecord;
}

/** A handler: called once per record. A returned promise is observed, not awaited. */
export type KisHandler = (record: KisRecord) => void | PromiseLike<void>;
