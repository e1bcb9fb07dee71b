/**
 * The day's records, end to end: what the simulator sent per (TR, symbol) (its send log, every record
 * kept) against what the feed received (its recording, the agent's receive tap). A received record must
 * be the next unseen one the simulator sent on that stream (else it was never sent, or came twice); the
 * records skipped between two received ones form a missing run. Records are lost legitimately only with
 * the session that carried them, so a missing run must straddle a session change in the recording (its
 * `open` entries) and the feed must have reported a gap for that stream; a run inside one session is loss.
 */
import { parseFrame } from '../../../src/kis';
import { RecordingReader } from '../../../src/recorder';
import type { KisSimulator } from '../../../src/simulator';
import type { DataGap } from '../../../src/shared/stats';

/** TR ids of trades (their price is field 2, the time field 1). */
const TRADE_TRS = new Set(['H0STCNT0', 'H0UNCNT0', 'H0NXCNT0']);

export interface StreamLedger {
  trId: string;
  symbol: string;
  sent: number;
  received: number;
  missing: number;
  missingRuns: number;
  gaps: number;
}

export interface RecordCheck {
  streams: StreamLedger[];
  /** Problems, each a sentence naming the stream and the record time. */
  problems: string[];
  /** The feed's last received trade price per symbol, in receive order. */
  lastTrade: Map<string, number>;
  /** Received trade prices per symbol in order (for the alert crossings). */
  tradePrices: Map<string, number[]>;
  /** Frames in the recording the check could not read as a sent record's frame (injected faults). */
  unreadable: number;
}

/** Received records per stream, in order, from the recording; frames whose shape no sent record has are set aside. */
interface Received {
  text: string;
  /** The session (1, 2, …: the recording's `open` entries) it came on. */
  session: number;
}

async function received(
  file: string,
  widthOf: (trId: string, symbol: string) => number | undefined,
): Promise<{ streams: Map<string, Received[]>; unreadable: number }> {
  const streams = new Map<string, Received[]>();
  let unreadable = 0;
  let session = 0;
  const reader = await RecordingReader.open(file);
  for await (const entry of reader.entries()) {
    if (entry.kind === 'open') session++;
    if (entry.kind !== 'message' || !entry.text.startsWith('0|')) continue;
    let fields: string[];
    let trId: string;
    let count: number;
    try {
      const frame = parseFrame(entry.text);
      trId = frame.trId;
      count = frame.count;
      fields = frame.payload.split('^');
    } catch {
      unreadable++;
      continue;
    }
    const symbol = fields[0] ?? '';
    const width = widthOf(trId, symbol);
    if (width === undefined || count < 1 || fields.length !== count * width) {
      unreadable++;
      continue;
    }
    const key = `${trId}|${symbol}`;
    let list = streams.get(key);
    if (list === undefined) streams.set(key, (list = []));
    for (let i = 0; i < count; i++) list.push({ text: fields.slice(i * width, (i + 1) * width).join('^'), session });
  }
  return { streams, unreadable };
}

/**
 * Checks every stream of `symbols`. `dropOne` removes one received record (the deliberate bug that proves
 * the check can fail).
 */
export async function checkRecords(
  sim: KisSimulator,
  recording: string,
  symbols: readonly string[],
  gaps: readonly DataGap[],
  dropOne: boolean,
): Promise<RecordCheck> {
  const watched = new Set(symbols);
  const rows = sim.sendLog().filter((r) => watched.has(r.symbol));
  const sentOf = new Map(rows.map((r) => [`${r.trId}|${r.symbol}`, sim.sentRecords(r.trId, r.symbol)]));
  const widthOf = (trId: string, symbol: string): number | undefined =>
    sentOf.get(`${trId}|${symbol}`)?.[0]?.split('^').length;
  const { streams, unreadable } = await received(recording, widthOf);
  const problems: string[] = [];
  const ledgers: StreamLedger[] = [];
  const lastTrade = new Map<string, number>();
  const tradePrices = new Map<string, number[]>();
  if (dropOne) {
    // A trade record from the middle of a session (its neighbours came on the same session): the loss
    // a bug in the client would cause, with no reconnect to excuse it.
    const victim = [...streams].find(([key, l]) => TRADE_TRS.has(key.split('|')[0]) && l.length >= 10)?.[1] ?? [];
    let i = Math.floor(victim.length / 2);
    while (i < victim.length - 1 && victim[i - 1].session !== victim[i + 1].session) i++;
    if (i > 0 && i < victim.length - 1) victim.splice(i, 1);
  }
  for (const row of rows) {
    const key = `${row.trId}|${row.symbol}`;
    const sent = sentOf.get(key) ?? [];
    const got = streams.get(key) ?? [];
    if (sent.length !== row.records)
      problems.push(`${key}: the send log kept ${sent.length} of ${row.records} records; raise sendLogLimit`);
    const gapCount = gaps.filter((g) => g.trId === row.trId && g.trKey === row.symbol).length;
    const timeOf = (record: string | undefined): string => record?.split('^')[1] ?? '?';
    let cursor = 0;
    let missing = 0;
    const runs: string[] = [];
    let previous: Received | undefined;
    for (const record of got) {
      let j = cursor;
      while (j < sent.length && sent[j] !== record.text) j++;
      if (j === sent.length) {
        problems.push(
          `${key}: a record at ${timeOf(record.text)} was received but not sent after the previous one (sent never, or twice)`,
        );
        continue;
      }
      if (j > cursor) {
        missing += j - cursor;
        runs.push(timeOf(sent[cursor]));
        const acrossSessions = previous === undefined ? record.session > 1 : record.session > previous.session;
        if (!acrossSessions || gapCount === 0) {
          problems.push(
            `${key}: ${j - cursor} records from ${timeOf(sent[cursor])} to ${timeOf(sent[j - 1])} missing ${acrossSessions ? 'with no gap reported' : 'inside one session (no reconnect, no gap)'}`,
          );
        }
      }
      cursor = j + 1;
      previous = record;
    }
    if (cursor < sent.length) {
      missing += sent.length - cursor;
      runs.push(timeOf(sent[cursor]));
      problems.push(
        `${key}: the last ${sent.length - cursor} records sent (from ${timeOf(sent[cursor])}) never arrived`,
      );
    }
    ledgers.push({
      trId: row.trId,
      symbol: row.symbol,
      sent: sent.length,
      received: got.length,
      missing,
      missingRuns: runs.length,
      gaps: gapCount,
    });
  }
  // Trade prices in receive order across the trade TRs of a symbol: the recording's order.
  const reader = await RecordingReader.open(recording);
  for await (const entry of reader.entries()) {
    if (entry.kind !== 'message' || !entry.text.startsWith('0|')) continue;
    let frame;
    try {
      frame = parseFrame(entry.text);
    } catch {
      continue;
    }
    if (!TRADE_TRS.has(frame.trId)) continue;
    const fields = frame.payload.split('^');
    const width = widthOf(frame.trId, fields[0] ?? '');
    if (width === undefined || fields.length !== frame.count * width) continue;
    for (let i = 0; i < frame.count; i++) {
      const symbol = fields[i * width];
      const price = Number(fields[i * width + 2]);
      if (!watched.has(symbol) || !(price > 0)) continue;
      lastTrade.set(symbol, price);
      let list = tradePrices.get(symbol);
      if (list === undefined) tradePrices.set(symbol, (list = []));
      list.push(price);
    }
  }
  return { streams: ledgers, problems, lastTrade, tradePrices, unreadable };
}

/** Crossings of a price-above rule over a price sequence: armed at first, fires on reaching, re-arms below. */
export function priceAboveCrossings(prices: readonly number[], threshold: number): number {
  let armed = true;
  let crossings = 0;
  for (const p of prices) {
    if (p >= threshold && armed) {
      crossings++;
      armed = false;
    } else if (p < threshold) {
      armed = true;
    }
  }
  return crossings;
}

/** The price of the last record the simulator sent on (trId, symbol), if any. */
export function lastSentPrice(sim: KisSimulator, trId: string, symbol: string): number | undefined {
  const last = sim.sentRecords(trId, symbol).at(-1);
  return last === undefined ? undefined : Number(last.split('^')[2]);
}
