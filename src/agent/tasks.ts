/**
 * TaskTracker: the one owner of everything asynchronous the agent starts (connect attempts, backoff
 * waits, ack timeouts, the stall watchdog, batch flushes).
 *
 * Why: a fire-and-forget promise or timer that nobody holds can outlive its owner, keep the process
 * alive, or fire into a disposed object. Every task here is held by a strong reference (a Set) until it
 * settles, shares one AbortSignal, and `cancelAll()` aborts that signal and awaits every task, so after
 * it returns nothing the tracker started is still running.
 */
import { Disposable, toDisposable } from '../common/lifecycle';

/** A handle on a tracked timer. */
export interface TimerHandle {
  /** Stops the timer if it has not fired; the tracked task settles at once. Idempotent. */
  cancel(): void;
}

/** The error a tracked wait rejects with when its signal aborts. */
export class AbortError extends Error {
  /** Always 'ABORTED'. */
  readonly code = 'ABORTED';
  constructor(message = 'The operation was aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

const noop = (): void => undefined;

interface TimerEntry extends TimerHandle {
  stop: () => void;
}

/** Tracks promises and timers; see the module comment. */
export class TaskTracker extends Disposable {
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly timers = new Set<TimerEntry>();
  private controller = new AbortController();

  /**
   * @param onError receives the exception of a tracked timer/soon callback (which has nowhere else to
   *   go); the task itself still settles normally.
   */
  constructor(private readonly onError: (error: unknown) => void = noop) {
    super();
    // Disposing aborts every task and clears every timer, like `abort()`; await `cancelAll()` first to wait for the tasks.
    this._register(toDisposable(() => this.abort(new AbortError())));
  }

  /** Number of tasks and timers not yet settled (0 after `cancelAll()` resolves: the leak check). */
  get size(): number {
    return this.tasks.size + this.timers.size;
  }

  /** The shared signal; aborted by `abort()` / `cancelAll()`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Holds `promise` until it settles. Returns the same promise, so the caller still sees its result or
   * rejection; the tracker's own reference never produces an unhandled rejection.
   */
  track<T>(promise: Promise<T>): Promise<T> {
    this.tasks.add(promise);
    const release = (): void => {
      this.tasks.delete(promise);
    };
    promise.then(release, release);
    return promise;
  }

  /** Starts `fn` with the shared signal and tracks the promise it returns. */
  run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.signal;
    let promise: Promise<T>;
    try {
      promise = fn(signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    return this.track(promise);
  }

  /**
   * A tracked wait: resolves after `ms`, rejects with {@link AbortError} as soon as the shared signal
   * (or `signal`, when given) aborts. The timer is cleared either way.
   */
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    const shared = this.signal;
    const promise = new Promise<void>((resolve, reject) => {
      if (shared.aborted || signal?.aborted === true) {
        reject(new AbortError());
        return;
      }
      const onAbort = (): void => {
        clearTimeout(handle);
        cleanup();
        reject(new AbortError());
      };
      const cleanup = (): void => {
        shared.removeEventListener('abort', onAbort);
        signal?.removeEventListener('abort', onAbort);
      };
      const handle = setTimeout(
        () => {
          cleanup();
          resolve();
        },
        Math.max(0, ms),
      );
      shared.addEventListener('abort', onAbort, { once: true });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.track(promise);
  }

  /**
   * A tracked `setTimeout(fn, ms)`. It counts in `size` until `fn` has run, the handle is cancelled, or
   * the tracker aborts (then `fn` never runs). An exception in `fn` goes to `onError`.
   */
  timer(ms: number, fn: () => void): TimerHandle {
    return this.schedule(fn, (run) => {
      const handle = setTimeout(run, Math.max(0, ms));
      return () => clearTimeout(handle);
    });
  }

  /**
   * A tracked `setImmediate(fn)`: runs `fn` once the current event-loop turn's I/O callbacks are done
   * (used to hand one batch per turn to the sink). Same settlement rules as {@link timer}.
   */
  soon(fn: () => void): TimerHandle {
    return this.schedule(fn, (run) => {
      const handle = setImmediate(run);
      return () => clearImmediate(handle);
    });
  }

  /** Aborts the shared signal and clears every timer, without waiting (for use from inside a tracked task). */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
    this.clearTimers();
  }

  /**
   * Arms a fresh signal if the current one was aborted (by `abort()`), so new tasks can start while the
   * old generation is still unwinding (those keep their aborted signal and stay tracked).
   */
  renew(): void {
    if (this.controller.signal.aborted) this.controller = new AbortController();
  }

  /**
   * Aborts the shared signal, awaits every tracked task (settled either way), then arms a fresh signal
   * so the tracker can be used again. Tasks started while it runs see the aborted signal.
   */
  async cancelAll(reason?: unknown): Promise<void> {
    this.abort(reason);
    // A task may start another one while unwinding; loop until the set is really empty.
    while (this.tasks.size > 0) {
      await Promise.allSettled([...this.tasks]);
    }
    if (this.controller.signal.aborted) {
      this.controller = new AbortController();
    }
  }

  private schedule(fn: () => void, start: (run: () => void) => () => void): TimerHandle {
    if (this.signal.aborted) return { cancel: noop };
    // Timers are held as plain entries, not promises: a flush is scheduled once per event-loop turn at
    // full load, and a promise plus an abort listener per turn showed up in the profile.
    const entry: TimerEntry = {
      stop: noop,
      cancel: () => {
        if (this.timers.delete(entry)) entry.stop();
      },
    };
    entry.stop = start(() => {
      if (!this.timers.delete(entry)) return;
      try {
        fn();
      } catch (error) {
        this.onError(error);
      }
    });
    this.timers.add(entry);
    return entry;
  }

  private clearTimers(): void {
    for (const entry of this.timers) entry.stop();
    this.timers.clear();
  }
}
