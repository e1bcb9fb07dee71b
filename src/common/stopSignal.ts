/**
 * How the command-line tools learn they should stop: the abort of a caller's `AbortSignal` (tests run them
 * in-process), or SIGINT/SIGTERM when there is none. Listeners are removed by `dispose()`.
 */

/** A pending stop request. */
export interface StopRequest {
  /** Resolves with what asked to stop: 'abort', 'SIGINT' or 'SIGTERM'. */
  done: Promise<string>;
  /** Removes the listeners (call it in `finally`). */
  dispose(): void;
}

/** Resolves when `signal` aborts, or on SIGINT/SIGTERM when there is no signal. */
export function waitForStop(signal: AbortSignal | undefined): StopRequest {
  if (signal !== undefined) {
    let onAbort: () => void = () => undefined;
    const done = new Promise<string>((resolve) => {
      onAbort = () => resolve('abort');
      if (signal.aborted) resolve('abort');
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    return { done, dispose: () => signal.removeEventListener('abort', onAbort) };
  }
  let onSignal: (name: NodeJS.Signals) => void = () => undefined;
  const done = new Promise<string>((resolve) => {
    onSignal = (name) => resolve(name);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return {
    done,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
