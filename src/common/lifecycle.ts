/**
 * Ownership of long-lived resources. Everything that must be released (listeners, timers, child
 * objects) is registered with its owner, and disposing the owner releases all of it in reverse order.
 * Structurally compatible with `vscode.Disposable`, so VS Code objects can be registered directly.
 * Owners that publish events extend `EventSource`, a `Disposable` with Node's EventEmitter call shape.
 */
import { EventEmitter } from 'node:events';

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

/**
 * Event name → the argument tuple of its listeners, node:events' typed form (`{ state: [StateChange] }`).
 * An interface satisfies it as long as every member is a tuple.
 */
export type EventArgs<E> = { [K in keyof E]: unknown[] };

/**
 * The typing of node:events' own typed EventEmitter (its `Key`, `Args`, `Listener1`), repeated so an
 * EventSource stays assignable wherever an EventEmitter is expected (test helpers take one): the name
 * is inferred first, and a listener or arguments for a name not in the map are `never`. Each method
 * also has a plain overload (`K extends keyof E`) first, which code generic in the event name needs.
 */
type Key<K, E> = K | keyof E;
type Args<K, E> = K extends keyof E ? E[K] : never;
type ListenerOf<K, E> = K extends keyof E ? (E[K] extends unknown[] ? (...args: E[K]) => void : never) : never;

/** What the private EventEmitter stores: the typed listeners, erased (its own `(...args: any[]) => void`). */
type AnyListener = Parameters<EventEmitter['on']>[1];
/** An event name as the private EventEmitter takes it. */
type AnyName = Parameters<EventEmitter['on']>[0];

/**
 * A `Disposable` that publishes Node-style events: the call shape of `EventEmitter` (`on`, `once`,
 * `off`/`removeListener`, `emit`, `listenerCount`, `rawListeners`, …), typed by an event map, and
 * usable with `events.once(source, 'name')`. `dispose()` removes every listener (after releasing what
 * was registered), so nothing the source was wired to outlives it.
 *
 * Why delegation rather than `extends EventEmitter`: a class has one base, and ownership (`_register`)
 * must be that base everywhere. Delegating to a private EventEmitter keeps Node's exact semantics:
 * `once` wrappers, listener order, and 'error' emitted with no listener throws (classes that want
 * 'error' to be an ordinary event guard with `listenerCount('error')`, as before). Listeners are called
 * with `this` bound to the private emitter, not the source; none of ours use `this`.
 */
export abstract class EventSource<E extends EventArgs<E>> extends Disposable {
  private readonly _events = new EventEmitter();

  /** Adds `listener` for `event` (called on every emit until removed). */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  on<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  on(event: keyof E, listener: AnyListener): this {
    this._events.on(event as AnyName, listener);
    return this;
  }

  /** Alias of `on`. */
  addListener<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  addListener<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  addListener(event: keyof E, listener: AnyListener): this {
    return this.on(event, listener);
  }

  /** Adds `listener` for the next `event` only. */
  once<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  once<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  once(event: keyof E, listener: AnyListener): this {
    this._events.once(event as AnyName, listener);
    return this;
  }

  /** Adds `listener` before the others. */
  prependListener<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  prependListener<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  prependListener(event: keyof E, listener: AnyListener): this {
    this._events.prependListener(event as AnyName, listener);
    return this;
  }

  /** Adds `listener` before the others, for the next `event` only. */
  prependOnceListener<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  prependOnceListener<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  prependOnceListener(event: keyof E, listener: AnyListener): this {
    this._events.prependOnceListener(event as AnyName, listener);
    return this;
  }

  /** Removes `listener` (also one added with `once`). */
  off<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  off<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  off(event: keyof E, listener: AnyListener): this {
    this._events.off(event as AnyName, listener);
    return this;
  }

  /** Alias of `off`. */
  removeListener<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this;
  removeListener<K>(event: Key<K, E>, listener: ListenerOf<K, E>): this;
  removeListener(event: keyof E, listener: AnyListener): this {
    return this.off(event, listener);
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: keyof E): this {
    if (event === undefined) this._events.removeAllListeners();
    else this._events.removeAllListeners(event as AnyName);
    return this;
  }

  /** Calls every listener of `event` in order; true when there was one. 'error' with none throws. */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean;
  emit<K>(event: Key<K, E>, ...args: Args<K, E>): boolean;
  emit(event: keyof E, ...args: unknown[]): boolean {
    return this._events.emit(event as AnyName, ...args);
  }

  /** Number of listeners of `event` (of `listener` only, when given). */
  listenerCount<K>(event: Key<K, E>, listener?: ListenerOf<K, E>): number {
    return this._events.listenerCount(event as AnyName, listener as AnyListener | undefined);
  }

  /** Copies of the listeners of `event` (a `once` listener unwrapped). */
  listeners<K>(event: Key<K, E>): ListenerOf<K, E>[] {
    return this._events.listeners(event as AnyName) as ListenerOf<K, E>[];
  }

  /** Copies of the listeners of `event` as stored (calling a `once` wrapper also removes it). */
  rawListeners<K>(event: Key<K, E>): ListenerOf<K, E>[] {
    return this._events.rawListeners(event as AnyName) as ListenerOf<K, E>[];
  }

  /** The events that have listeners. */
  eventNames(): (keyof E & (string | symbol))[] {
    return this._events.eventNames() as (keyof E & (string | symbol))[];
  }

  /** The leak-warning threshold (EventEmitter's, default 10). */
  setMaxListeners(n: number): this {
    this._events.setMaxListeners(n);
    return this;
  }

  /** The leak-warning threshold. */
  getMaxListeners(): number {
    return this._events.getMaxListeners();
  }

  /** Releases what was registered, then removes every listener. Idempotent. */
  override dispose(): void {
    super.dispose();
    this._events.removeAllListeners();
  }
}
