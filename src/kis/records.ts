/**
 * Whole-frame readers: every record of a plaintext frame as typed objects, in order. They give the same
 * values as `splitRecords` + `readTrade` / `readOrderBook` / `readNotice` at `i * width`, but scan the
 * payload once with a `FieldCursor` instead of allocating a string per field: the fast path for the worker.
 */
import { FieldCursor } from './cursor';
import { KisProtocolError } from './errors';
import { H0STASP0, H0STCNT0, readNotice, toSign } from './layouts';
import type { DataFrame, ExecutionNotice, OrderBookLevel, OrderBookRecord, TradeRecord } from './types';

function requirePlain(frame: DataFrame): void {
  if (frame.encrypted) throw new KisProtocolError('BAD_ENVELOPE', `frame ${frame.trId} is still encrypted; call decryptFrame first`);
}

/**
 * Every H0STCNT0 record of `frame` (46 or 47 fields; extra trailing fields are skipped).
 * @throws KisProtocolError BAD_ENVELOPE for an encrypted frame.
 */
export function readTrades(frame: DataFrame): TradeRecord[] {
  requirePlain(frame);
  const c = new FieldCursor(frame.payload);
  const out = new Array<TradeRecord>(frame.count);
  const hasMarket = frame.width > H0STCNT0.MARKET_CLS_CODE;
  const rest = frame.width - (hasMarket ? H0STCNT0.MARKET_CLS_CODE + 1 : H0STCNT0.VI_STND_PRC + 1);
  for (let r = 0; r < frame.count; r++) {
    // Object literal order follows field order: every call below consumes the next field.
    const symbol = c.str();
    const time = c.str();
    const price = c.num();
    const sign = toSign(c.str());
    const change = c.num();
    const rate = c.num();
    const vwap = c.num();
    const open = c.num();
    const high = c.num();
    const low = c.num();
    const ask1 = c.num();
    const bid1 = c.num();
    const tradeVolume = c.num();
    const cumVolume = c.num();
    const cumValue = c.num();
    c.skip(3); // 15..17 trade counts
    const strength = c.num(); // 18
    c.skip(2); // 19, 20
    const side = c.str(); // 21
    c.skip(11); // 22..32
    const businessDate = c.str(); // 33
    const marketOperationCode = c.str(); // 34
    const halted = c.is('Y'); // 35
    const askSize1 = c.num();
    const bidSize1 = c.num();
    const totalAskSize = c.num();
    const totalBidSize = c.num(); // 39
    c.skip(3); // 40..42
    const hourClsCode = c.str(); // 43
    c.skip(1); // 44
    const viPrice = c.num(); // 45
    const marketClsCode = hasMarket ? c.str() : '';
    c.skip(rest);
    out[r] = {
      symbol,
      time,
      price,
      sign,
      change,
      rate,
      vwap,
      open,
      high,
      low,
      ask1,
      bid1,
      tradeVolume,
      cumVolume,
      cumValue,
      strength,
      side,
      businessDate,
      marketOperationCode,
      halted,
      askSize1,
      bidSize1,
      totalAskSize,
      totalBidSize,
      hourClsCode,
      viPrice,
      marketClsCode,
    };
  }
  return out;
}

/**
 * Every H0STASP0 record of `frame` with `levels` (0..10) levels per side, best first.
 * @throws KisProtocolError BAD_ENVELOPE for an encrypted frame.
 */
export function readOrderBooks(frame: DataFrame, levels: number = H0STASP0.LEVELS): OrderBookRecord[] {
  requirePlain(frame);
  const n = levels < 0 ? 0 : levels > H0STASP0.LEVELS ? H0STASP0.LEVELS : levels | 0;
  const c = new FieldCursor(frame.payload);
  const out = new Array<OrderBookRecord>(frame.count);
  const hasMid = frame.width > H0STASP0.MID_PRC;
  const hasMarket = frame.width > H0STASP0.MARKET_CLS_CODE;
  // Fields read or skipped per record below: 59, 60 (MID_PRC) or 63 (MARKET_CLS_CODE); the rest of a wider
  // record is skipped. Counting 62 for a 60- or 61-field record would read into the next record (found by fuzzing).
  const consumed = hasMarket ? H0STASP0.MARKET_CLS_CODE + 1 : hasMid ? H0STASP0.MID_PRC + 1 : H0STASP0.STCK_DEAL_CLS_CODE + 1;
  const skipLevels = H0STASP0.LEVELS - n;
  for (let r = 0; r < frame.count; r++) {
    const symbol = c.str();
    const time = c.str();
    const hourClsCode = c.str();
    const asks = new Array<OrderBookLevel>(n);
    const bids = new Array<OrderBookLevel>(n);
    // Prices of all levels come before the sizes, so read prices into the objects first.
    for (let i = 0; i < n; i++) asks[i] = { price: c.num(), size: 0 };
    c.skip(skipLevels);
    for (let i = 0; i < n; i++) bids[i] = { price: c.num(), size: 0 };
    c.skip(skipLevels);
    for (let i = 0; i < n; i++) asks[i].size = c.num();
    c.skip(skipLevels);
    for (let i = 0; i < n; i++) bids[i].size = c.num();
    c.skip(skipLevels);
    const totalAskSize = c.num(); // 43
    const totalBidSize = c.num(); // 44
    c.skip(2); // 45, 46
    const expectedPrice = c.num(); // 47
    c.skip(1); // 48
    const expectedVolume = c.num(); // 49
    c.skip(3); // 50..52
    const cumVolume = c.num(); // 53
    c.skip(5); // 54..58
    let midPrice = 0;
    let marketClsCode = '';
    if (hasMid) midPrice = c.num(); // 59
    if (hasMarket) {
      c.skip(2); // 60, 61
      marketClsCode = c.str(); // 62
    }
    c.skip(frame.width - consumed);
    out[r] = {
      symbol,
      time,
      hourClsCode,
      asks,
      bids,
      totalAskSize,
      totalBidSize,
      expectedPrice,
      expectedVolume,
      cumVolume,
      midPrice,
      marketClsCode,
    };
  }
  return out;
}

/**
 * Every H0STCNI0/H0STCNI9 record of a decrypted `frame` (26-field or legacy 23-field layout).
 * Notices are rare, so this simply splits.
 * @throws KisProtocolError BAD_ENVELOPE for a frame that is still encrypted.
 */
export function readNotices(frame: DataFrame): ExecutionNotice[] {
  requirePlain(frame);
  const fields = frame.payload.split('^');
  const out = new Array<ExecutionNotice>(frame.count);
  for (let r = 0; r < frame.count; r++) out[r] = readNotice(fields, r * frame.width, frame.width);
  return out;
}
