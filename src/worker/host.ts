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
 *
 * Parts: `WorkerSupervisor` (supervisor.ts) starts, watches and restarts the thread;
 * `FlowControl` (flowControl.ts) holds the batch ids, the window, the queue and the replay buffer;
 * `MergedMarketState` (hostState.ts) is the merged market state. `WorkerHost` wires them and keeps the
 * public API and the events.
 */
import type { Worker } from 'node:worker_threads';
import { EventSource } from '../common/lifecycle';
import type { DataFrame } from '../kis/types';
import type {
  AlertEvent,
  AlertRule,
  AlertRuleState,
  Bar,
  OrderBookTop,
  QuoteState,
  Snapshot,
} from '../shared/snapshot';
import type { AlertQuietOptions } from '../market/alertRules';
import type { HandlerStat, WorkerHostStats } from '../shared/stats';
import {
  parseWorkerMessage,
  type AckMessage,
  type FeedClockAnchor,
  type SnapshotMessage,
} from '../shared/workerProtocol';
import type { RawBatch, ReceiveCounters } from '../shared/rawBatch';
import type { RawRecordSink } from '../shared/recordSink';
import { FlowControl } from './flowControl';
import { MergedMarketState } from './hostState';
import { RESTART_BACKOFF_DEFAULTS, type RestartBackoff } from './restartPolicy';
import { SnapshotPacer } from './snapshotPacer';
import { defaultWorkerScript, WorkerSupervisor, type RestartEvent } from './supervisor';

export type { RecordSink } from '../shared/recordSink';
export { defaultWorkerScript, type RestartEvent } from './supervisor';

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
  /**
   * Bytes of raw batches (the agent's receive loop hands data frames over as bytes) posted and
   * not yet acknowledged, at most. The worker acknowledges as soon as it has processed half of this, so
   * the window refills at the worker's speed, not the snapshot cadence. Default 16 MiB (about 55,000
   * one-record trade frames; the replay buffer).
   */
  maxInFlightBytes?: number;
  /** Bytes of raw batches waiting beyond the window, at most; a batch beyond it is dropped and its records counted. Default 64 MiB. */
  maxQueuedBytes?: number;
  /** Frames per `postMessage` when draining the queue. Default 1024. */
  maxBatchFrames?: number;
  /** Order-book levels kept per side, 1..10. Default 10. */
  bookDepth?: number;
  /** Bars kept per symbol by the host for `bars()`. Default 600 (a full KRX session is 390 minutes + auctions). */
  maxBarsPerSymbol?: number;
  /** Absolute paths of CommonJS user handler modules. */
  userHandlers?: readonly string[];
  alerts?: readonly AlertRule[];
  /** Alerts fire only in trading phases (the feed sets it for KIS; default false: a source that streams at any hour). */
  alertSessionGate?: boolean;
  /** The re-arm band and cooldown of the alerts (default: src/market/alertRules.ts ALERT_QUIET_DEFAULTS). */
  alertQuiet?: AlertQuietOptions;
  /** What the alert rules remembered in an earlier host (a reconnect): the first worker starts from it. */
  alertStates?: readonly AlertRuleState[];
  restartBackoff?: RestartBackoff;
  /** `dispose()` lets the worker stop on its own this long before terminating it (ms). Default 1000. */
  stopTimeoutMs?: number;
  /** Random source of the backoff jitter (tests). */
  random?: () => number;
  /** The feed's clock, read at each worker start (a simulated day, a replay); absent: the machine's. */
  feedClock?: () => FeedClockAnchor;
}

/** A user handler error as reported by the worker (rate-limited there; the counter is exact). */
export interface HandlerErrorEvent {
  message: string;
  handler: string;
  /** The error's stack, with the handler's source positions. */
  stack?: string;
}

/** The host's events and their arguments. */
export interface WorkerHostEvents {
  snapshot: [Snapshot];
  alert: [AlertEvent];
  /** What the fired alert rules remember changed (armed, when they fired): every fired rule's state. */
  alertStates: [AlertRuleState[]];
  restart: [RestartEvent];
  handlerError: [HandlerErrorEvent];
  /** Each user handler's counters (about once a heartbeat, and after `setHandlers`). */
  handlerStats: [HandlerStat[]];
  /** A worker is initialised and receiving frames. */
  ready: [];
  /** Worker crashes and internal failures. Emitted only when someone listens (never an unhandled 'error'). */
  error: [Error];
}

/** Runs the record handlers on a worker thread; see the module comment. */
export class WorkerHost extends EventSource<WorkerHostEvents> implements RawRecordSink {
  private userHandlers: string[];
  private handlerStats: HandlerStat[] = [];
  private alertRules: AlertRule[];
  private readonly alertSessionGate: boolean;
  private alertQuiet: AlertQuietOptions | undefined;
  private readonly supervisor: WorkerSupervisor;
  private readonly flow: FlowControl;
  private readonly market: MergedMarketState;
  private readonly pacer: SnapshotPacer;
  private disposing: Promise<void> | undefined;
  private listenerErrors = 0;

  constructor(options: WorkerHostOptions = {}) {
    super();
    const snapshotIntervalMs = positive(options.snapshotIntervalMs, 100);
    const heartbeatIntervalMs = positive(options.heartbeatIntervalMs, 1000);
    const heartbeatTimeoutMs = positive(options.heartbeatTimeoutMs, 5000);
    const bookDepth = Math.min(10, positive(options.bookDepth, 10));
    this.userHandlers = [...(options.userHandlers ?? [])];
    this.alertRules = [...(options.alerts ?? [])];
    this.alertSessionGate = options.alertSessionGate === true;
    this.alertQuiet = options.alertQuiet;
    this.market = new MergedMarketState(positive(options.maxBarsPerSymbol, 600));
    this.market.alertStates = [...(options.alertStates ?? [])];
    this.pacer = new SnapshotPacer(snapshotIntervalMs, (snapshot) => {
      this.emitSafely('snapshot', snapshot);
      for (const alert of snapshot.alerts) this.emitSafely('alert', alert);
    });
    const maxInFlightBytes = positive(options.maxInFlightBytes, 16 * 1024 * 1024);
    this.supervisor = new WorkerSupervisor({
      script: options.workerScript ?? defaultWorkerScript(),
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
      startTimeoutMs: positive(options.startTimeoutMs, Math.max(10_000, heartbeatTimeoutMs)),
      backoff: { ...RESTART_BACKOFF_DEFAULTS, ...options.restartBackoff },
      stopTimeoutMs: positive(options.stopTimeoutMs, 1000),
      random: options.random ?? Math.random,
      init: (restarts) => ({
        type: 'init',
        snapshotIntervalMs,
        heartbeatIntervalMs,
        bookDepth,
        userHandlers: [...this.userHandlers],
        alerts: this.alertRules,
        sessionGate: this.alertSessionGate,
        ...(this.alertQuiet !== undefined ? { alertQuiet: this.alertQuiet } : {}),
        alertStates: [...this.market.alertStates],
        ackEveryBytes: Math.floor(maxInFlightBytes / 2),
        ...(restarts > 0 ? { restore: this.market.restoreState() } : {}),
        ...(options.feedClock !== undefined ? { feedClock: options.feedClock() } : {}),
      }),
      onMessage: (raw) => this.onMessage(raw),
      onRestart: (event) => this.emitSafely('restart', event),
      onError: (error) => this.fail(error),
    });
    this.flow = new FlowControl({
      maxInFlightFrames: positive(options.maxInFlightFrames, 65_536),
      maxQueuedFrames: positive(options.maxQueuedFrames, 65_536),
      maxBatchFrames: positive(options.maxBatchFrames, 1024),
      maxInFlightBytes,
      maxQueuedBytes: positive(options.maxQueuedBytes, 64 * 1024 * 1024),
      isReady: () => this.supervisor.state === 'ready',
      post: (message) => this.supervisor.post(message),
    });
  }

  /** The running worker thread (undefined before the start, while restarting and after dispose). */
  get currentWorker(): Worker | undefined {
    return this.supervisor.current;
  }

  /** Starts the worker thread now instead of on the first `push()`. Idempotent. */
  start(): void {
    if (this.supervisor.state === 'idle') this.supervisor.spawn();
  }

  /**
   * Takes a batch of frames from the agent. Never blocks and never throws: the batch is posted to the
   * worker (one `postMessage`) or queued. After `dispose()` the frames' records count as dropped.
   */
  push(frames: readonly DataFrame[]): void {
    if (frames.length === 0) return;
    if (this.supervisor.state === 'disposed') {
      this.flow.drop(frames);
      return;
    }
    if (this.supervisor.state === 'idle') this.supervisor.spawn();
    this.flow.push(frames);
  }

  /**
   * Takes a raw batch from the agent (data frames as bytes). Never blocks and never throws:
   * posted to the worker (the shared buffer is not copied) or queued; after `dispose()` its records count
   * as dropped.
   */
  pushRaw(batch: RawBatch): void {
    if (batch.frames === 0) return;
    if (this.supervisor.state === 'disposed') {
      this.flow.dropRaw(batch);
      return;
    }
    if (this.supervisor.state === 'idle') this.supervisor.spawn();
    this.flow.pushRaw(batch);
  }

  /** What the worker counted in the raw frames it decoded, as of its last snapshot or ack (merged into the agent's stats). */
  receiveCounters(): ReceiveCounters {
    return this.market.receiveCounters();
  }

  /** Replaces the alert rules (in the running worker and in every future one). */
  setAlerts(rules: readonly AlertRule[]): void {
    this.alertRules = [...rules];
    this.supervisor.post({ type: 'setAlerts', alerts: this.alertRules });
  }

  /** Sets the alerts' re-arm band and cooldown (in the running worker and in every future one). */
  setAlertQuiet(options: AlertQuietOptions): void {
    this.alertQuiet = { ...options };
    this.supervisor.post({ type: 'setAlerts', alerts: this.alertRules, alertQuiet: this.alertQuiet });
  }

  /** What the fired alert rules remember, as last reported by the worker. */
  alertStates(): AlertRuleState[] {
    return [...this.market.alertStates];
  }

  /** Adds a user handler module (absolute path) to the running worker and every future one. */
  addHandler(modulePath: string): void {
    this.userHandlers.push(modulePath);
    this.supervisor.post({ type: 'addHandler', modulePath });
  }

  /**
   * Makes the user handlers exactly `modulePaths` (absolute), in the running worker — which reloads each
   * file between two batches, so the stream has no gap — and in every future one.
   */
  setHandlers(modulePaths: readonly string[]): void {
    this.userHandlers = [...modulePaths];
    this.handlerStats = this.handlerStats.filter((h) => this.userHandlers.includes(h.path));
    this.supervisor.post({ type: 'setHandlers', modulePaths: [...this.userHandlers] });
  }

  /** The merged current state of one symbol (undefined when nothing is known). */
  latest(symbol: string): QuoteState | undefined {
    return this.market.latest(symbol);
  }

  /** The merged current state of every symbol seen. */
  quotes(): QuoteState[] {
    return this.market.quotes();
  }

  /** The most recent one-minute bars of a symbol, oldest first (at most `maxBarsPerSymbol`). */
  bars(symbol: string): Bar[] {
    return this.market.bars(symbol);
  }

  /** The latest order-book top of a symbol. */
  book(symbol: string): OrderBookTop | undefined {
    return this.market.book(symbol);
  }

  /** Counters of the host and (as of the last snapshot) of the worker. */
  stats(): WorkerHostStats {
    const counters = this.market.counters;
    const lastRestartReason = this.supervisor.lastRestartReason;
    return {
      running: this.supervisor.current !== undefined,
      workerRestarts: this.supervisor.workerRestarts,
      records: counters.records,
      handlerErrors: counters.handlerErrors,
      parseErrors: counters.parseErrors,
      dayRecordErrors: counters.dayRecordErrors ?? 0,
      dropped: this.flow.dropped,
      coalesced: this.flow.coalesced,
      queued: this.flow.queued,
      snapshots: this.market.snapshots,
      inFlight: this.flow.inFlight,
      inFlightBytes: this.flow.inFlightBytes,
      replayedFrames: this.flow.replayedFrames,
      invalidMessages: this.supervisor.invalidMessages,
      listenerErrors: this.listenerErrors,
      ...(lastRestartReason !== undefined ? { lastRestartReason } : {}),
      ...(this.handlerStats.length > 0 ? { handlers: this.handlerStats } : {}),
    };
  }

  /**
   * Stops everything: timers cleared, the worker asked to stop (it posts its last snapshot and waits
   * briefly for pending async handlers), terminated after `stopTimeoutMs` if it does not, awaited until
   * its thread has exited, then the listeners removed. Frames never posted count as dropped. Idempotent.
   */
  override dispose(): Promise<void> {
    this.disposing ??= this.shutdown();
    return this.disposing;
  }

  // -------------------------------------------------------------------------------------------------
  // worker life cycle

  private async shutdown(): Promise<void> {
    // Hand over what is queued so it is not lost, then let the worker finish on its own.
    await this.supervisor.stop(() => this.flow.flushQueue());
    this.pacer.flush();
    this.pacer.dispose();
    this.supervisor.dispose();
    this.flow.close();
    super.dispose(); // last: the final snapshot above still reaches the listeners this removes
  }

  // -------------------------------------------------------------------------------------------------
  // messages

  private onMessage(raw: unknown): void {
    const message = parseWorkerMessage(raw);
    if (message === undefined) {
      this.supervisor.countInvalid();
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
        this.onAck(message);
        return;
      case 'heartbeat':
        return;
      case 'handlerError':
        this.emitSafely('handlerError', {
          message: message.message,
          handler: message.handler,
          ...(message.stack !== undefined ? { stack: message.stack } : {}),
        });
        return;
      case 'handlerStats':
        this.handlerStats = message.handlers;
        this.emitSafely('handlerStats', message.handlers);
        return;
      case 'fatal':
        this.fail(new Error(`worker fatal: ${message.message}`));
        this.supervisor.restart(`worker fatal: ${message.message}`);
        return;
      default: {
        const unreachable: never = message;
        void unreachable;
      }
    }
  }

  private onReady(): void {
    if (!this.supervisor.onReady()) return;
    this.flow.replay();
    this.emitSafely('ready');
  }

  private onSnapshot(message: SnapshotMessage): void {
    const snapshot = message.snapshot;
    this.market.merge(snapshot, message.alertStates);
    if (message.alertStates !== undefined) this.emitSafely('alertStates', message.alertStates);
    if (message.received !== undefined) this.market.received = message.received;
    this.flow.acknowledge(message.ackBatchId);
    this.pacer.offer(snapshot);
  }

  private onAck(message: AckMessage): void {
    this.market.counters = message.counters;
    if (message.alertStates !== undefined) {
      this.market.alertStates = message.alertStates;
      this.emitSafely('alertStates', message.alertStates);
    }
    if (message.received !== undefined) this.market.received = message.received;
    this.flow.acknowledge(message.ackBatchId);
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
