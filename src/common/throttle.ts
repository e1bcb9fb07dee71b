/**
 * Trailing-edge throttle for UI refreshes: the first call runs after at most `intervalMs`, further
 * calls inside the window are merged into that one run. The timer is owned here and cleared by
 * `dispose()`, so nothing fires after the owner is gone.
 */
import { Disposable, toDisposable } from './lifecycle';

/** Timer functions, injectable so tests can drive time without sleeping. */
export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class Throttle extends Disposable {
  private handle: unknown;
  private pending = false;

  /**
   * @param run the work to do (called with no arguments; read the latest state inside it)
   * @param intervalMs the longest a request waits, and the shortest gap between two runs
   * @param onError where an exception from `run` goes (it must not kill the throttle)
   */
  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly timers: TimerApi = realTimers,
  ) {
    super();
    this._register(
      toDisposable(() => {
        if (this.pending) this.timers.clearTimeout(this.handle);
        this.pending = false;
        this.handle = undefined;
      }),
    );
  }

  /** Asks for a run; cheap to call on every event. */
  schedule(): void {
    if (this.isDisposed || this.pending) return;
    this.pending = true;
    this.handle = this.timers.setTimeout(this.fire, this.intervalMs);
  }

  /** Runs now if a run is pending (e.g. when a view becomes visible). */
  flush(): void {
    if (!this.pending) return;
    this.timers.clearTimeout(this.handle);
    this.fire();
  }

  /** True while a run is scheduled. */
  get isPending(): boolean {
    return this.pending;
  }

  private readonly fire = (): void => {
    this.pending = false;
    this.handle = undefined;
    if (this.isDisposed) return;
    try {
      this.run();
    } catch (error) {
      this.onError(error);
    }
  };
}
