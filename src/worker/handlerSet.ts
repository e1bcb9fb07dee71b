/**
 * The worker's user handlers as a set that can be replaced while the stream runs: a saved
 * handler file is reloaded in place, between two batches, so no record is skipped and none is given twice
 * (the worker's loop is synchronous per batch; the swap is one message in the same queue as the frames).
 *
 * Each handler keeps its own counters — calls, errors, and the time of its last `SAMPLE_SIZE` calls for
 * p50/p99 — which survive a reload (same path), so Connection Details shows one continuous line per file.
 *
 * A new version that fails to load (syntax error, no default export, a throw at the top level) does not
 * replace the running one: the old version goes on and the error is reported. A top-level infinite loop
 * blocks the worker, which the host's watchdog restarts exactly as for a handler that blocks on a record.
 */
import { performance } from 'node:perf_hooks';
import type { HandlerStat } from '../shared/stats';
import { errorStack, HandlerLoadError, loadHandler, type LazyRecord, type UserHandler } from './userHandlers';

/** Calls whose duration is kept for the percentiles (a ring: the most recent ones). */
export const SAMPLE_SIZE = 1024;

/** One handler module and its counters. */
export class HandlerEntry {
  calls = 0;
  errors = 0;
  /** Loads of this path that succeeded (1 after the first load). */
  version = 1;
  private readonly samples = new Float64Array(SAMPLE_SIZE);
  private sampled = 0;

  constructor(
    readonly path: string,
    public fn: UserHandler,
  ) {}

  /** Calls the handler with one record, timing it. Throws what the handler throws. */
  invoke(record: LazyRecord): unknown {
    const start = performance.now();
    try {
      return this.fn(record);
    } finally {
      this.samples[this.sampled++ % SAMPLE_SIZE] = performance.now() - start;
      this.calls++;
    }
  }

  /** The counters as plain data (percentiles over the last `SAMPLE_SIZE` calls). */
  stat(): HandlerStat {
    const n = Math.min(this.sampled, SAMPLE_SIZE);
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    return {
      path: this.path,
      version: this.version,
      calls: this.calls,
      errors: this.errors,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  }
}

/** A load that failed: the path and the error (its message and, when there is one, its stack). */
export interface HandlerLoadFailure {
  path: string;
  error: HandlerLoadError;
}

/** The ordered set of user handlers of one worker. */
export class HandlerSet {
  private entries: HandlerEntry[] = [];

  /** The handlers in call order (the array is replaced, never mutated, so a loop over it is safe). */
  get list(): readonly HandlerEntry[] {
    return this.entries;
  }

  /** Adds one handler module. Throws `HandlerLoadError` when it cannot be loaded. */
  add(modulePath: string): void {
    const loaded = loadHandler(modulePath);
    this.entries = [...this.entries, new HandlerEntry(loaded.path, loaded.fn)];
  }

  /**
   * Makes the set exactly `paths`, in that order, loading each one afresh (the module cache entry of
   * each path is dropped first, so an edited file is read again). A path already in the set keeps its
   * counters; when its new version fails to load, its old version stays. A new path that fails is left
   * out. Returns the failures.
   */
  replace(paths: readonly string[]): HandlerLoadFailure[] {
    const failures: HandlerLoadFailure[] = [];
    const next: HandlerEntry[] = [];
    for (const modulePath of paths) {
      const previous = this.entries.find((e) => e.path === modulePath);
      try {
        forget(modulePath);
        const loaded = loadHandler(modulePath);
        if (previous) {
          previous.fn = loaded.fn;
          previous.version++;
          next.push(previous);
        } else {
          next.push(new HandlerEntry(loaded.path, loaded.fn));
        }
      } catch (error) {
        const loadError = error instanceof HandlerLoadError ? error : new HandlerLoadError(modulePath, String(error));
        failures.push({ path: modulePath, error: loadError });
        if (previous) next.push(previous);
      }
    }
    this.entries = next;
    return failures;
  }

  /** Every handler's counters. */
  stats(): HandlerStat[] {
    return this.entries.map((e) => e.stat());
  }
}

/**
 * The handler's own part of an error's stack: the frames above the first one in this file (the call from
 * `invoke`), so the output channel shows the user's positions and not the worker's internals.
 */
export function handlerStack(error: unknown): string | undefined {
  const stack = errorStack(error);
  if (stack === undefined) return undefined;
  const lines = stack.split('\n');
  const cut = lines.findIndex((line) => line.includes(__filename));
  return (cut > 0 ? lines.slice(0, cut) : lines).join('\n');
}

/** Waits until every promise has settled, or `ms` at most. */
export async function settleWithin(pending: ReadonlySet<PromiseLike<void>>, ms: number): Promise<void> {
  if (pending.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.allSettled([...pending]), grace]);
  clearTimeout(timer);
}

/** Drops a module from Node's cache so the next `require` reads the file again. */
function forget(modulePath: string): void {
  try {
    delete require.cache[require.resolve(modulePath)];
  } catch {
    // Not resolvable (the file is gone): the load that follows reports it.
  }
}

/** The q-quantile of sorted samples (nearest rank), 0 when there are none. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Calls every handler with one record. An async handler's promise is held in `pending` until it settles
 * (the runtime waits for them, bounded, when it stops); a throw or a rejection goes to `failed`, and the
 * other handlers still run.
 */
export function invokeHandlers(
  list: readonly HandlerEntry[],
  record: LazyRecord,
  pending: Set<PromiseLike<void>>,
  failed: (handler: HandlerEntry, error: unknown) => void,
): void {
  for (let h = 0; h < list.length; h++) {
    const handler = list[h];
    try {
      const result = handler.invoke(record);
      if (result !== undefined && result !== null && typeof (result as PromiseLike<void>).then === 'function') {
        const promise = result as PromiseLike<void>;
        pending.add(promise);
        promise.then(
          () => pending.delete(promise),
          (error: unknown) => {
            pending.delete(promise);
            failed(handler, error);
          },
        );
      }
    } catch (error) {
      failed(handler, error);
    }
  }
}
