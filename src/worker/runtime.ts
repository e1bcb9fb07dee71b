/**
 * The worker's message loop, independent of `worker_threads` so it can be driven in-process by tests:
 * `entry.ts` wires it to `parentPort`. Receives `init`, `frames`, `setAlerts`, `addHandler`, `setHandlers`,
 * `stop`; posts `ready`, coalesced `snapshot`s (or a bare `ack`), `heartbeat`s with `handlerStats`, and
 * rate-limited `handlerError`s.
 *
 * Each frame is walked once; each record goes through the built-in handlers (quote state, bars, book,
 * alerts) and then through every user handler. Nothing awaits a handler: the loop is synchronous per
 * batch, so the snapshot and heartbeat timers run between batches, and a handler that blocks the loop
 * also stops the heartbeat — which is exactly what the host's watchdog looks for.
 */
import { Disposable, toDisposable } from '../common/lifecycle';
import { splitRecords } from '../kis/frame';
import { TR } from '../kis/layouts/krx';
import { DAY_LAYOUTS, readDayRecords, type DayRecord, type DayRecordError } from '../kis/layouts/day';
import { INTL_LAYOUTS, readIntlRecords } from '../kis/layouts/intl';
import { NOTICE_TRS } from '../kis/layouts/notice';
import { BOOK_TICK_FIELDS, BookTickReader, TRADE_TICK_FIELDS, TradeTickReader } from '../kis/ticks';
import type { DataFrame } from '../kis/types';
import type { Snapshot, WorkerCounters } from '../shared/snapshot';
import type { HostToWorker, InitMessage, WorkerToHost } from '../shared/workerProtocol';
import { AlertEngine } from './alerts';
import { MarketState } from './marketState';
import { HandlerSet, handlerStack, invokeHandlers, settleWithin, type HandlerEntry } from './handlerSet';
import { NoticeCollector } from './notices';
import { RawDecoder } from './rawDecoder';
import { realTimers, type RuntimeTimers } from './runtimeTimers';
import { errorMessage, HandlerLoadError, LazyRecord } from './userHandlers';

export type { RuntimeTimers } from './runtimeTimers';

/** At most one `handlerError` message per handler per this many ms (the counter has every error). */
const ERROR_REPORT_INTERVAL_MS = 1000;
/** How long `stop` waits for pending async handler promises before letting the thread end. */
const STOP_GRACE_MS = 1000;

/** Name under which errors of the built-in handlers are reported. */
export const BUILTIN_HANDLER = 'builtin';

/** One worker's handler pipeline and timers. */
export class WorkerRuntime extends Disposable {
  private state: MarketState | undefined;
  private readonly alerts: AlertEngine;
  private readonly handlers = new HandlerSet();
  private readonly counters: WorkerCounters = { records: 0, handlerErrors: 0, parseErrors: 0 };
  private lastBatchId = 0;
  /** Raw batches: decoded here, off the extension host's thread. */
  private readonly decoder = new RawDecoder();
  /** Acknowledge raw batches after this many bytes (0: only with snapshots). */
  private ackEveryBytes = 0;
  private rawBytesSinceAck = 0;
  private lastAckedBatchId = 0;
  private heartbeatSeq = 0;
  private snapshotSeq = 0;
  private tickTimer: unknown;
  private snapshotIntervalMs = 100;
  private heartbeatIntervalMs = 1000;
  private lastFlushAt = 0;
  private lastBeatAt = 0;
  private stopped = false;
  /** Promises returned by async handlers, held until they settle (design lesson 3). */
  private readonly pending = new Set<PromiseLike<void>>();
  private readonly lastErrorReport = new Map<string, number>();
  /** Reused for every H0STCNT0 frame: its ticks are the only per-frame state of the fast path. */
  private readonly tradeReader = new TradeTickReader();
  /** Made at the first H0STASP0 frame, with the state's book depth. */
  private bookReader: BookTickReader | undefined;
  /** Execution notices read since the last snapshot. */
  private readonly notices = new NoticeCollector();

  /**
   * @param post sends a message to the host
   * @param onStopped called once after `stop` (entry.ts closes the port there so the thread can exit)
   */
  constructor(
    private readonly post: (message: WorkerToHost) => void,
    private readonly onStopped: () => void = () => undefined,
    private readonly timers: RuntimeTimers = realTimers,
  ) {
    super();
    // The cooldown runs on the worker's clock (the receipt clock, not the records' exchange time): it limits
    // how often a person is interrupted, and it stays right when exchange times are missing or interleaved.
    this.alerts = new AlertEngine(() => this.timers.now());
    this._register(toDisposable(() => this.timers.clearInterval(this.tickTimer)));
  }

  /** Promises returned by user handlers that have not settled yet. */
  get pendingAsync(): number {
    return this.pending.size;
  }

  /** The market state (undefined before `init`); for tests. */
  get market(): MarketState | undefined {
    return this.state;
  }

  /** Handles one message from the host. Never throws: a bad message is reported as `fatal`. */
  handle(message: HostToWorker): void {
    if (this.stopped) return;
    try {
      switch (message.type) {
        case 'init':
          this.init(message);
          return;
        case 'frames':
          if (this.state === undefined) throw new Error('frames before init');
          this.process(message.frames, message.replay === true);
          this.lastBatchId = message.batchId;
          this.tick();
          return;
        case 'raw': {
          if (this.state === undefined) throw new Error('frames before init');
          const frames = this.decoder.decode(message.buffer, message.receivedAt, (why) =>
            this.reportError('receive', why, false),
          );
          this.process(frames, message.replay === true);
          this.lastBatchId = message.batchId;
          this.rawBytesSinceAck += message.buffer.byteLength;
          // Acknowledge at half the host's window, not at the snapshot cadence: the window refills while
          // the receiver is still fast (the host paces what the views see).
          if (this.ackEveryBytes > 0 && this.rawBytesSinceAck >= this.ackEveryBytes) this.flush();
          this.tick();
          return;
        }
        case 'setAlerts':
          if (message.sessionGate !== undefined) this.alerts.setGate(message.sessionGate);
          if (message.alertQuiet !== undefined) this.alerts.setOptions(message.alertQuiet);
          this.reportInvalidRules(this.alerts.setRules(message.alerts));
          return;
        case 'addHandler':
          this.addHandler(message.modulePath);
          return;
        case 'setHandlers':
          for (const failure of this.handlers.replace(message.modulePaths)) this.loadFailed(failure.error);
          this.postHandlerStats();
          return;
        case 'stop':
          void this.stop();
          return;
        default: {
          const unknown: never = message;
          throw new Error(`unknown message type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
        }
      }
    } catch (error) {
      this.post({ type: 'fatal', message: errorMessage(error) });
    }
  }

  /** Posts a snapshot of what changed, or a bare ack when nothing did but batches were processed. */
  flush(): void {
    const state = this.state;
    if (state === undefined) return;
    const statesChanged = this.alerts.takeStatesChanged();
    const alertStates = statesChanged ? { alertStates: this.alerts.states() } : {};
    const received = this.decoder.active ? { received: this.decoder.snapshot() } : {};
    this.rawBytesSinceAck = 0;
    if (state.hasChanges() || this.notices.pending) {
      const changes = state.takeChanges();
      const fills = this.notices.take();
      const snapshot: Snapshot = {
        seq: ++this.snapshotSeq,
        at: this.timers.now(),
        quotes: changes.quotes,
        bars: changes.bars,
        books: changes.books,
        alerts: changes.alerts,
        ...(fills.length > 0 ? { fills } : {}),
        counters: { ...this.counters },
      };
      this.post({ type: 'snapshot', snapshot, ackBatchId: this.lastBatchId, ...alertStates, ...received });
    } else if (this.lastBatchId !== this.lastAckedBatchId || statesChanged) {
      // Nothing visible changed, but the host must learn that its batches are done (its window), and
      // get the counters (records of TRs without a built-in handler, errors) and the alert states.
      this.post({
        type: 'ack',
        ackBatchId: this.lastBatchId,
        counters: { ...this.counters },
        ...alertStates,
        ...received,
      });
    }
    this.lastAckedBatchId = this.lastBatchId;
  }

  private init(message: InitMessage): void {
    if (this.state !== undefined) throw new Error('init received twice');
    const state = new MarketState(this.alerts, message.bookDepth, message.feedClock);
    const restore = message.restore;
    if (restore !== undefined) {
      state.restore(restore);
      this.counters.records = restore.counters.records;
      this.counters.handlerErrors = restore.counters.handlerErrors;
      this.counters.parseErrors = restore.counters.parseErrors;
      this.decoder.restore(restore.received);
    }
    this.alerts.setGate(message.sessionGate === true);
    this.ackEveryBytes = Math.max(0, message.ackEveryBytes ?? 0);
    if (message.alertQuiet !== undefined) this.alerts.setOptions(message.alertQuiet);
    this.reportInvalidRules(this.alerts.setRules(message.alerts, message.alertStates ?? []));
    this.alerts.takeStatesChanged(); // the host already knows the restored states
    this.state = state;
    for (const modulePath of message.userHandlers) this.addHandler(modulePath);
    this.snapshotIntervalMs = Math.max(1, message.snapshotIntervalMs);
    this.heartbeatIntervalMs = Math.max(1, message.heartbeatIntervalMs);
    this.lastFlushAt = this.lastBeatAt = this.timers.now();
    // A quarter of the snapshot interval: snapshots go out between 1 and 1.25 intervals apart.
    this.tickTimer = this.timers.setInterval(
      () => this.tick(),
      Math.max(1, Math.floor(Math.min(this.snapshotIntervalMs, this.heartbeatIntervalMs) / 4)),
    );
    this.post({ type: 'ready', handlers: this.handlers.list.map((h) => h.path) });
  }

  /**
   * Posts the snapshot and the heartbeat when due. Runs from the timer and after every batch: under a
   * sustained flood the port delivers thousands of queued messages per event-loop turn and timers wait,
   * so without the check after each batch the views would freeze and the host would take a busy worker
   * for a hung one. A handler that blocks still stops both — it never returns to this check.
   */
  private tick(): void {
    const now = this.timers.now();
    if (now - this.lastFlushAt >= this.snapshotIntervalMs) {
      this.lastFlushAt = now;
      this.flush();
    }
    if (now - this.lastBeatAt >= this.heartbeatIntervalMs) {
      this.lastBeatAt = now;
      this.post({ type: 'heartbeat', seq: ++this.heartbeatSeq });
      this.postHandlerStats();
    }
  }

  private addHandler(modulePath: string): void {
    try {
      this.handlers.add(modulePath);
    } catch (error) {
      this.loadFailed(
        error instanceof HandlerLoadError ? error : new HandlerLoadError(String(modulePath), errorMessage(error)),
      );
    }
  }

  private loadFailed(error: HandlerLoadError): void {
    this.counters.handlerErrors++;
    this.reportError(error.handler, error.message, true, error.detail);
  }

  /** Each user handler's counters, for Connection Details (nothing while there are none). */
  private postHandlerStats(): void {
    if (this.handlers.list.length > 0) this.post({ type: 'handlerStats', handlers: this.handlers.stats() });
  }

  private reportInvalidRules(invalid: number): void {
    if (invalid > 0) this.reportError('alerts', `${invalid} malformed alert rule(s) ignored`, true);
  }
  /**
   * The hot loop: each frame is walked once. Without user handlers (or on a replay), trades and books
   * are read with the tick readers, which parse only the fields the built-in state needs; user handlers
   * get `fields`, so then the frame is split once and both read from the split array.
   */
  private process(frames: readonly DataFrame[], replay: boolean): void {
    const state = this.state as MarketState;
    const now = this.timers.now();
    const users = replay ? 0 : this.handlers.list.length;
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f];
      if (users === 0 && !frame.encrypted) {
        if (frame.trId === TR.TRADE && frame.width >= TRADE_TICK_FIELDS) {
          this.processTrades(frame, state, now);
          continue;
        }
        if (frame.trId === TR.ORDER_BOOK && frame.width >= BOOK_TICK_FIELDS) {
          this.processBooks(frame, state, now);
          continue;
        }
      }
      this.processSplit(frame, state, now, users);
    }
  }

  /** An H0STCNT0 frame through the tick reader (no user handlers). */
  private processTrades(frame: DataFrame, state: MarketState, now: number): void {
    const n = this.tradeReader.read(frame);
    if (n < 0) {
      // The agent validated the envelope; a mismatch here means a frame that was not (or a bug).
      this.counters.parseErrors++;
      return;
    }
    for (let r = 0; r < n; r++) {
      this.counters.records++;
      try {
        state.applyTradeTick(this.tradeReader.tick(r), now);
      } catch (error) {
        this.builtinFailed(error);
      }
    }
  }

  /** An H0STASP0 frame through the tick reader (no user handlers). */
  private processBooks(frame: DataFrame, state: MarketState, now: number): void {
    const reader = (this.bookReader ??= new BookTickReader(state.bookDepth));
    const n = reader.read(frame);
    if (n < 0) {
      this.counters.parseErrors++;
      return;
    }
    for (let r = 0; r < n; r++) {
      this.counters.records++;
      try {
        state.applyBookTick(reader.tick(r), now);
      } catch (error) {
        this.builtinFailed(error);
      }
    }
  }

  /** Any frame, split once: records go through the built-in handlers, then every user handler. */
  private processSplit(frame: DataFrame, state: MarketState, now: number, users: number): void {
    const { trId, count, width } = frame;
    let fields: string[];
    try {
      fields = splitRecords(frame);
    } catch (error) {
      this.counters.parseErrors++;
      this.reportError('frames', errorMessage(error), false);
      return;
    }
    if (!(count >= 1 && width >= 1 && fields.length === count * width)) {
      // The agent validated the envelope; a mismatch here means a frame that was not (or a bug).
      this.counters.parseErrors++;
      return;
    }
    const isTrade = trId === TR.TRADE;
    const isBook = trId === TR.ORDER_BOOK;
    if (DAY_LAYOUTS.has(trId) || INTL_LAYOUTS.has(trId)) {
      this.processDay(frame, fields, state, now, users);
      return;
    }
    if (NOTICE_TRS.has(trId)) {
      this.processNotices(frame, fields, users);
      return;
    }
    for (let o = 0; o < fields.length; o += width) {
      this.counters.records++;
      try {
        if (isTrade) state.applyTrade(fields, o, now);
        else if (isBook) state.applyBook(fields, o, now);
      } catch (error) {
        this.builtinFailed(error);
      }
      if (users > 0) this.runUserHandlers(new LazyRecord(trId, fields[o], fields, o, width));
    }
  }

  /**
   * A whole-day TR frame (NXT/unified trades and books, expected execution, market status), read in one
   * pass by `readDayRecords`, or an index/US frame by `readIntlRecords`. An unreadable record
   * (unknown width, status without a symbol) is counted and reported once a second; the rest of the frame
   * and the stream go on.
   */
  private processDay(frame: DataFrame, fields: string[], state: MarketState, now: number, users: number): void {
    const { trId, width } = frame;
    // Each record gives exactly one callback (a record or its error), so `at` is the offset of the next.
    let at = 0;
    const onRecord = (record: DayRecord): void => {
      const o = at;
      at += width;
      this.guard(() => state.applyDayRecord(record, fields, o, now));
    };
    const onError = (error: DayRecordError): void => {
      at += width;
      this.counters.dayRecordErrors = (this.counters.dayRecordErrors ?? 0) + 1;
      this.reportError('frames', `${error.code}: ${error.message}`, false);
    };
    if (INTL_LAYOUTS.has(trId)) {
      readIntlRecords(trId, fields, width, (record) => this.guard(() => state.applyIntlRecord(record, now)), onError);
    } else readDayRecords(trId, fields, width, onRecord, onError);
    for (let o = 0; o < fields.length; o += width) {
      this.counters.records++;
      if (users > 0) this.runUserHandlers(new LazyRecord(trId, fields[o], fields, o, width));
    }
  }

  /**
   * An execution-notice frame: its records become fills for the next snapshot. A record that cannot be read
   * is counted and reported by its code only (its content is account data); the rest goes on.
   */
  private processNotices(frame: DataFrame, fields: string[], users: number): void {
    const { trId, width } = frame;
    this.notices.read(trId, fields, width, (code) => {
      this.counters.noticeErrors = (this.counters.noticeErrors ?? 0) + 1;
      this.reportError('notices', `${trId} record dropped: ${code} (width ${width})`, false);
    });
    for (let o = 0; o < fields.length; o += width) {
      this.counters.records++;
      if (users > 0) this.runUserHandlers(new LazyRecord(trId, fields[o], fields, o, width));
    }
  }

  /** Runs one built-in handler step; a throw is counted, never fatal. */
  private guard(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      this.builtinFailed(error);
    }
  }

  private builtinFailed(error: unknown): void {
    this.counters.handlerErrors++;
    this.reportError(BUILTIN_HANDLER, errorMessage(error), false);
  }

  private runUserHandlers(record: LazyRecord): void {
    invokeHandlers(this.handlers.list, record, this.pending, (handler, error) => this.userFailed(handler, error));
  }

  private userFailed(handler: HandlerEntry, error: unknown): void {
    handler.errors++;
    this.counters.handlerErrors++;
    this.reportError(handler.path, errorMessage(error), false, handlerStack(error));
  }

  /** Posts a `handlerError`, at most once per `ERROR_REPORT_INTERVAL_MS` per handler unless `always`. */
  private reportError(handler: string, message: string, always: boolean, stack?: string): void {
    const now = this.timers.now();
    const last = this.lastErrorReport.get(handler);
    if (!always && last !== undefined && now - last < ERROR_REPORT_INTERVAL_MS) return;
    this.lastErrorReport.set(handler, now);
    this.post({
      type: 'handlerError',
      handler,
      message: message.slice(0, 500),
      ...(stack !== undefined ? { stack: stack.slice(0, 4000) } : {}),
    });
  }

  /** Stops the timers, posts the last changes, waits (bounded) for pending async handlers, then ends. */
  private async stop(): Promise<void> {
    this.flush();
    this.stopped = true;
    this.dispose(); // the tick timer
    await settleWithin(this.pending, STOP_GRACE_MS);
    this.onStopped();
  }
}
