/**
 * The worker host: the extension-host side of the handler thread. It is the agent's `RecordSink`, so the
 * agent's receive loop only ever does a `postMessage` (asynchronous, a structured clone) per batch; every
 * handler runs on the worker thread, and a handler that blocks for seconds delays neither the receive
 * loop nor the PINGPONG echo.
 *
 * Life cycle (piscina-style): lazy — the thread starts on the first `push()` or `start()`; frames queue
 * until the worker says `ready`. The worker sends a heartbeat from a timer; no sign of life for
 * `heartbeatTimeoutMs` (a handler blocking its event loop) → terminate and restart. A crash or an
 * unrequested exit → restart with backoff. A restarted worker is rebuilt from the host's merged snapshot
 * state (`restore`) and then gets every batch sent since the last acknowledged snapshot again (`replay`,
 * built-in handlers only), so no trade is lost and none is counted twice.
 *
 * Flow control: batches carry ids; the worker acknowledges them with each snapshot (or a bare `ack`).
 * At most `maxInFlightFrames` frames are unacknowledged; beyond that frames wait in a bounded queue where
 * order-book frames coalesce latest-wins per symbol (`coalesced`) and other frames are refused past
 * `maxQueuedFrames`, counted record by record in `dropped` (never silently).
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataFrame } from '../kis/types';
import type { AlertEvent, AlertRule, Bar, OrderBookTop, QuoteState, Snapshot, WorkerCounters } from '../shared/snapshot';
import type { WorkerHostStats } from '../shared/stats';
import {
  parseWorkerMessage,
  type HostToWorker,
  type SnapshotMessage,
  type WorkerRestoreState,
} from '../shared/workerProtocol';
import type { RecordSink } from '../shared/recordSink';
import { FrameQueue } from './frameQueue';
import { restartDelay, RESTART_BACKOFF_DEFAULTS, type RestartBackoff } from './restartPolicy';

export type { RecordSink } from '../shared/recordSink';

/** Options of {@link WorkerHost}. Every field is optional. */
export interface WorkerHostOptions {
  /**
   * The worker script. Default: `worker.js` beside this module when it exists (the esbuild bundle in
   * dist/), else `entry.js` beside it (the tsc output in out/src/worker/).
   */
  workerScript?: string;
  /** The worker posts at most one snapshot per this interval (ms). Default 100. */
  snapshotIntervalMs?: number;
  /** The worker's heartbeat period (ms). Default 1000. */
  heartbeatIntervalMs?: number;
  /** No message from the worker for this long → terminate and restart (ms). Default 5000. */
  heartbeatTimeoutMs?: number;
  /**
   * A new worker that has not said `ready` within this long is restarted (ms). Default: the larger of
   * 10,000 and `heartbeatTimeoutMs` — starting a thread and loading handler modules on a busy machine
   * takes longer than a heartbeat period, and must not be mistaken for a hang.
   */
  startTimeoutMs?: number;
  /**
   * Frames posted and not yet acknowledged, at most. Default 65,536. The worker acknowledges with its
   * snapshot, once per `snapshotIntervalMs`, so the window drains at most this many frames per interval:
   * it must cover the fastest receive rate × the interval. The agent receives at most ~160,000 one-record
   * frames/s on our 2-core machines (bench/README.md), i.e. ~16,000 per 100 ms: 16,384 overflowed at
   * that rate, 65,536 leaves 4× headroom. The frames held are the replay buffer (~25 MB at the limit).
   */
  maxInFlightFrames?: number;
  /** Frames waiting beyond the window, at most (order-book frames coalesce instead). Default 65,536. */
  maxQueuedFrames?: number;
  /** Frames per `postMessage` when draining the queue. Default 1024. */
  maxBatchFrames?: number;
  /** Order-book levels kept per side, 1..10. Default 10. */
  bookDepth?: number;
  /** Bars kept per symbol by the host for `bars()`. Default 600 (a full KRX session is 390 minutes + auctions). */
  maxBarsPerSymbol?: number;
  /** Absolute paths of CommonJS user handler modules. */
  userHandlers?: readonly string[];
  alerts?: readonly AlertRule[];
  restartBackoff?: RestartBackoff;
  /** `dispose()` lets the worker stop on its own this long before terminating it (ms). Default 1000. */
  stopTimeoutMs?: number;
  /** Random source of the backoff jitter (tests). */
  random?: () => number;
}

/** Why a worker restarted. */
export interface RestartEvent {
  reason: string;
  /** Restarts so far (the same number as `stats().workerRestarts`). */
  restarts: number;
  /** Delay before the new worker starts (ms). */
  delayMs: number;
}

/** A user handler error as reported by the worker (rate-limited there; the counter is exact). */
export interface HandlerErrorEvent {
  message: string;
  handler: string;
}

/** The host's events and their arguments. */
export interface WorkerHostEvents {
  snapshot: [Snapshot];
  alert: [AlertEvent];
  restart: [RestartEvent];
  handlerError: [HandlerErrorEvent];
  /** A worker is initialised and receiving frames. */
  ready: [];
  /** Worker crashes and internal failures. Emitted only when someone listens (never an unhandled 'error'). */
  error: [Error];
}

type HostState = 'idle' | 'starting' | 'ready' | 'restarting' | 'disposed';

interface Batch {
  id: number;
  frames: DataFrame[];
}

const EMPTY_COUNTERS: WorkerCounters = { records: 0, handlerErrors: 0, parseErrors: 0 };

/** Resolves the default worker script (see `WorkerHostOptions.workerScript`). */
export function defaultWorkerScript(dir: string = __dirname): string {
  const bundled = path.join(dir, 'worker.js');
  return fs.existsSync(bundled) ? bundled : path.join(dir, 'entry.js');
}

/** Runs the record handlers on a worker thread; see the module comment. */
export class WorkerHost extends EventEmitter<WorkerHostEvents> implements RecordSink {
  private readonly script: string;
  private readonly snapshotIntervalMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly maxInFlightFrames: number;
  private readonly maxBatchFrames: number;
  private readonly bookDepth: number;
  private readonly maxBarsPerSymbol: number;
  private readonly backoff: Required<RestartBackoff>;
  private readonly stopTimeoutMs: number;
  private readonly random: () => number;
  private readonly userHandlers: string[];
  private alertRules: AlertRule[];

  private state: HostState = 'idle';
  private worker: Worker | undefined;
  /** Every thread not yet exited (the current one and any being terminated). */
  private readonly alive = new Map<Worker, Promise<void>>();
  private workerStartedAt = 0;
  private lastLifeAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private disposing: Promise<void> | undefined;

  private readonly queue: FrameQueue;
  /** Posted, not yet acknowledged: the replay buffer. */
  private batches: Batch[] = [];
  private inFlightFrames = 0;
  private nextBatchId = 0;

  private readonly quoteMap = new Map<string, QuoteState>();
  private readonly barMap = new Map<string, Bar[]>();
  private readonly bookMap = new Map<string, OrderBookTop>();
  private disarmedAlerts: string[] = [];
  private counters: WorkerCounters = { ...EMPTY_COUNTERS };

  private workerRestarts = 0;
  private lastRestartReason: string | undefined;
  private dropped = 0;
  private coalesced = 0;
  private snapshots = 0;
  private replayedFrames = 0;
  private invalidMessages = 0;
  private listenerErrors = 0;

  constructor(options: WorkerHostOptions = {}) {
    super();
    this.script = options.workerScript ?? defaultWorkerScript();
    this.snapshotIntervalMs = positive(options.snapshotIntervalMs, 100);
    this.heartbeatIntervalMs = positive(options.heartbeatIntervalMs, 1000);
    this.heartbeatTimeoutMs = positive(options.heartbeatTimeoutMs, 5000);
    this.startTimeoutMs = positive(options.startTimeoutMs, Math.max(10_000, this.heartbeatTimeoutMs));
    this.maxInFlightFrames = positive(options.maxInFlightFrames, 65_536);
    this.queue = new FrameQueue(positive(options.maxQueuedFrames, 65_536));
    this.maxBatchFrames = positive(options.maxBatchFrames, 1024);
    this.bookDepth = Math.min(10, positive(options.bookDepth, 10));
    this.maxBarsPerSymbol = positive(options.maxBarsPerSymbol, 600);
    this.backoff = { ...RESTART_BACKOFF_DEFAULTS, ...options.restartBackoff };
    this.stopTimeoutMs = positive(options.stopTimeoutMs, 1000);
    this.random = options.random ?? Math.random;
    this.userHandlers = [...(options.userHandlers ?? [])];
    this.alertRules = [...(options.alerts ?? [])];
  }

  /** The running worker thread (undefined before the start, while restarting and after dispose). */
  get currentWorker(): Worker | undefined {
    return this.worker;
  }

  /** Starts the worker thread now instead of on the first `push()`. Idempotent. */
  start(): void {
    if (this.state !== 'idle') return;
    this.spawn();
  }

  /**
   * Takes a batch of frames from the agent. Never blocks and never throws: the batch is posted to the
   * worker (one `postMessage`) or queued. After `dispose()` the frames' records count as dropped.
   */
  push(frames: readonly DataFrame[]): void {
    if (frames.length === 0) return;
    if (this.state === 'disposed') {
      for (const frame of frames) this.dropped += frame.count;
      return;
    }
    if (this.state === 'idle') this.spawn();
    if (this.state === 'ready' && this.queue.length === 0 && this.inFlightFrames + frames.length <= this.maxInFlightFrames) {
      // The common case: copy the array (the caller may reuse it) and post it as one batch.
      this.send(frames.slice(), false);
      return;
    }
    for (const frame of frames) {
      const result = this.queue.enqueue(frame);
      if (result === 'coalesced') this.coalesced++;
      else if (result === 'refused') this.dropped += frame.count;
    }
    this.drain();
  }

  /** Replaces the alert rules (in the running worker and in every future one). */
  setAlerts(rules: readonly AlertRule[]): void {
    this.alertRules = [...rules];
    this.post({ type: 'setAlerts', alerts: this.alertRules });
  }

  /** Adds a user handler module (absolute path) to the running worker and every future one. */
  addHandler(modulePath: string): void {
    this.userHandlers.push(modulePath);
    this.post({ type: 'addHandler', modulePath });
  }

  /** The merged current state of one symbol (undefined when nothing is known). */
  latest(symbol: string): QuoteState | undefined {
    return this.quoteMap.get(symbol);
  }

  /** The merged current state of every symbol seen. */
  quotes(): QuoteState[] {
    return [...this.quoteMap.values()];
  }

  /** The most recent one-minute bars of a symbol, oldest first (at most `maxBarsPerSymbol`). */
  bars(symbol: string): Bar[] {
    return [...(this.barMap.get(symbol) ?? [])];
  }

  /** The latest order-book top of a symbol. */
  book(symbol: string): OrderBookTop | undefined {
    return this.bookMap.get(symbol);
  }

  /** Counters of the host and (as of the last snapshot) of the worker. */
  stats(): WorkerHostStats {
    return {
      running: this.worker !== undefined,
      workerRestarts: this.workerRestarts,
      records: this.counters.records,
      handlerErrors: this.counters.handlerErrors,
      parseErrors: this.counters.parseErrors,
      dropped: this.dropped,
      coalesced: this.coalesced,
      queued: this.queue.length,
      snapshots: this.snapshots,
      inFlight: this.inFlightFrames,
      replayedFrames: this.replayedFrames,
      invalidMessages: this.invalidMessages,
      listenerErrors: this.listenerErrors,
      ...(this.lastRestartReason !== undefined ? { lastRestartReason: this.lastRestartReason } : {}),
    };
  }

  /**
   * Stops everything: timers cleared, the worker asked to stop (it posts its last snapshot and waits
   * briefly for pending async handlers), terminated after `stopTimeoutMs` if it does not, and awaited
   * until its thread has exited. Frames that never reached a worker count as dropped. Idempotent.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.shutdown();
    return this.disposing;
  }

  // -------------------------------------------------------------------------------------------------
  // worker life cycle

  private spawn(): void {
    this.state = 'starting';
    let worker: Worker;
    try {
      worker = new Worker(this.script);
    } catch (error) {
      this.fail(toError(error, 'cannot start the worker'));
      this.scheduleRestart(`cannot start: ${toError(error, '').message}`);
      return;
    }
    this.worker = worker;
    this.workerStartedAt = this.lastLifeAt = Date.now();
    let exitError: Error | undefined;
    this.alive.set(
      worker,
      new Promise<void>((resolve) => {
        worker.once('exit', (code) => {
          this.alive.delete(worker);
          resolve();
          this.onExit(worker, code, exitError);
        });
      }),
    );
    worker.on('message', (message: unknown) => this.onMessage(worker, message));
    worker.on('error', (error: Error) => {
      exitError = error;
    });
    worker.on('messageerror', () => {
      if (worker === this.worker) this.invalidMessages++;
    });
    this.post({
      type: 'init',
      snapshotIntervalMs: this.snapshotIntervalMs,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      bookDepth: this.bookDepth,
      userHandlers: [...this.userHandlers],
      alerts: this.alertRules,
      ...(this.workerRestarts > 0 ? { restore: this.restoreState() } : {}),
    });
    this.watchdog ??= setInterval(
      () => this.checkHeartbeat(),
      Math.max(10, Math.min(this.heartbeatIntervalMs, Math.floor(this.heartbeatTimeoutMs / 4))),
    );
  }

  private checkHeartbeat(): void {
    if (this.worker === undefined) return;
    const silentFor = Date.now() - this.lastLifeAt;
    if (this.state === 'starting') {
      if (silentFor > this.startTimeoutMs) this.restart(`the worker did not get ready within ${this.startTimeoutMs} ms`);
    } else if (silentFor > this.heartbeatTimeoutMs) {
      this.restart(`no heartbeat for ${this.heartbeatTimeoutMs} ms (a handler is blocking the worker)`);
    }
  }

  private onExit(worker: Worker, code: number, error: Error | undefined): void {
    if (this.state === 'disposed') return;
    if (worker === this.worker) {
      const reason = error !== undefined ? `worker crashed: ${error.message}` : `worker exited with code ${code}`;
      if (error !== undefined) this.fail(error);
      this.worker = undefined;
      this.scheduleRestart(reason);
    } else if (this.state === 'restarting' && this.restartTimer === undefined && this.alive.size === 0) {
      // A terminated thread finished exiting after the backoff elapsed.
      this.spawn();
    }
  }

  /** Terminates the current worker (unresponsive or fatal) and schedules a new one. */
  private restart(reason: string): void {
    const old = this.worker;
    this.worker = undefined;
    if (old !== undefined) {
      old.terminate().catch(() => undefined); // its exit is awaited through `alive`
    }
    this.scheduleRestart(reason);
  }

  private scheduleRestart(reason: string): void {
    if (this.state === 'disposed') return;
    this.state = 'restarting';
    if (Date.now() - this.workerStartedAt >= this.backoff.minUptimeMs) this.restartAttempt = 0;
    const delayMs = restartDelay(this.restartAttempt++, this.backoff, this.random);
    this.workerRestarts++;
    this.lastRestartReason = reason;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // Keep to one thread at a time: if the old one is still exiting, its exit handler spawns.
      if (this.state === 'restarting' && this.alive.size === 0) this.spawn();
    }, delayMs);
    this.emitSafely('restart', { reason, restarts: this.workerRestarts, delayMs });
  }

  private restoreState(): WorkerRestoreState {
    const bars: Bar[] = [];
    for (const list of this.barMap.values()) if (list.length > 0) bars.push(list[list.length - 1]);
    return {
      quotes: [...this.quoteMap.values()],
      bars,
      books: [...this.bookMap.values()],
      disarmedAlerts: [...this.disarmedAlerts],
      counters: { ...this.counters },
    };
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    this.watchdog = this.restartTimer = undefined;
    const worker = this.worker;
    if (worker !== undefined && this.state === 'ready') {
      // Hand over what is queued so it is not lost, then let the worker finish on its own: it posts
      // its last snapshot, waits briefly for async handlers and closes its port.
      const rest = this.queue.clear();
      if (rest.length > 0) this.send(rest, false);
      this.post({ type: 'stop' });
      this.state = 'disposed';
      const stopTimer = setTimeout(() => void worker.terminate().catch(() => undefined), this.stopTimeoutMs);
      await this.alive.get(worker);
      clearTimeout(stopTimer);
    }
    this.state = 'disposed';
    for (const w of this.alive.keys()) w.terminate().catch(() => undefined);
    await Promise.all(this.alive.values());
    this.worker = undefined;
    for (const frame of this.queue.clear()) this.dropped += frame.count;
    this.batches = [];
    this.inFlightFrames = 0;
  }

  // -------------------------------------------------------------------------------------------------
  // messages

  private post(message: HostToWorker): boolean {
    const worker = this.worker;
    if (worker === undefined) return false;
    // Control messages may go before ready (the worker's queue keeps them behind init); frames wait for
    // ready, so the replay buffer holds only what a worker that got going was given.
    if (message.type === 'frames' && this.state !== 'ready') return false;
    try {
      worker.postMessage(message);
      return true;
    } catch (error) {
      this.fail(toError(error, 'postMessage to the worker failed'));
      return false;
    }
  }

  private send(frames: DataFrame[], replay: boolean): void {
    const batch: Batch = { id: ++this.nextBatchId, frames };
    this.batches.push(batch);
    this.inFlightFrames += frames.length;
    if (!this.post({ type: 'frames', batchId: batch.id, frames, ...(replay ? { replay } : {}) })) {
      // Not deliverable now (no ready worker, or a clone failure): the batch stays in the replay buffer
      // and goes out with the next worker's replay.
    }
  }

  /** Posts queued frames while the window has room. */
  private drain(): void {
    while (this.state === 'ready' && this.queue.length > 0 && this.inFlightFrames < this.maxInFlightFrames) {
      const room = Math.min(this.maxInFlightFrames - this.inFlightFrames, this.maxBatchFrames);
      this.send(this.queue.take(room), false);
    }
  }

  private onMessage(worker: Worker, raw: unknown): void {
    if (worker !== this.worker) return; // a terminated worker's late words
    this.lastLifeAt = Date.now();
    const message = parseWorkerMessage(raw);
    if (message === undefined) {
      this.invalidMessages++;
      return;
    }
    switch (message.type) {
      case 'ready':
        this.onReady();
        return;
      case 'snapshot':
        this.onSnapshot(message);
        return;
      case 'ack':
        this.counters = message.counters;
        if (message.disarmedAlerts !== undefined) this.disarmedAlerts = message.disarmedAlerts;
        this.acknowledge(message.ackBatchId);
        return;
      case 'heartbeat':
        return;
      case 'handlerError':
        this.emitSafely('handlerError', { message: message.message, handler: message.handler });
        return;
      case 'fatal':
        this.fail(new Error(`worker fatal: ${message.message}`));
        this.restart(`worker fatal: ${message.message}`);
        return;
      default: {
        const unreachable: never = message;
        void unreachable;
      }
    }
  }

  private onReady(): void {
    if (this.state !== 'starting') return;
    this.state = 'ready';
    // Batches the previous worker never acknowledged: their effect is not in the restored state.
    for (const batch of this.batches) {
      this.replayedFrames += batch.frames.length;
      this.post({ type: 'frames', batchId: batch.id, frames: batch.frames, replay: true });
    }
    this.drain();
    this.emitSafely('ready');
  }

  private onSnapshot(message: SnapshotMessage): void {
    const snapshot = message.snapshot;
    this.snapshots++;
    snapshot.seq = this.snapshots; // monotonic across worker restarts
    for (const q of snapshot.quotes) this.quoteMap.set(q.symbol, q);
    for (const b of snapshot.books) this.bookMap.set(b.symbol, b);
    for (const bar of snapshot.bars) this.mergeBar(bar);
    this.counters = snapshot.counters;
    if (message.disarmedAlerts !== undefined) this.disarmedAlerts = message.disarmedAlerts;
    this.acknowledge(message.ackBatchId);
    this.emitSafely('snapshot', snapshot);
    for (const alert of snapshot.alerts) this.emitSafely('alert', alert);
  }

  private mergeBar(bar: Bar): void {
    let list = this.barMap.get(bar.symbol);
    if (list === undefined) this.barMap.set(bar.symbol, (list = []));
    const last = list[list.length - 1];
    if (last !== undefined && last.time === bar.time) list[list.length - 1] = bar;
    else if (last === undefined || bar.time > last.time) {
      list.push(bar);
      if (list.length > this.maxBarsPerSymbol) list.shift();
    }
  }

  /** Releases every batch up to `batchId` from the replay buffer and refills the window. */
  private acknowledge(batchId: number): void {
    let n = 0;
    while (n < this.batches.length && this.batches[n].id <= batchId) {
      this.inFlightFrames -= this.batches[n].frames.length;
      n++;
    }
    if (n > 0) this.batches.splice(0, n);
    this.drain();
  }

  // -------------------------------------------------------------------------------------------------
  // events

  /**
   * Calls each listener on its own: one listener's exception is counted and neither reaches the
   * worker's message loop nor keeps the other listeners from hearing the event.
   */
  private emitSafely<K extends keyof WorkerHostEvents>(event: K, ...args: WorkerHostEvents[K]): void {
    // rawListeners keeps the `once` wrappers, so calling them also removes them.
    for (const listener of this.rawListeners(event) as ((...a: WorkerHostEvents[K]) => void)[]) {
      try {
        listener.apply(this, args);
      } catch {
        this.listenerErrors++;
      }
    }
  }

  private fail(error: Error): void {
    if (this.listenerCount('error') > 0) this.emitSafely('error', error);
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function toError(value: unknown, fallback: string): Error {
  return value instanceof Error ? value : new Error(value === undefined ? fallback : String(value));
}
