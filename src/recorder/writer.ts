/**
 * RecordingWriter: appends what the agent's tap sees to a recording file (FORMAT.md).
 *
 * The tap is called inside the receive loop, so `record()` only appends to an in-memory list: no JSON, no
 * I/O, no throw. A timer (and a full buffer, sooner) serialises the list, writes it into the gzip stream
 * and sync-flushes it, so the file on disk always ends at an entry boundary a reader can inflate.
 * Memory is bounded: past `maxBufferedBytes` waiting to be compressed, entries are left out and counted,
 * and a `dropped` entry says how many. Write errors are counted and emitted, never thrown.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { EventSource } from '../common/lifecycle';
import type { AgentTap, TapEvent } from '../shared/tap';
import {
  COMPRESSION_GZIP,
  encodeEntry,
  encodeHeader,
  FORMAT_VERSION,
  MAGIC,
  RecordingError,
  type EndReason,
  type RecordingEntry,
  type RecordingHeader,
} from './format';
import { isDataFrame, isPrivateNotice, RecordingRedactor } from './redact';

/** Options of `RecordingWriter.open()`. */
export interface RecordingWriterOptions {
  /** The file to create (an existing one is replaced). */
  file: string;
  /** Where the data comes from ('simulator', 'paper', 'real', …); goes in the header. */
  source: string;
  /** Credential-free facts for the header (subscriptions asked for, the app version). */
  meta?: RecordingHeader['meta'];
  /** Stop at about this many bytes on disk (checked after each flush, so it may pass by one flush). */
  limitBytes?: number;
  /** Stop at the first entry this many ms after the start. */
  limitMs?: number;
  /** How often the buffer is compressed and flushed to the file (ms). Default 250. */
  flushIntervalMs?: number;
  /** Most bytes of entries waiting for compression before new ones are dropped. Default 32 MiB. */
  maxBufferedBytes?: number;
  /** Masked by value in every non-frame message, besides the agent's own masking (defence in depth). */
  appkey?: string;
  appsecret?: string;
  /** Clock (epoch ms) for the start and the end entry. Default Date.now. */
  now?: () => number;
  /**
   * Keep the user's own execution notices (encrypted `1|…` frames) and their subscribe acks. Default false:
   * a notice holds the account number and holder's name, its ack the HTS ID and the AES key that opens it,
   * and a recording is market data a user may share. A test of the replay of notices asks for them.
   */
  keepNotices?: boolean;
}

/** The writer's counters. */
export interface RecorderStats {
  /** Entries accepted (written or waiting to be). */
  entries: number;
  /** Data frames among them. */
  frames: number;
  /** Entries left out because the buffer was full. */
  dropped: number;
  /** The user's own execution notices and their acks left out (see `keepNotices`). */
  privateOmitted: number;
  /** Bytes on disk so far (prefix included). */
  bytes: number;
  /** Write failures (the file is then left as it is). */
  errors: number;
  lastError?: string;
  /** Set once the recording stopped: why. */
  stopped?: EndReason;
  startedAt: number;
}

/** Events of the writer. */
export interface RecorderEvents {
  /** A write failed (counted in `errors`). Emitted only when someone listens. */
  error: [RecordingError];
  /** The recording stopped by itself at a limit (the file is being finished). */
  limit: [EndReason];
}

/** Buffered bytes that trigger a flush on the next turn instead of waiting for the timer. */
const EARLY_FLUSH_BYTES = 1 << 20;
/** Rough per-entry overhead of the JSON line, for the buffer's byte count. */
const ENTRY_OVERHEAD = 24;

/** Writes one recording. Build with `RecordingWriter.open()`, hand `tap` to the agent, end with `close()`. */
export class RecordingWriter extends EventSource<RecorderEvents> {
  /** The agent tap (bound): `new KisAgent({ ..., tap: writer.tap })`. */
  readonly tap: AgentTap = (event) => this.record(event);

  private readonly header: RecordingHeader;
  private readonly gzip: zlib.Gzip;
  private readonly out: fs.WriteStream;
  private readonly redactor: RecordingRedactor;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private pending: RecordingEntry[] = [];
  private pendingBytes = 0;
  private droppedSinceFlush = 0;
  private flushing = false;
  private earlyFlush: NodeJS.Immediate | undefined;
  private sessions = 0;
  private closing: Promise<RecorderStats> | undefined;
  private readonly counters: RecorderStats;

  private constructor(
    private readonly options: RecordingWriterOptions,
    out: fs.WriteStream,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.header = {
      format: 'kis-recording',
      version: FORMAT_VERSION,
      source: options.source,
      startedAt: this.now(),
      meta: options.meta ?? {},
    };
    this.counters = {
      entries: 0,
      frames: 0,
      dropped: 0,
      privateOmitted: 0,
      bytes: 0,
      errors: 0,
      startedAt: this.header.startedAt,
    };
    this.redactor = new RecordingRedactor(options.appkey, options.appsecret);
    this.out = out;
    this.out.on('error', (error) => this.fail(error));
    // Level 1, deflate's fastest: under full load the compressor shares the cores with the receive loop and
    // the worker, and at level 6 it fell behind (bench/recording.ts: 80 % of the entries dropped at 110k
    // records/s on 2 cores); the bytes per record barely change on these repetitive frames.
    this.gzip = zlib.createGzip({ level: 1, chunkSize: 64 * 1024 });
    this.gzip.on('error', (error) => this.fail(error));
    this.gzip.on('data', (chunk: Buffer) => {
      this.counters.bytes += chunk.length;
    });
    this.gzip.pipe(this.out);
    this.out.write(Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, COMPRESSION_GZIP])]));
    this.counters.bytes += MAGIC.length + 2;
    this.gzip.write(encodeHeader(this.header));
    this.gzip.flush(zlib.constants.Z_SYNC_FLUSH);
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 250);
  }

  /**
   * Creates the file and writes the prefix and header.
   * @throws RecordingError 'INVALID_OPTIONS' for a bad limit, 'IO_ERROR' when the file cannot be created.
   */
  static async open(options: RecordingWriterOptions): Promise<RecordingWriter> {
    for (const name of ['limitBytes', 'limitMs', 'flushIntervalMs', 'maxBufferedBytes'] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw new RecordingError('INVALID_OPTIONS', `${name} must be a positive number, got ${String(value)}`);
      }
    }
    const out = fs.createWriteStream(options.file, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', (error) =>
        reject(new RecordingError('IO_ERROR', `Cannot create the recording ${options.file}: ${error.message}`)),
      );
    });
    return new RecordingWriter(options, out);
  }

  /** The header written at the start. */
  get startedAt(): number {
    return this.header.startedAt;
  }

  /** A copy of the counters. */
  stats(): RecorderStats {
    return { ...this.counters };
  }

  /** Takes one tap event. Never throws, never blocks; after the end (or a limit) it is ignored. */
  record(event: TapEvent): void {
    if (this.counters.stopped !== undefined) return;
    const limitMs = this.options.limitMs;
    if (limitMs !== undefined && event.at - this.header.startedAt >= limitMs) {
      this.stopAtLimit('time-limit');
      return;
    }
    let entry: RecordingEntry;
    let size = ENTRY_OVERHEAD;
    if (event.type === 'message') {
      if (this.options.keepNotices !== true && isPrivateNotice(event.text)) {
        this.counters.privateOmitted += 1;
        return;
      }
      const frame = isDataFrame(event.text);
      entry = { kind: 'message', at: event.at, text: frame ? event.text : this.redactor.redact(event.text) };
      size += event.text.length;
      if (frame) this.counters.frames += 1;
    } else if (event.type === 'open') {
      entry = { kind: 'open', at: event.at, session: ++this.sessions };
    } else {
      entry = { kind: 'close', at: event.at, code: event.code, reason: this.redactor.redact(event.reason) };
      size += event.reason.length;
    }
    if (this.pendingBytes + this.gzip.writableLength + size > (this.options.maxBufferedBytes ?? 32 << 20)) {
      this.counters.dropped += 1;
      this.droppedSinceFlush += 1;
      if (entry.kind === 'message' && isDataFrame(entry.text)) this.counters.frames -= 1;
      return;
    }
    this.pending.push(entry);
    this.pendingBytes += size;
    this.counters.entries += 1;
    if (this.pendingBytes >= EARLY_FLUSH_BYTES && this.earlyFlush === undefined) {
      this.earlyFlush = setImmediate(() => {
        this.earlyFlush = undefined;
        this.flush();
      });
    }
  }

  /**
   * Finishes the file: the buffered entries, an `end` entry, the gzip trailer. Resolves with the final
   * counters once the file is closed (and its listeners removed). Idempotent.
   */
  close(): Promise<RecorderStats> {
    this.closing ??= this.finish('stopped');
    return this.closing;
  }

  /** Starts `close()`, for an owner that cannot await. */
  override dispose(): void {
    void this.close();
  }

  private stopAtLimit(reason: EndReason): void {
    if (this.closing !== undefined) return;
    this.closing = this.finish(reason);
    if (this.listenerCount('limit') > 0) this.emit('limit', reason);
  }

  private async finish(reason: EndReason): Promise<RecorderStats> {
    this.counters.stopped ??= reason;
    clearInterval(this.timer);
    if (this.earlyFlush !== undefined) clearImmediate(this.earlyFlush);
    const tail = this.drain() + encodeEntry({ kind: 'end', at: this.now(), reason }, this.header.startedAt);
    await new Promise<void>((resolve) => {
      this.out.once('close', () => resolve());
      if (this.out.destroyed) resolve();
      else this.gzip.end(tail);
    });
    // The file is closed: nothing more can be emitted, so the listeners go (EventSource.dispose).
    super.dispose();
    return this.stats();
  }

  /** Serialises and empties the buffer (with a `dropped` entry first when entries were left out). */
  private drain(): string {
    let text = '';
    const start = this.header.startedAt;
    if (this.droppedSinceFlush > 0) {
      const at = this.pending[0]?.at ?? this.now();
      text += encodeEntry({ kind: 'dropped', at, count: this.droppedSinceFlush }, start);
      this.droppedSinceFlush = 0;
    }
    for (const entry of this.pending) text += encodeEntry(entry, start);
    this.pending = [];
    this.pendingBytes = 0;
    return text;
  }

  /** One flush: the buffer into the gzip stream, then a sync flush so the file ends at an entry boundary. */
  private flush(): void {
    if (this.flushing || this.closing !== undefined || (this.pending.length === 0 && this.droppedSinceFlush === 0))
      return;
    this.flushing = true;
    this.gzip.write(this.drain());
    this.gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      this.flushing = false;
      const limit = this.options.limitBytes;
      if (limit !== undefined && this.counters.bytes >= limit) this.stopAtLimit('size-limit');
    });
  }

  private fail(error: Error): void {
    this.counters.errors += 1;
    this.counters.lastError = error.message;
    this.counters.stopped ??= 'stopped';
    clearInterval(this.timer);
    if (this.listenerCount('error') > 0)
      this.emit('error', new RecordingError('IO_ERROR', `Recording write failed: ${error.message}`));
    // Nothing more can be written; let close() settle.
    if (!this.out.destroyed) this.out.destroy();
  }
}
