/**
 * Ticks: the few fields of a market-data record that the worker's built-in state needs (about 17 of an
 * H0STCNT0 record's 46; symbol, time, levels and totals of an H0STASP0 record), in mutable objects that
 * are reused from frame to frame.
 *
 * Why: `payload.split('^')` makes a string per field, and `num` then parses most of them; in the worker
 * that was ~60 % of its CPU at ten records per frame, and most of those strings were dropped unread. The
 * readers here walk a frame's payload once with a `FieldCursor`, parse the numbers straight from char
 * codes, skip the other fields without allocating, and reuse the previous record's string when the
 * symbol, time or date repeats. The `...TickAt` functions fill the same objects from a split array, for
 * callers that split anyway (user handlers need `fields`), so both paths give identical values.
 */
import { FieldCursor } from './cursor';
import { KisProtocolError } from './errors';
import { num } from './layouts/fields';
import { H0STASP0, H0STCNT0 } from './layouts/krx';
import type { DataFrame, Sign } from './types';

/** The H0STCNT0 fields the quote, bar and alert state read. Empty or malformed numbers read as 0 (`num`). */
export interface TradeTick {
  /** MKSC_SHRN_ISCD ('' when empty). */
  symbol: string;
  /** STCK_CNTG_HOUR, HHMMSS. */
  time: string;
  /** BSOP_DATE, YYYYMMDD ('' when empty). */
  date: string;
  /** PRDY_VRSS_SIGN when it is a valid code '1'..'5', else '' (the caller derives it from `change`). */
  sign: Sign | '';
  price: number;
  change: number;
  rate: number;
  vwap: number;
  open: number;
  high: number;
  low: number;
  ask1: number;
  bid1: number;
  /** CNTG_VOL. */
  quantity: number;
  cumVolume: number;
  cumValue: number;
  /** TRHT_YN === 'Y'. */
  halted: boolean;
  /** CTTR (체결강도), percent; 0 when empty. */
  strength: number;
  /** PRDY_VOL_VRSS_ACML_VOL_RATE, percent; 0 when empty. */
  volumeRatio: number;
}

/** Fields 0..35 of an H0STCNT0 record are read; a narrower record cannot be read with a cursor. */
export const TRADE_TICK_FIELDS = H0STCNT0.TRHT_YN + 1;

/** The H0STASP0 fields the book state reads, `depth` levels per side. */
export interface BookTick {
  symbol: string;
  /** BSOP_HOUR. */
  time: string;
  askPrices: number[];
  bidPrices: number[];
  askSizes: number[];
  bidSizes: number[];
  totalAskSize: number;
  totalBidSize: number;
}

/** Fields 0..44 of an H0STASP0 record are read. */
export const BOOK_TICK_FIELDS = H0STASP0.TOTAL_BIDP_RSQN + 1;

/** A zeroed trade tick. */
export function newTradeTick(): TradeTick {
  return {
    symbol: '',
    time: '',
    date: '',
    sign: '',
    price: 0,
    change: 0,
    rate: 0,
    vwap: 0,
    open: 0,
    high: 0,
    low: 0,
    ask1: 0,
    bid1: 0,
    quantity: 0,
    cumVolume: 0,
    cumValue: 0,
    halted: false,
    strength: 0,
    volumeRatio: 0,
  };
}

/** A zeroed book tick with `depth` levels per side (clamped to 0..10). */
export function newBookTick(depth: number): BookTick {
  const n = clampDepth(depth);
  return {
    symbol: '',
    time: '',
    askPrices: new Array<number>(n).fill(0),
    bidPrices: new Array<number>(n).fill(0),
    askSizes: new Array<number>(n).fill(0),
    bidSizes: new Array<number>(n).fill(0),
    totalAskSize: 0,
    totalBidSize: 0,
  };
}

function clampDepth(depth: number): number {
  return depth < 0 ? 0 : depth > H0STASP0.LEVELS ? H0STASP0.LEVELS : depth | 0;
}

/** Sign codes by char code - 49 ('1'). */
const SIGNS: readonly Sign[] = ['1', '2', '3', '4', '5'];

function signOfText(s: string | undefined): Sign | '' {
  return s === '1' || s === '2' || s === '3' || s === '4' || s === '5' ? s : '';
}

/**
 * Fills `out` from the H0STCNT0 record at `offset` of a split payload (fields past the end read as
 * empty) and returns it.
 */
export function tradeTickAt(fields: readonly string[], offset: number, out: TradeTick): TradeTick {
  const o = offset;
  out.symbol = fields[o + H0STCNT0.MKSC_SHRN_ISCD] ?? '';
  out.time = fields[o + H0STCNT0.STCK_CNTG_HOUR] ?? '';
  out.price = num(fields[o + H0STCNT0.STCK_PRPR]);
  out.sign = signOfText(fields[o + H0STCNT0.PRDY_VRSS_SIGN]);
  out.change = num(fields[o + H0STCNT0.PRDY_VRSS]);
  out.rate = num(fields[o + H0STCNT0.PRDY_CTRT]);
  out.vwap = num(fields[o + H0STCNT0.WGHN_AVRG_STCK_PRC]);
  out.open = num(fields[o + H0STCNT0.STCK_OPRC]);
  out.high = num(fields[o + H0STCNT0.STCK_HGPR]);
  out.low = num(fields[o + H0STCNT0.STCK_LWPR]);
  out.ask1 = num(fields[o + H0STCNT0.ASKP1]);
  out.bid1 = num(fields[o + H0STCNT0.BIDP1]);
  out.quantity = num(fields[o + H0STCNT0.CNTG_VOL]);
  out.cumVolume = num(fields[o + H0STCNT0.ACML_VOL]);
  out.cumValue = num(fields[o + H0STCNT0.ACML_TR_PBMN]);
  out.date = fields[o + H0STCNT0.BSOP_DATE] ?? '';
  out.halted = fields[o + H0STCNT0.TRHT_YN] === 'Y';
  out.strength = num(fields[o + H0STCNT0.CTTR]);
  out.volumeRatio = num(fields[o + H0STCNT0.PRDY_VOL_VRSS_ACML_VOL_RATE]);
  return out;
}

/** Fills `out` from the H0STASP0 record at `offset` of a split payload (its own depth) and returns it. */
export function bookTickAt(fields: readonly string[], offset: number, out: BookTick): BookTick {
  const o = offset;
  out.symbol = fields[o + H0STASP0.MKSC_SHRN_ISCD] ?? '';
  out.time = fields[o + H0STASP0.BSOP_HOUR] ?? '';
  for (let i = 0; i < out.askPrices.length; i++) {
    out.askPrices[i] = num(fields[o + H0STASP0.ASKP1 + i]);
    out.bidPrices[i] = num(fields[o + H0STASP0.BIDP1 + i]);
    out.askSizes[i] = num(fields[o + H0STASP0.ASKP_RSQN1 + i]);
    out.bidSizes[i] = num(fields[o + H0STASP0.BIDP_RSQN1 + i]);
  }
  out.totalAskSize = num(fields[o + H0STASP0.TOTAL_ASKP_RSQN]);
  out.totalBidSize = num(fields[o + H0STASP0.TOTAL_BIDP_RSQN]);
  return out;
}

/**
 * Checks what every reader needs before walking a frame: plaintext, at least one record, records at
 * least `minWidth` wide (narrower ones would make the cursor read into the next record).
 * @throws KisProtocolError BAD_ENVELOPE for an encrypted frame.
 */
function readable(frame: DataFrame, minWidth: number): boolean {
  if (frame.encrypted)
    throw new KisProtocolError('BAD_ENVELOPE', `frame ${frame.trId} is still encrypted; call decryptFrame first`);
  return frame.count >= 1 && frame.width >= minWidth;
}

/**
 * Reads every H0STCNT0 record of a frame into reused `TradeTick`s: one pass over the payload, no
 * string per field. Hold one per consumer; the ticks are overwritten by the next `read`.
 */
export class TradeTickReader {
  private readonly cursor = new FieldCursor('');
  private readonly ticks: TradeTick[] = [];

  /**
   * Reads `frame`'s records. Returns how many (the frame's count), or -1 when the frame cannot be read
   * this way: no records, records narrower than `TRADE_TICK_FIELDS`, or a payload that does not hold
   * exactly `count × width` fields. On -1 the ticks are garbage; apply none of them.
   * @throws KisProtocolError BAD_ENVELOPE for an encrypted frame.
   */
  read(frame: DataFrame): number {
    if (!readable(frame, TRADE_TICK_FIELDS)) return -1;
    const c = this.cursor;
    c.reset(frame.payload);
    const ticks = this.ticks;
    while (ticks.length < frame.count) ticks.push(newTradeTick());
    const rest = frame.width - TRADE_TICK_FIELDS;
    // Compared against to reuse strings; starts from the last frame's last record.
    let prev = ticks[frame.count - 1];
    for (let r = 0; r < frame.count; r++) {
      const t = ticks[r];
      // Field order: every call consumes the next field.
      t.symbol = c.strSame(prev.symbol); // 0
      t.time = c.strSame(prev.time); // 1
      t.price = c.num(); // 2
      const sign = c.code() - 49; // 3: '1'..'5'
      t.sign = sign >= 0 && sign <= 4 ? SIGNS[sign] : '';
      t.change = c.num(); // 4
      t.rate = c.num(); // 5
      t.vwap = c.num(); // 6
      t.open = c.num(); // 7
      t.high = c.num(); // 8
      t.low = c.num(); // 9
      t.ask1 = c.num(); // 10
      t.bid1 = c.num(); // 11
      t.quantity = c.num(); // 12
      t.cumVolume = c.num(); // 13
      t.cumValue = c.num(); // 14
      c.skip(H0STCNT0.CTTR - H0STCNT0.ACML_TR_PBMN - 1); // 15..17
      t.strength = c.num(); // 18
      c.skip(H0STCNT0.PRDY_VOL_VRSS_ACML_VOL_RATE - H0STCNT0.CTTR - 1); // 19..22
      t.volumeRatio = c.num(); // 23
      c.skip(H0STCNT0.BSOP_DATE - H0STCNT0.PRDY_VOL_VRSS_ACML_VOL_RATE - 1); // 24..32
      t.date = c.strSame(prev.date); // 33
      c.skip(1); // 34
      t.halted = c.is('Y'); // 35
      c.skip(rest);
      prev = t;
    }
    return c.fieldsRead === frame.count * frame.width && c.done ? frame.count : -1;
  }

  /** Tick `i` of the last frame read (0 ≤ i < the count `read` returned). */
  tick(i: number): TradeTick {
    return this.ticks[i];
  }
}

/**
 * Reads every H0STASP0 record of a frame into reused `BookTick`s with `depth` levels per side, like
 * `TradeTickReader`.
 */
export class BookTickReader {
  private readonly cursor = new FieldCursor('');
  private readonly ticks: BookTick[] = [];
  /** Levels read per side (0..10). */
  readonly depth: number;

  constructor(depth: number = H0STASP0.LEVELS) {
    this.depth = clampDepth(depth);
  }

  /**
   * Reads `frame`'s records; returns the count, or -1 as `TradeTickReader.read` does (minimum width
   * `BOOK_TICK_FIELDS`).
   * @throws KisProtocolError BAD_ENVELOPE for an encrypted frame.
   */
  read(frame: DataFrame): number {
    if (!readable(frame, BOOK_TICK_FIELDS)) return -1;
    const c = this.cursor;
    c.reset(frame.payload);
    const ticks = this.ticks;
    while (ticks.length < frame.count) ticks.push(newBookTick(this.depth));
    const n = this.depth;
    const skipLevels = H0STASP0.LEVELS - n;
    const rest = frame.width - BOOK_TICK_FIELDS;
    let prev = ticks[frame.count - 1];
    for (let r = 0; r < frame.count; r++) {
      const t = ticks[r];
      t.symbol = c.strSame(prev.symbol); // 0
      t.time = c.strSame(prev.time); // 1
      c.skip(1); // 2
      // Each side's prices, then each side's sizes: 3..12, 13..22, 23..32, 33..42.
      for (let i = 0; i < n; i++) t.askPrices[i] = c.num();
      c.skip(skipLevels);
      for (let i = 0; i < n; i++) t.bidPrices[i] = c.num();
      c.skip(skipLevels);
      for (let i = 0; i < n; i++) t.askSizes[i] = c.num();
      c.skip(skipLevels);
      for (let i = 0; i < n; i++) t.bidSizes[i] = c.num();
      c.skip(skipLevels);
      t.totalAskSize = c.num(); // 43
      t.totalBidSize = c.num(); // 44
      c.skip(rest);
      prev = t;
    }
    return c.fieldsRead === frame.count * frame.width && c.done ? frame.count : -1;
  }

  /** Tick `i` of the last frame read. */
  tick(i: number): BookTick {
    return this.ticks[i];
  }
}
