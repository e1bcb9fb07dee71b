/**
 * The built-in handler of the execution-notice TRs (H0STCNI0/9, H0GSCNI0/9): each decrypted record read into
 * a `FillNotice` and held for the next snapshot. A record that cannot be read (a width neither layout has, no
 * symbol, a symbol no market accepts) is counted, and reported by its code alone: a notice is account data
 * (HTS ID, account number and name), so nothing of its content reaches a message or a log.
 */
import { readFillNotice, type FillNotice, type NoticeReadError } from '../kis/layouts/notice';
import { isKrxCode } from '../market/symbols';

/** Why a notice record was dropped. */
export type NoticeDropCode = NoticeReadError | 'UNKNOWN_SYMBOL';

/** A US ticker as the overseas notice carries it (no exchange prefix): `AAPL`, `BRK.B`. */
const US_TICKER = /^[A-Z][A-Z0-9.]{0,9}$/;

/** See the file comment. */
export class NoticeCollector {
  private held: FillNotice[] = [];
  /** Records dropped, all time. */
  dropped = 0;

  /**
   * Reads every record of a notice frame (`fields` of `width`); returns how many were read. `onDrop` gets
   * the code of each record that was not.
   */
  read(trId: string, fields: readonly string[], width: number, onDrop: (code: NoticeDropCode) => void): number {
    let read = 0;
    for (let o = 0; o < fields.length; o += width) {
      const r = readFillNotice(trId, fields, o, width);
      if (!r.ok) {
        this.drop(r.code, onDrop);
        continue;
      }
      const known = r.notice.market === 'krx' ? isKrxCode(r.notice.symbol) : US_TICKER.test(r.notice.symbol);
      if (!known) {
        this.drop('UNKNOWN_SYMBOL', onDrop);
        continue;
      }
      this.held.push(r.notice);
      read++;
    }
    return read;
  }

  /** True while notices wait for a snapshot. */
  get pending(): boolean {
    return this.held.length > 0;
  }

  /** The notices read since the previous call, in arrival order. */
  take(): FillNotice[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private drop(code: NoticeDropCode, onDrop: (code: NoticeDropCode) => void): void {
    this.dropped++;
    onDrop(code);
  }
}
