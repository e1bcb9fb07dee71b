/**
 * The worker's half of the raw receive path: decodes the frames of a raw batch (UTF-8,
 * invalid sequences become U+FFFD as on the agent's text path, kis-protocol.md §11.10), validates each
 * with `parseFrame`, and counts what the agent used to count on the main thread: records, parse errors
 * and the newest frame time per symbol. The counters travel back with every snapshot and ack, and the
 * agent merges them into its stats.
 */
import { NOTICE_TRS } from '../kis/layouts/notice';
import { parseFrame } from '../kis/frame';
import type { DataFrame } from '../kis/types';
import { emptyReceiveCounters, openRawBatch, type ReceiveCounters } from '../shared/rawBatch';

const CARET = 0x5e; // '^'

/** Decodes raw batches and keeps the receive counters; see the module comment. */
export class RawDecoder {
  private counters: ReceiveCounters = emptyReceiveCounters();
  private seen = false;
  private lastSymbol = '';

  /** True once a raw batch (or restored raw counters) was seen: only then do the counters travel. */
  get active(): boolean {
    return this.seen;
  }

  /** Continues from the counters of a dead worker. */
  restore(counters: ReceiveCounters | undefined): void {
    if (counters === undefined) return;
    this.counters = {
      records: counters.records,
      parseErrors: counters.parseErrors,
      lastTickAt: { ...counters.lastTickAt },
    };
    this.seen = true;
  }

  /** A copy of the counters (for a message). */
  snapshot(): ReceiveCounters {
    return {
      records: this.counters.records,
      parseErrors: this.counters.parseErrors,
      lastTickAt: { ...this.counters.lastTickAt },
    };
  }

  /**
   * The valid frames of a raw batch, in order. Each invalid one is counted and described to `onError`
   * (the caller rate-limits the report).
   */
  decode(buffer: SharedArrayBuffer, receivedAt: number, onError: (message: string) => void): DataFrame[] {
    this.seen = true;
    const view = openRawBatch(buffer);
    if (view === undefined) {
      this.counters.parseErrors++;
      onError('a raw batch does not have the raw batch layout');
      return [];
    }
    const frames: DataFrame[] = [];
    const counters = this.counters;
    for (let i = 0; i < view.count; i++) {
      let frame: DataFrame;
      try {
        frame = parseFrame(view.data.toString('utf8', view.start(i), view.end(i)));
      } catch (error) {
        counters.parseErrors++;
        onError(`Malformed message from KIS: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      counters.records += frame.count;
      // A notice's first field is the HTS ID, not a symbol: it has no "last tick" to show.
      if (!NOTICE_TRS.has(frame.trId)) counters.lastTickAt[this.firstField(frame.payload)] = receivedAt;
      frames.push(frame);
    }
    return frames;
  }

  /** The first field of a payload (the symbol), reusing the previous string when it matches (as the agent did). */
  private firstField(payload: string): string {
    const last = this.lastSymbol;
    if (payload.length > last.length && payload.charCodeAt(last.length) === CARET && payload.startsWith(last))
      return last;
    const end = payload.indexOf('^');
    this.lastSymbol = end < 0 ? payload : payload.slice(0, end);
    return this.lastSymbol;
  }
}
