/**
 * The lines `kis-monitor watch` prints: one JSON line per record. A trade or order book names its price
 * fields; a whole-day TR's line also names the exchange the record came from and the trading phase at
 * the record's own exchange time (not the watcher's clock, so a simulated day reads right); a TR without
 * a known layout prints its fields.
 */
import type { RecordSink } from '../agent';
import {
  DAY_LAYOUTS,
  readDayRecords,
  readOrderBook,
  readTrade,
  splitRecords,
  TR,
  type DataFrame,
  type DayRecord,
  type FeedExchange,
} from '../kis';
import { PHASE_WORDS } from '../market/phases';
import { sessionAt } from '../market/sessionClock';
import { formatKstDate, kstInstant } from '../market/time';
import type { Output } from './io';
import { isNoticeTr, noticeLine } from './noticeOutput';

/** The instant of a record: its YYYYMMDD date (else today's KST date at `now`) and HHMMSS time, in KST. */
function recordInstant(date: string, time: string, now: number): number | undefined {
  return kstInstant(/^\d{8}$/.test(date) ? date : formatKstDate(new Date(now)), time);
}

/** The phase words of `exchange` at `at`: the venue's phase, or both venues' for the unified feed. */
export function phaseWords(exchange: FeedExchange, at: number): string {
  const s = sessionAt(at);
  if (exchange === 'KRX') return `KRX ${PHASE_WORDS[s.krx.phase]}`;
  if (exchange === 'NXT') return `NXT ${PHASE_WORDS[s.nxt.phase]}`;
  return s.words.replace(' (holiday calendar unknown)', '');
}

function lineOf(trId: string, r: DayRecord, now: number): Record<string, unknown> {
  const base = { type: 'record', trId, exchange: r.record.exchange, symbol: r.record.symbol };
  switch (r.kind) {
    case 'trade': {
      const t = r.record;
      const at = recordInstant(t.businessDate, t.time, now);
      return {
        ...base,
        phase: at === undefined ? '' : phaseWords(t.exchange, at),
        time: t.time,
        price: t.price,
        volume: t.tradeVolume,
        change: t.change,
        rate: t.rate,
        sign: t.sign,
        cumVolume: t.cumVolume,
      };
    }
    case 'book': {
      const b = r.record;
      const at = recordInstant('', b.time, now);
      return {
        ...base,
        phase: at === undefined ? '' : phaseWords(b.exchange, at),
        time: b.time,
        bestAsk: b.asks[0]?.price ?? 0,
        bestBid: b.bids[0]?.price ?? 0,
        totalAskSize: b.totalAskSize,
        totalBidSize: b.totalBidSize,
      };
    }
    case 'expected': {
      const e = r.record;
      const at = recordInstant('', e.time, now);
      return {
        ...base,
        phase: at === undefined ? '' : phaseWords(e.exchange, at),
        time: e.time,
        expected: true,
        price: e.price,
        change: e.change,
        rate: e.rate,
        volume: e.volume,
      };
    }
    case 'status': {
      const m = r.record;
      return {
        ...base,
        phase: phaseWords(m.exchange, now),
        vi: m.vi,
        afterHoursVi: m.afterHoursVi,
        halted: m.halted,
        haltReason: m.haltReason,
      };
    }
  }
}

/**
 * The output lines of one whole-day frame (`fields` = its split payload); an unreadable record gives an
 * `error` line with its stable code, and the rest of the frame is still printed.
 */
export function dayRecordLines(frame: DataFrame, fields: readonly string[], now: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  readDayRecords(
    frame.trId,
    fields,
    frame.width,
    (r) => out.push(lineOf(frame.trId, r, now)),
    (e) => out.push({ type: 'error', trId: frame.trId, code: e.code, message: e.message }),
  );
  return out;
}

/** Formats each record of a batch as a JSON line and writes the batch with one write. */
export class RecordPrinter implements RecordSink {
  constructor(private readonly out: Output) {}

  push(frames: readonly DataFrame[]): void {
    let text = '';
    for (const frame of frames) {
      const fields = splitRecords(frame);
      if (DAY_LAYOUTS.has(frame.trId)) {
        for (const line of dayRecordLines(frame, fields, Date.now())) text += `${JSON.stringify(line)}\n`;
        continue;
      }
      for (let i = 0; i < frame.count; i++) text += `${JSON.stringify(recordLine(frame, fields, i * frame.width))}\n`;
    }
    if (text !== '') this.out.write(text);
  }
}

/** One record as the `watch` output line. */
function recordLine(frame: DataFrame, fields: readonly string[], offset: number): Record<string, unknown> {
  if (isNoticeTr(frame.trId)) return noticeLine(frame.trId, fields, offset, frame.width);
  if (frame.trId === TR.TRADE) {
    const t = readTrade(fields, offset, frame.width);
    return {
      type: 'record',
      trId: frame.trId,
      symbol: t.symbol,
      time: t.time,
      price: t.price,
      volume: t.tradeVolume,
      change: t.change,
      rate: t.rate,
      sign: t.sign,
      cumVolume: t.cumVolume,
      bestAsk: t.ask1,
      bestBid: t.bid1,
    };
  }
  if (frame.trId === TR.ORDER_BOOK) {
    const b = readOrderBook(fields, offset, 1, frame.width);
    return {
      type: 'record',
      trId: frame.trId,
      symbol: b.symbol,
      time: b.time,
      bestAsk: b.asks[0]?.price ?? 0,
      bestBid: b.bids[0]?.price ?? 0,
      askSize: b.asks[0]?.size ?? 0,
      bidSize: b.bids[0]?.size ?? 0,
      totalAskSize: b.totalAskSize,
      totalBidSize: b.totalBidSize,
    };
  }
  return {
    type: 'record',
    trId: frame.trId,
    symbol: fields[offset] ?? '',
    fields: fields.slice(offset, offset + frame.width),
  };
}
