/**
 * The worker supervisor: the life of the handler thread, piscina-style. It starts the thread, sends
 * `init`, waits for `ready`, watches the heartbeat (no sign of life for `heartbeatTimeoutMs`: a handler is
 * blocking the worker's event loop → terminate and restart), and restarts a crashed or exited worker with
 * backoff, one thread at a time. It knows nothing of frames or market state: the host gives it the init
 * message to send and takes every message of the current worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { HostToWorker, InitMessage } from '../shared/workerProtocol';
import { restartDelay, type RestartBackoff } from './restartPolicy';

/** Where the supervisor is in a worker's life. */
export type HostState = 'idle' | 'starting' | 'ready' | 'restarting' | 'disposed';

/** Why a worker restarted. */
export interface RestartEvent {
  reason: string;
  /** Restarts so far (the same number as `stats().workerRestarts`). */
  restarts: number;
  /** Delay before the new worker starts (ms). */
  delayMs: number;
}

/** The supervisor's settings (defaulted by the host) and its outlets. */
export interface SupervisorOptions {
  script: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  startTimeoutMs: number;
  backoff: Required<RestartBackoff>;
  stopTimeoutMs: number;
  random: () => number;
  /** The `init` message of a new worker (`restarts` > 0: a restart, so the host adds its restore state). */
  init: (restarts: number) => InitMessage;
  /** A message of the current worker (any sign of life; not yet validated). */
  onMessage: (raw: unknown) => void;
  onRestart: (event: RestartEvent) => void;
  /** Worker crashes and internal failures. */
  onError: (error: Error) => void;
}

/** Resolves the default worker script (see `WorkerHostOptions.workerScript`). */
export function defaultWorkerScript(dir: string = __dirname): string {
  const bundled = path.join(dir, 'worker.js');
  return fs.existsSync(bundled) ? bundled : path.join(dir, 'entry.js');
}

/** Starts, watches and restarts the worker thread; see the module comment. */
export class WorkerSupervisor extends Disposable {
  private stateValue: HostState = 'idle';
  private worker: Worker | undefined;
  /** Every thread not yet exited (the current one and any being terminated). */
  private readonly alive = new Map<Worker, Promise<void>>();
  private workerStartedAt = 0;
  private lastLifeAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private workerRestartCount = 0;
  private lastReason: string | undefined;
  private invalidMessageCount = 0;

  constructor(private readonly o: SupervisorOptions) {
    super();
    this._register(toDisposable(() => this.clearTimers()));
  }

  /** Where the worker's life is. */
  get state(): HostState {
    return this.stateValue;
  }

  /** The running worker thread (undefined before the start, while restarting and after dispose). */
  get current(): Worker | undefined {
    return this.worker;
  }

  /** Restarts so far. */
  get workerRestarts(): number {
    return this.workerRestartCount;
  }

  /** Why the worker last restarted. */
  get lastRestartReason(): string | undefined {
    return this.lastReason;
  }

  /** Messages of the worker that could not be deserialized or failed validation. */
  get invalidMessages(): number {
    return this.invalidMessageCount;
  }

  /** Counts a message of the current worker that failed validation. */
  countInvalid(): void {
    this.invalidMessageCount++;
  }

  /** Starts the first worker thread. */
  spawn(): void {
    this.stateValue = 'starting';
    let worker: Worker;
    try {
      worker = new Worker(this.o.script);
    } catch (error) {
      this.o.onError(toError(error, 'cannot start the worker'));
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
    worker.on('message', (message: unknown) => {
      if (worker !== this.worker) return; // a terminated worker's late words
      this.lastLifeAt = Date.now();
      this.o.onMessage(message);
    });
    worker.on('error', (error: Error) => {
      exitError = error;
    });
    worker.on('messageerror', () => {
      if (worker === this.worker) this.invalidMessageCount++;
    });
    this.post(this.o.init(this.workerRestartCount));
    this.watchdog ??= setInterval(
      () => this.checkHeartbeat(),
      Math.max(10, Math.min(this.o.heartbeatIntervalMs, Math.floor(this.o.heartbeatTimeoutMs / 4))),
    );
  }

  /** The worker said `ready`. False when it was not expected (a duplicate). */
  onReady(): boolean {
    if (this.stateValue !== 'starting') return false;
    this.stateValue = 'ready';
    return true;
  }

  /**
   * Posts a message to the current worker. Control messages may go before ready (the worker's queue
   * keeps them behind init); frames wait for ready, so the replay buffer holds only what a worker that
   * got going was given. False when nothing was posted.
   */
  post(message: HostToWorker): boolean {
    const worker = this.worker;
    if (worker === undefined) return false;
    if (message.type === 'frames' && this.stateValue !== 'ready') return false;
    try {
      worker.postMessage(message);
      return true;
    } catch (error) {
      this.o.onError(toError(error, 'postMessage to the worker failed'));
      return false;
    }
  }

  /** Terminates the current worker (unresponsive or fatal) and schedules a new one. */
  restart(reason: string): void {
    const old = this.worker;
    this.worker = undefined;
    if (old !== undefined) {
      old.terminate().catch(() => undefined); // its exit is awaited through `alive`
    }
    this.scheduleRestart(reason);
  }

  /**
   * Stops the worker: `beforeStop` runs while a ready worker can still take messages (the host hands
   * over its queue), then the worker is asked to stop (it posts its last snapshot and waits briefly for
   * pending async handlers), terminated after `stopTimeoutMs` if it does not, and awaited until every
   * thread has exited.
   */
  async stop(beforeStop: () => void): Promise<void> {
    this.clearTimers();
    const worker = this.worker;
    if (worker !== undefined && this.stateValue === 'ready') {
      beforeStop();
      this.post({ type: 'stop' });
      this.stateValue = 'disposed';
      const stopTimer = setTimeout(() => void worker.terminate().catch(() => undefined), this.o.stopTimeoutMs);
      await this.alive.get(worker);
      clearTimeout(stopTimer);
    }
    this.stateValue = 'disposed';
    for (const w of this.alive.keys()) w.terminate().catch(() => undefined);
    await Promise.all(this.alive.values());
    this.worker = undefined;
  }

  private clearTimers(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    this.watchdog = this.restartTimer = undefined;
  }

  private checkHeartbeat(): void {
    if (this.worker === undefined) return;
    const silentFor = Date.now() - this.lastLifeAt;
    if (this.stateValue === 'starting') {
      if (silentFor > this.o.startTimeoutMs)
        this.restart(`the worker did not get ready within ${this.o.startTimeoutMs} ms`);
    } else if (silentFor > this.o.heartbeatTimeoutMs) {
      this.restart(`no heartbeat for ${this.o.heartbeatTimeoutMs} ms (a handler is blocking the worker)`);
    }
  }

  private onExit(worker: Worker, code: number, error: Error | undefined): void {
    if (this.stateValue === 'disposed') return;
    if (worker === this.worker) {
      const reason = error !== undefined ? `worker crashed: ${error.message}` : `worker exited with code ${code}`;
      if (error !== undefined) this.o.onError(error);
      this.worker = undefined;
      this.scheduleRestart(reason);
    } else if (this.stateValue === 'restarting' && this.restartTimer === undefined && this.alive.size === 0) {
      // A terminated thread finished exiting after the backoff elapsed.
      this.spawn();
    }
  }

  private scheduleRestart(reason: string): void {
    if (this.stateValue === 'disposed') return;
    this.stateValue = 'restarting';
    if (Date.now() - this.workerStartedAt >= this.o.backoff.minUptimeMs) this.restartAttempt = 0;
    const delayMs = restartDelay(this.restartAttempt++, this.o.backoff, this.o.random);
    this.workerRestartCount++;
    this.lastReason = reason;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // Keep to one thread at a time: if the old one is still exiting, its exit handler spawns.
      if (this.stateValue === 'restarting' && this.alive.size === 0) this.spawn();
    }, delayMs);
    this.o.onRestart({ reason, restarts: this.workerRestartCount, delayMs });
  }
}

/** `value` as an Error (a thrown non-Error gets wrapped). */
export function toError(value: unknown, fallback: string): Error {
  return value instanceof Error ? value : new Error(value === undefined ? fallback : String(value));
}
