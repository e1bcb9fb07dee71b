/**
 * Ownership of long-lived resources. Everything that must be released (listeners, timers, child
 * objects) is registered with its owner, and disposing the owner releases all of it in reverse order.
 * Structurally compatible with `vscode.Disposable`, so VS Code objects can be registered directly.
 */

/** Anything with a synchronous `dispose()`. */
export interface IDisposable {
  dispose(): void;
}

/** Wraps a callback as a disposable that runs at most once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose(): void {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Disposes every item, newest first, and keeps going when one throws: a failing child must not
 * leave its siblings alive. The first error is rethrown after the rest are released.
 */
export function disposeAll(items: IDisposable[]): void {
  let firstError: unknown;
  for (let i = items.length - 1; i >= 0; i--) {
    try {
      items[i].dispose();
    } catch (error) {
      firstError ??= error;
    }
  }
  items.length = 0;
  if (firstError !== undefined) throw firstError;
}

/** Base class for owners: `_register()` what you create, `dispose()` releases it all once. */
export abstract class Disposable implements IDisposable {
  private readonly _toDispose: IDisposable[] = [];
  private _disposed = false;

  /** True once `dispose()` ran; registering afterwards disposes the item at once. */
  protected get isDisposed(): boolean {
    return this._disposed;
  }

  /** Takes ownership of `item` and returns it, so construction and registration are one expression. */
  protected _register<T extends IDisposable>(item: T): T {
    if (this._disposed) {
      // Registering on a dead owner would leak the item: release it immediately instead.
      item.dispose();
    } else {
      this._toDispose.push(item);
    }
    return item;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    disposeAll(this._toDispose);
  }
}

/** A minimal typed event, vscode-free (same call shape as `vscode.Event`). */
export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => IDisposable;

/**
 * A typed event source. A listener that throws does not stop the others; its error goes to
 * `onListenerError` (the owner decides whether to log it).
 */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<Listener<T>>();

  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  /** Subscribe; dispose the result to unsubscribe. */
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  /** Calls every listener with `value`. */
  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  /** Number of listeners (for leak checks in tests). */
  get size(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
