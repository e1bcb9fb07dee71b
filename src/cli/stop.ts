/**
 * How a long-running command learns it should stop: the abort of its `AbortSignal` (the process entry
 * aborts it on SIGINT, SIGTERM or a closed stdout; tests abort their own), or SIGINT/SIGTERM when there
 * is none. Listeners are removed by `dispose()`.
 */

/** A pending stop request. */
export interface StopRequest {
  /** Resolves with what asked to stop: the abort's reason when it is a word ('SIGINT', 'EPIPE'), else 'abort'. */
  done: Promise<string>;
  /** Removes the listeners (call it in `finally`). */
  dispose(): void;
}

/** Resolves when `signal` aborts, or on SIGINT/SIGTERM when there is no signal. */
export function waitForStop(signal: AbortSignal | undefined): StopRequest {
  if (signal !== undefined) {
    let onAbort: () => void = () => undefined;
    const done = new Promise<string>((resolve) => {
      onAbort = () => resolve(typeof signal.reason === 'string' ? signal.reason : 'abort');
      if (signal.aborted) onAbort();
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
