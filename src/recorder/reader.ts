/**
 * RecordingReader: streams the entries of a recording (FORMAT.md) without loading it whole.
 *
 * A file cut short (a crash, a full disk, a copy in progress) is read up to its last complete entry and
 * then says so (`truncated`): the body is inflated with `finishFlush: Z_SYNC_FLUSH`, so a missing gzip
 * trailer is not an error, and a last line without its newline is dropped. A wrong file, an unknown
 * version or a damaged body is a `RecordingError` with a stable code, after every good entry before it.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import {
  COMPRESSION_GZIP,
  decodeEntry,
  decodeHeader,
  FORMAT_VERSION,
  MAGIC,
  PREFIX_BYTES,
  RecordingError,
  type EndReason,
  type RecordingEntry,
  type RecordingHeader,
} from './format';

/** How a read ended. */
export interface ReadSummary {
  entries: number;
  /** True when the file ended before its `end` entry (it was cut short). */
  truncated: boolean;
  /** The `end` entry's reason, when there was one. */
  end?: EndReason;
}

/** Reads one recording. `open()` checks the prefix and header; `entries()` streams the rest, once. */
export class RecordingReader {
  /** Set when `entries()` has finished: how it ended. */
  summary: ReadSummary | undefined;
  private started = false;

  private constructor(
    readonly file: string,
    readonly header: RecordingHeader,
    private readonly lines: AsyncGenerator<string, boolean>,
  ) {}

  /**
   * Opens a recording and reads its header.
   * @throws RecordingError 'IO_ERROR' (cannot read), 'BAD_MAGIC' (not a recording), 'UNSUPPORTED_VERSION',
   * 'TRUNCATED' (cut before the header was complete), 'CORRUPT' (the header does not inflate or parse).
   */
  static async open(file: string): Promise<RecordingReader> {
    let prefix: Buffer;
    try {
      const handle = await fs.promises.open(file, 'r');
      try {
        prefix = Buffer.alloc(PREFIX_BYTES);
        const { bytesRead } = await handle.read(prefix, 0, PREFIX_BYTES, 0);
        prefix = prefix.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new RecordingError(
        'IO_ERROR',
        `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (prefix.length === 0) throw new RecordingError('TRUNCATED', `${file} is empty: nothing was recorded`);
    const magicPart = prefix.subarray(0, Math.min(prefix.length, MAGIC.length));
    if (!MAGIC.subarray(0, magicPart.length).equals(magicPart)) {
      throw new RecordingError(
        'BAD_MAGIC',
        `${file} is not a KIS Market Monitor recording (it does not start with "KISREC")`,
      );
    }
    if (prefix.length < PREFIX_BYTES)
      throw new RecordingError('TRUNCATED', `${file} ends before its header: the recording is empty`);
    const version = prefix[MAGIC.length];
    if (version !== FORMAT_VERSION || prefix[MAGIC.length + 1] !== COMPRESSION_GZIP) {
      throw new RecordingError(
        'UNSUPPORTED_VERSION',
        `${file} is a version ${version} recording (compression ${prefix[MAGIC.length + 1]}); this build reads version ${FORMAT_VERSION} only — update KIS Market Monitor`,
      );
    }
    const lines = bodyLines(file);
    let first: IteratorResult<string, boolean>;
    try {
      first = await lines.next();
    } catch (error) {
      throw corrupt(file, 0, error);
    }
    if (first.done === true) {
      throw new RecordingError('TRUNCATED', `${file} ends before its header was complete: nothing to read`);
    }
    const header = decodeHeader(first.value);
    if (header === undefined) {
      await lines.return(false);
      throw new RecordingError('CORRUPT', `${file} has a damaged header`);
    }
    if (header.version !== FORMAT_VERSION) {
      await lines.return(false);
      throw new RecordingError(
        'UNSUPPORTED_VERSION',
        `${file} says version ${header.version} in its header; this build reads version ${FORMAT_VERSION} only`,
      );
    }
    return new RecordingReader(file, header, lines);
  }

  /**
   * Streams every entry after the header, in order. Ends normally at the `end` entry or at the cut of a
   * truncated file (then `summary.truncated` is true). Can be iterated once.
   * @throws RecordingError 'CORRUPT' at the first damaged part, after yielding every entry before it.
   */
  async *entries(): AsyncGenerator<RecordingEntry, ReadSummary> {
    if (this.started)
      throw new RecordingError('INVALID_OPTIONS', 'entries() can be read only once per RecordingReader');
    this.started = true;
    const summary: ReadSummary = { entries: 0, truncated: true };
    let lineNo = 1;
    try {
      for (;;) {
        let next: IteratorResult<string, boolean>;
        try {
          next = await this.lines.next();
        } catch (error) {
          throw corrupt(this.file, lineNo, error);
        }
        if (next.done === true) break;
        lineNo += 1;
        if (summary.end !== undefined) throw corrupt(this.file, lineNo, new Error('data after the end entry'));
        const entry = decodeEntry(next.value, this.header.startedAt);
        if (entry === undefined) throw corrupt(this.file, lineNo, new Error('not a valid entry'));
        if (entry.kind === 'end') {
          summary.end = entry.reason;
          summary.truncated = false;
        }
        summary.entries += 1;
        yield entry;
      }
    } finally {
      this.summary = summary;
      await this.lines.return(false);
    }
    return summary;
  }

  /** Stops reading early and releases the file (safe to call any time). */
  async close(): Promise<void> {
    await this.lines.return(false);
  }
}

function corrupt(file: string, line: number, error: unknown): RecordingError {
  const why = error instanceof Error ? error.message : String(error);
  return new RecordingError('CORRUPT', `${file} is damaged at entry ${line} (${why}); everything before it was read`);
}

/**
 * The body's complete lines, inflated as a stream. Yields only lines ended by '\n': the part after the
 * last newline is an entry cut by a crash. Returns true when the stream ended cleanly.
 */
async function* bodyLines(file: string): AsyncGenerator<string, boolean> {
  const input = fs.createReadStream(file, { start: PREFIX_BYTES });
  const gunzip = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  // A chunk can end inside a multi-byte character (Korean names in notices); the decoder carries it over.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        yield text.slice(from, nl);
        from = nl + 1;
      }
      rest = text.slice(from);
    }
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  return true;
}
