/**
 * Data frames `encrypt|tr_id|count|payload` (kis-protocol.md §7): envelope parsing, field-count
 * validation, record splitting, decryption and (for the simulator) formatting.
 *
 * Parsing is on the hot path (every market-data message), so it finds the three `|` with `indexOf`,
 * counts `^` with a `charCodeAt` loop and allocates nothing but the result object: the payload is split
 * once, later, by whoever reads the records (`splitRecords`).
 */
import { decryptNotice, encryptNotice } from './aes';
import { KisProtocolError, quoteForError } from './errors';
import { minimumWidth } from './layouts';
import type { DataFrame } from './types';

const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** KIS tr_ids are 8 alphanumerics; allow some slack but refuse junk that would end up in logs. */
const MAX_TR_ID_LENGTH = 32;

function isTrIdChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Reads the 3-digit count at `start`; -1 when it is not exactly three ASCII digits. */
function readCount(text: string, start: number, end: number): number {
  if (end - start !== 3) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    n = n * 10 + (c - DIGIT_0);
  }
  return n;
}

/** Number of fields in a `^`-separated payload (carets + 1), counted without allocating. */
export function countFields(payload: string): number {
  // indexOf runs a native scan; measured ~1.3–1.9x faster than a charCodeAt loop on ten-record frames.
  let carets = 0;
  for (let i = payload.indexOf('^'); i !== -1; i = payload.indexOf('^', i + 1)) carets++;
  return carets + 1;
}

/**
 * Checks that a plaintext payload holds `count` records of one width, at least the TR's minimum,
 * and returns that width.
 * @throws KisProtocolError FIELD_COUNT_MISMATCH or RECORD_TOO_SHORT
 */
export function recordWidth(trId: string, count: number, payload: string): number {
  const fields = countFields(payload);
  if (fields % count !== 0) {
    throw new KisProtocolError(
      'FIELD_COUNT_MISMATCH',
      `frame ${trId} declares ${count} records but has ${fields} fields (not a multiple of ${count})`,
    );
  }
  const width = fields / count;
  const min = minimumWidth(trId);
  if (width < min) {
    throw new KisProtocolError(
      'RECORD_TOO_SHORT',
      `frame ${trId} has ${width} fields per record (${fields} fields / ${count} records); at least ${min} expected`,
    );
  }
  return width;
}

/**
 * Parses the envelope of a data frame and validates its field count (plaintext) or leaves the payload
 * for `decryptFrame` (encrypted; width 0).
 * @throws KisProtocolError EMPTY_MESSAGE, BAD_ENVELOPE, BAD_ENCRYPT_FLAG, BAD_COUNT, EMPTY_PAYLOAD,
 * FIELD_COUNT_MISMATCH, RECORD_TOO_SHORT
 */
export function parseFrame(text: string): DataFrame {
  if (text.length === 0) throw new KisProtocolError('EMPTY_MESSAGE', 'empty message');
  const p1 = text.indexOf('|');
  const p2 = p1 < 0 ? -1 : text.indexOf('|', p1 + 1);
  const p3 = p2 < 0 ? -1 : text.indexOf('|', p2 + 1);
  if (p3 < 0) {
    const pipes = p1 < 0 ? 0 : p2 < 0 ? 1 : 2;
    throw new KisProtocolError(
      'BAD_ENVELOPE',
      `data frame has ${pipes} '|' separators; 3 expected (encrypt|tr_id|count|payload)`,
    );
  }
  const flag = p1 === 1 ? text.charCodeAt(0) : -1;
  if (flag !== DIGIT_0 && flag !== DIGIT_0 + 1) {
    throw new KisProtocolError(
      'BAD_ENCRYPT_FLAG',
      `encrypt flag is ${quoteForError(text.slice(0, p1), 8)}; "0" or "1" expected`,
    );
  }
  const encrypted = flag === DIGIT_0 + 1;
  const trLength = p2 - p1 - 1;
  if (trLength === 0) throw new KisProtocolError('BAD_ENVELOPE', 'data frame has an empty tr_id');
  if (trLength > MAX_TR_ID_LENGTH) {
    throw new KisProtocolError(
      'BAD_ENVELOPE',
      `data frame tr_id is ${trLength} characters long; at most ${MAX_TR_ID_LENGTH} expected`,
    );
  }
  for (let i = p1 + 1; i < p2; i++) {
    if (!isTrIdChar(text.charCodeAt(i))) {
      throw new KisProtocolError(
        'BAD_ENVELOPE',
        `data frame tr_id ${quoteForError(text.slice(p1 + 1, p2))} has a character other than A-Z, a-z, 0-9, _`,
      );
    }
  }
  const trId = text.slice(p1 + 1, p2);
  const count = readCount(text, p2 + 1, p3);
  if (count < 1) {
    throw new KisProtocolError(
      'BAD_COUNT',
      `frame ${trId} has record count ${quoteForError(text.slice(p2 + 1, p3), 8)}; 3 digits from 001 to 999 expected`,
    );
  }
  if (p3 === text.length - 1) throw new KisProtocolError('EMPTY_PAYLOAD', `frame ${trId} has an empty payload`);
  const payload = text.slice(p3 + 1);
  const width = encrypted ? 0 : recordWidth(trId, count, payload);
  return { encrypted, trId, count, width, payload };
}

/**
 * Splits a plaintext frame's payload into its fields, all records together: record i starts at
 * `i * frame.width`. One `split` per frame; pass the result to `readTrade` & co.
 * @throws KisProtocolError BAD_ENVELOPE when the frame is still encrypted.
 */
export function splitRecords(frame: DataFrame): string[] {
  if (frame.encrypted) {
    throw new KisProtocolError('BAD_ENVELOPE', `frame ${frame.trId} is still encrypted; call decryptFrame first`);
  }
  return frame.payload.split('^');
}

/**
 * Decrypts an encrypted frame with the key/iv from its TR's SUBSCRIBE SUCCESS ack and validates the
 * plaintext like `parseFrame`. A plaintext frame is returned unchanged.
 * @throws KisProtocolError DECRYPT_FAILED, FIELD_COUNT_MISMATCH, RECORD_TOO_SHORT
 */
export function decryptFrame(frame: DataFrame, key: string, iv: string): DataFrame {
  if (!frame.encrypted) return frame;
  let payload: string;
  try {
    payload = decryptNotice(frame.payload, key, iv);
  } catch (error) {
    // decryptNotice throws only KisProtocolError (DECRYPT_FAILED); add which frame it was.
    throw new KisProtocolError('DECRYPT_FAILED', `frame ${frame.trId}: ${(error as Error).message}`);
  }
  if (payload.length === 0)
    throw new KisProtocolError('EMPTY_PAYLOAD', `frame ${frame.trId} decrypts to an empty payload`);
  const width = recordWidth(frame.trId, frame.count, payload);
  return { encrypted: false, trId: frame.trId, count: frame.count, width, payload };
}

/**
 * Formats a frame's wire text `F|TR|NNN|payload` (NNN zero-padded). The payload is used as given:
 * pass base64 ciphertext with `encrypted = true`.
 * @throws RangeError for a count outside 1..999 or an empty tr_id.
 */
export function formatFrame(trId: string, count: number, payload: string, encrypted = false): string {
  if (!Number.isInteger(count) || count < 1 || count > 999)
    throw new RangeError(`record count ${count} is outside 1..999`);
  if (trId.length === 0 || trId.includes('|')) throw new RangeError('tr_id must be non-empty and contain no "|"');
  const nnn = count < 10 ? `00${count}` : count < 100 ? `0${count}` : `${count}`;
  return `${encrypted ? '1' : '0'}|${trId}|${nnn}|${payload}`;
}

/** AES key and iv strings, as carried by a SUBSCRIBE SUCCESS ack's `output`. */
export interface FrameCipher {
  key: string;
  iv: string;
}

/**
 * Builds a data frame's wire text from records (each an array of fields, or a record already joined
 * with `^`). With `cipher`, the joined payload is AES-encrypted and the frame flagged `1`.
 * @throws RangeError for 0 or more than 999 records.
 */
export function buildDataFrame(
  trId: string,
  records: readonly (readonly string[])[] | readonly string[],
  cipher?: FrameCipher,
): string {
  const parts = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    parts[i] = typeof r === 'string' ? r : r.join('^');
  }
  const plain = parts.join('^');
  if (cipher === undefined) return formatFrame(trId, records.length, plain, false);
  return formatFrame(trId, records.length, encryptNotice(plain, cipher.key, cipher.iv), true);
}
