/**
 * The recording format, version 1 (documented in FORMAT.md): the constants, the header and entry types,
 * the encoding of one entry as a line, and the checks applied to every line read back. Pure; no I/O.
 */

/** The first six bytes of every recording (uncompressed), so a wrong file is refused before any inflate. */
export const MAGIC = Buffer.from('KISREC', 'ascii');
/** The format version this code writes; byte 6 of the file. */
export const FORMAT_VERSION = 1;
/** Byte 7: how the body is compressed. 1 = one gzip stream with sync-flush points (the only one so far). */
export const COMPRESSION_GZIP = 1;
/** Length of the fixed prefix (magic, version, compression) before the gzip stream. */
export const PREFIX_BYTES = MAGIC.length + 2;

/** Why a recording ended, in its `end` entry. */
export type EndReason = 'stopped' | 'size-limit' | 'time-limit';

/** The first line of the body. No credential of any kind ever goes here. */
export interface RecordingHeader {
  format: 'kis-recording';
  version: number;
  /** Where the data came from: 'simulator', 'paper', 'real' or an external simulator's URL host. */
  source: string;
  /** Epoch ms of the start; every entry's time is stored relative to it. */
  startedAt: number;
  /** Free-form, credential-free facts (the app's version, the subscriptions asked for). */
  meta: Record<string, string | number | boolean | string[]>;
}

/** One entry, as the reader yields it (`at` is absolute epoch ms). */
export type RecordingEntry =
  /** A message as received: a data frame, an ack, a PINGPONG or anything else the server sent. */
  | { kind: 'message'; at: number; text: string }
  /** A socket session opened; `session` counts from 1 (2 and up are reconnects). */
  | { kind: 'open'; at: number; session: number }
  /** A socket session closed with this code (1006: no close frame) and reason. */
  | { kind: 'close'; at: number; code: number; reason: string }
  /** The writer's buffer was full and this many entries were left out just before this point. */
  | { kind: 'dropped'; at: number; count: number }
  /** The writer finished the file on purpose. A file without it was cut short (a crash, a full disk). */
  | { kind: 'end'; at: number; reason: EndReason };

/** The stable codes of `RecordingError`. */
export type RecordingErrorCode =
  'BAD_MAGIC' | 'UNSUPPORTED_VERSION' | 'TRUNCATED' | 'CORRUPT' | 'IO_ERROR' | 'INVALID_OPTIONS';

/** A recording that cannot be written or read, with a stable `code` and a sentence for the user. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  constructor(
    readonly code: RecordingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const KIND_CODES = { message: 'm', open: 'o', close: 'c', dropped: 'd', end: 'e' } as const;

/**
 * One entry as a body line: a JSON array `[t, kind, ...]` with `t` in ms since the header's `startedAt`.
 * Arrays, not objects: a million frames do not repeat a million key names (gzip would mostly hide them,
 * but not the cost of writing and parsing them).
 */
export function encodeEntry(entry: RecordingEntry, startedAt: number): string {
  const t = entry.at - startedAt;
  switch (entry.kind) {
    case 'message':
      return `${JSON.stringify([t, KIND_CODES.message, entry.text])}\n`;
    case 'open':
      return `${JSON.stringify([t, KIND_CODES.open, entry.session])}\n`;
    case 'close':
      return `${JSON.stringify([t, KIND_CODES.close, entry.code, entry.reason])}\n`;
    case 'dropped':
      return `${JSON.stringify([t, KIND_CODES.dropped, entry.count])}\n`;
    case 'end':
      return `${JSON.stringify([t, KIND_CODES.end, entry.reason])}\n`;
    default: {
      const unreachable: never = entry;
      throw new Error(`unknown entry ${String(unreachable)}`);
    }
  }
}

/** The header as the body's first line. */
export function encodeHeader(header: RecordingHeader): string {
  return `${JSON.stringify(header)}\n`;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Parses and checks one body line. Returns undefined when it is not a valid entry (the caller reports
 * CORRUPT with the line number); never throws.
 */
export function decodeEntry(line: string, startedAt: number): RecordingEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || !isNum(value[0])) return undefined;
  const at = startedAt + value[0];
  const [, kind, a, b] = value as unknown[];
  switch (kind) {
    case 'm':
      return value.length === 3 && typeof a === 'string' ? { kind: 'message', at, text: a } : undefined;
    case 'o':
      return value.length === 3 && isInt(a) && a >= 1 ? { kind: 'open', at, session: a } : undefined;
    case 'c':
      return value.length === 4 && isInt(a) && typeof b === 'string'
        ? { kind: 'close', at, code: a, reason: b }
        : undefined;
    case 'd':
      return value.length === 3 && isInt(a) && a >= 0 ? { kind: 'dropped', at, count: a } : undefined;
    case 'e':
      return value.length === 3 && (a === 'stopped' || a === 'size-limit' || a === 'time-limit')
        ? { kind: 'end', at, reason: a }
        : undefined;
    default:
      return undefined;
  }
}

/** Parses and checks the header line; undefined when it is not a version-1 header. */
export function decodeHeader(line: string): RecordingHeader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const h = value as Partial<Record<keyof RecordingHeader, unknown>>;
  if (h.format !== 'kis-recording' || !isInt(h.version) || typeof h.source !== 'string' || !isNum(h.startedAt))
    return undefined;
  if (typeof h.meta !== 'object' || h.meta === null || Array.isArray(h.meta)) return undefined;
  return {
    format: 'kis-recording',
    version: h.version,
    source: h.source,
    startedAt: h.startedAt,
    meta: h.meta as RecordingHeader['meta'],
  };
}
