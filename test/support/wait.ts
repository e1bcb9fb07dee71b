/**
 * The one way tests and benchmarks wait: for a condition (`until`) or for an event's value (`nextEvent`),
 * woken by the events that can change the answer, never by sleeping a guessed time. What wakes a wait is
 * a VS Code-style event (`(listener) => disposable`); `emitted` and `emittedArgs` adapt a Node emitter,
 * `anyOf` joins several events, and `poll` re-checks every few milliseconds for state no event announces.
 * Every wait has a deadline and names what it waited for when it gives up, so a broken test fails, not hangs.
 */

/** A VS Code-style event: subscribe a listener, get back what removes it. */
export type Subscribe<T = unknown> = (listener: (value: T) => unknown) => { dispose(): unknown };

/** What wakes a wait up: any event, whatever it carries (or nothing). */
export type Wake = (listener: (value?: unknown) => unknown) => { dispose(): unknown };

/**
 * The parts of a Node `EventEmitter` (or a typed one such as the simulator's) a wait listens on. Method
 * syntax, so an emitter with narrower event names or listener types fits.
 */
export interface Emitter {
  on(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

type Listen = (event: string, listener: (...args: unknown[]) => void) => unknown;

/** A value or a promise of it. */
type MaybePromise<T> = T | Promise<T>;

/** The default deadline of a wait (ms). */
export const WAIT_MS = 15_000;

/**
 * Resolves with the first truthy value of `check`, looked at once now and again after each `wake`; rejects
 * after `ms` naming `what`. A `check` that throws rejects the wait with its error. An async `check` is
 * awaited, and not looked at again until it answered.
 */
export function until<T>(
  check: () => MaybePromise<T | false | undefined | null>,
  wake: Wake,
  what: string,
  ms = WAIT_MS,
): Promise<T> {
  if (isPoll(wake)) return pollUntil(check, wake.everyMs, what, ms);
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let looking = false;
    let again = false;
    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      outcome();
    };
    const look = async (): Promise<void> => {
      if (done) return;
      if (looking) {
        again = true;
        return;
      }
      looking = true;
      try {
        do {
          again = false;
          const value = await check();
          if (value) return finish(() => resolve(value));
        } while (again && !done);
      } catch (error) {
        finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      } finally {
        looking = false;
      }
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))), ms);
    const subscription: { dispose(): unknown } = wake(() => void look());
    void look();
  });
}

/** Resolves with the next value `event` fires that satisfies `match`; rejects after `ms` naming `what`, or when `match` throws. */
export function nextEvent<T>(
  event: Subscribe<T>,
  what: string,
  match: (value: T) => boolean = () => true,
  ms = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const subscription = event((value) => {
      let matched: boolean;
      try {
        matched = match(value);
      } catch (error) {
        matched = false;
        clearTimeout(timer);
        subscription.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (!matched) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** A Node emitter's `event` as a `Subscribe` of its first argument. */
export function emitted<T = unknown>(emitter: Emitter, event: string): Subscribe<T> {
  return (listener) => {
    const handler = (...args: unknown[]): void => void listener(args[0] as T);
    (emitter.on as Listen).call(emitter, event, handler);
    return { dispose: () => (emitter.off as Listen).call(emitter, event, handler) };
  };
}

/** A Node emitter's `event` as a `Subscribe` of all its arguments. */
export function emittedArgs<T extends unknown[]>(emitter: Emitter, event: string): Subscribe<T> {
  return (listener) => {
    const handler = (...args: unknown[]): void => void listener(args as T);
    (emitter.on as Listen).call(emitter, event, handler);
    return { dispose: () => (emitter.off as Listen).call(emitter, event, handler) };
  };
}

/** Fires when any of `events` fires. */
export function anyOf(...events: Wake[]): Wake {
  return (listener) => {
    const subscriptions = events.map((event) => event(listener));
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  };
}

/** A wake that re-checks every few milliseconds. */
type Poll = Wake & { readonly everyMs: number };

/**
 * Re-checks every `everyMs`, for state that no event announces (a file's size, another process's answer,
 * the process's own handles). `until` then holds no timer while it checks: a test that counts the
 * process's active handles does not count the wait's own.
 */
export function poll(everyMs: number): Wake {
  const wake: Wake = (listener) => {
    const timer = setInterval(() => listener(undefined), everyMs);
    return { dispose: () => clearInterval(timer) };
  };
  return Object.assign(wake, { everyMs });
}

function isPoll(wake: Wake): wake is Poll {
  return typeof (wake as Partial<Poll>).everyMs === 'number';
}

/** `until` over a poll: each look runs from a fired timer, the next timer is set only after it; the deadline is a time, not a timer. */
async function pollUntil<T>(
  check: () => MaybePromise<T | false | undefined | null>,
  everyMs: number,
  what: string,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, everyMs));
  }
}
